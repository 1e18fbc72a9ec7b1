"""rsf validate --endpoint: policies in a SPARQL store, validated batch by batch, reports written back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from responsible_sharing.validate import validate
from rsfrun import run_rsf

ROOT = Path(__file__).parent.parent
FILES = sorted(str(p) for p in (ROOT / "examples").glob("*.ttl")) + sorted(
    str(p) for p in (ROOT / "tests" / "fixtures" / "profiles").glob("*.ttl"))


@pytest.fixture(scope="module")
def endpoint(start_oxigraph):
    base = start_oxigraph()
    loaded = run_rsf("load", "--endpoint", f"{base}/query", "--no-reports", *FILES)
    assert loaded.returncode == 0, loaded.stderr
    return f"{base}/query"


def _keys(policies):
    # values are shown with the prefixes of the file they were read from; N-Triples from a store have none
    return sorted((p["policy"], f["shape"], f["severity"], f["message"]) for p in policies for f in p["findings"])


def test_store_validation_matches_file_validation_and_writes_reports(endpoint):
    result = run_rsf("validate", "--endpoint", endpoint, "--batch-files", "3", "--jobs", "2", "--format", "json",
                     "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    from_store = json.loads(result.stdout)
    from_files = json.loads(run_rsf("validate", *FILES, "--format", "json", "--fail-on", "none").stdout)
    assert _keys(from_store["policies"]) == _keys(from_files["policies"])
    # each policy is found where `rsf load` read it: the file's path from here, and the line
    assert {(p["policy"], p["source"], p["line"]) for p in from_store["policies"]} == {
        (p["policy"], _from_here(p["source"]), p["line"]) for p in from_files["policies"]}
    # the reports are in the store now, and the stored queries see them
    rights = run_rsf("query", "rights-at-stake", "--endpoint", endpoint, "--format", "json")
    assert rights.returncode == 0, rights.stderr
    rows = json.loads(rights.stdout)["results"]["bindings"]
    expected = {r.iri for f in validate(FILES).findings for r in f.trace.rights}
    assert {row["right"]["value"] for row in rows} == expected


def test_store_without_policies_is_a_clear_error(start_oxigraph):
    empty = f"{start_oxigraph()}/query"
    result = run_rsf("validate", "--endpoint", empty)
    assert result.returncode == 2
    assert "no named graph" in result.stderr and "Traceback" not in result.stderr


def test_files_and_endpoint_together_is_a_usage_error(endpoint):
    result = run_rsf("validate", "--endpoint", endpoint, FILES[0])
    assert result.returncode == 2 and "not both" in result.stderr


def test_sarif_from_a_store_names_each_loaded_file(endpoint):
    result = run_rsf("validate", "--endpoint", endpoint, "--no-write-reports", "--format", "sarif", "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for run in json.loads(result.stdout)["runs"] for r in run["results"] for loc in r["locations"]}
    assert uris and uris <= {_from_here(f) for f in FILES}, uris


def _from_here(path: str) -> str:
    return Path(os.path.relpath(path)).as_posix()
