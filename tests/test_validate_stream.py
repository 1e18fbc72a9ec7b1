"""--per-graph: a big N-Quads or TriG file read as a stream of named graphs gives the findings of the files.

The policies come from bench/generate.py, which writes the same policies as
one file each, as one N-Quads file (a named graph per policy) or as TriG.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode

from responsible_sharing.errors import RsfError
from responsible_sharing.validate import validate
from rsfrun import run_rsf

ROOT = Path(__file__).resolve().parent.parent
N = 30


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layouts")
    out = {"files": folder / "files", "nquads": folder / "all.nq", "trig": folder / "all.trig"}
    for layout, target in out.items():
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--n", str(N), "--seed", "3",
                        "--layout", layout, "--out", str(target)], check=True, capture_output=True)
    return out


def _key(report):
    # the value as a term: its rendering uses the file's prefixes, and N-Quads have none
    return sorted((f.policy, f.shape, f.severity, f.value_node if not isinstance(f.value_node, BNode) else "bnode")
                  for f in report.findings)


@pytest.fixture(scope="module")
def reference(layouts):
    report = validate([str(layouts["files"])])
    assert len(report.policies) == N and report.findings
    return report


@pytest.mark.parametrize("layout", ["nquads", "trig"])
def test_streamed_graphs_give_the_findings_of_the_files(layouts, reference, layout):
    for jobs in (1, 2):
        streamed = validate([str(layouts[layout])], per_graph=True, batch_files=7, jobs=jobs)
        assert len(streamed.policies) == N
        assert _key(streamed) == _key(reference)
        assert not streamed.warnings


def test_progress_counts_graphs(layouts):
    done: list[int] = []
    validate([str(layouts["nquads"])], per_graph=True, batch_files=7, progress=done.append)
    assert done == [7, 7, 7, 7, 2]


def test_the_size_limit_applies_to_the_whole_file_but_not_to_a_stream(layouts):
    refused = run_rsf("validate", "--max-size", "0.05", str(layouts["nquads"]))
    assert refused.returncode == 2 and "over the input limit" in refused.stderr
    streamed = run_rsf("validate", "--max-size", "0.05", "--per-graph", "--batch-files", "5", "--format", "json",
                       "--fail-on", "none", str(layouts["nquads"]))
    assert streamed.returncode == 0, streamed.stderr
    assert '"policy": ' in streamed.stdout


def test_a_graph_written_in_two_places_is_refused_with_its_name(tmp_path):
    scattered = tmp_path / "scattered.nq"
    policy = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/rsf/DataSharingPolicy>"
    scattered.write_text(
        f"<https://example.org/a> {policy} <https://example.org/g/a> .\n"
        f"<https://example.org/b> {policy} <https://example.org/g/b> .\n"
        f'<https://example.org/a> <http://purl.org/dc/terms/title> "A" <https://example.org/g/a> .\n', encoding="utf-8")
    with pytest.raises(RsfError, match="graph <https://example.org/g/a> are not written together"):
        validate([str(scattered)], per_graph=True)
    done = run_rsf("validate", "--per-graph", str(scattered))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "not written together" in done.stderr
    assert validate([str(scattered)]).policies  # read whole, the file is fine


def test_a_syntax_error_in_a_stream_names_the_line(tmp_path):
    broken = tmp_path / "broken.nq"
    broken.write_text('<https://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                      '<https://w3id.org/rsf/DataSharingPolicy> <https://example.org/g> .\n'
                      '<https://example.org/a> <https://example.org/p> "x" <https://example.org/g> "y" .\n'
                      '<https://example.org/a> <https://example.org/p> "z" <https://example.org/g> .\n', encoding="utf-8")
    done = run_rsf("validate", "--per-graph", str(broken))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{broken}:2: nquads syntax error" in done.stderr


def test_a_stream_is_read_only_as_fast_as_it_is_validated():
    """At most a window of batches is taken from the input ahead of the workers (memory stays bounded)."""
    from concurrent.futures import ThreadPoolExecutor

    from responsible_sharing.validate import _in_order

    pulled: list[int] = []

    def items():
        for number in range(100):
            pulled.append(number)
            yield number

    with ThreadPoolExecutor(2) as pool:
        results = _in_order(pool, lambda x: 2 * x, items(), window=4)  # type: ignore[arg-type]
        assert next(results) == (0, 0)
        assert len(pulled) == 4
        assert list(results) == [(n, 2 * n) for n in range(1, 100)]
