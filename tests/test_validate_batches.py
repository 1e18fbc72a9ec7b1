"""Batched and parallel validation give exactly the findings of one run over everything."""

from __future__ import annotations

from pathlib import Path

from responsible_sharing.validate import validate
from rsfrun import run_rsf

ROOT = Path(__file__).parent.parent
INPUTS = [str(ROOT / "examples"), str(ROOT / "tests" / "fixtures" / "profiles")]


def _key(report):
    return [(f.policy, f.shape, f.severity, f.value, f.message) for f in report.findings], report.warnings


def test_batches_and_workers_change_nothing():
    whole = validate(INPUTS)
    assert len(whole.policies) > 10 and whole.findings
    assert _key(validate(INPUTS, batch_files=3)) == _key(whole)
    assert _key(validate(INPUTS, batch_files=2, jobs=2)) == _key(whole)


def test_progress_is_reported_per_batch():
    done: list[int] = []
    validate(INPUTS, batch_files=4, progress=done.append)
    assert sum(done) == len([p for p in (ROOT / "examples").rglob("*") if p.suffix in (".ttl", ".jsonld")]) + len(
        list((ROOT / "tests" / "fixtures" / "profiles").glob("*.ttl")))
    assert len(done) > 1


def test_parallel_cli_output_is_byte_identical():
    single = run_rsf("validate", "--format", "json", "--jobs", "1", *INPUTS)
    parallel = run_rsf("validate", "--format", "json", "--jobs", "2", "--batch-files", "2", *INPUTS)
    assert single.returncode == parallel.returncode == 1
    assert single.stdout == parallel.stdout


def test_a_policy_split_across_batches_is_reported(tmp_path):
    (tmp_path / "a.ttl").write_text("<https://example.org/p> a <https://w3id.org/rsf/DataSharingPolicy> .\n", encoding="utf-8")
    (tmp_path / "b.ttl").write_text(
        "<https://example.org/p> <https://w3id.org/rsf/accessModel> <https://w3id.org/rsf/OpenAccess> .\n"
        "<https://example.org/p> a <https://w3id.org/rsf/DataSharingPolicy> .\n", encoding="utf-8")
    report = validate([str(tmp_path)], batch_files=1)
    assert any("validated in different batches" in w for w in report.warnings)


def test_pyrudof_engine_gives_byte_identical_reports():
    from responsible_sharing.formats import RENDERERS

    reports = ROOT / "tests" / "fixtures" / "reports"
    inputs = INPUTS + sorted(str(p) for p in reports.glob("*.ttl") if p.name != "syntax-error.ttl")
    reference = validate(inputs)
    fast = validate(inputs, shacl_engine="pyrudof")
    for fmt in ("json", "turtle", "sarif", "text"):
        assert RENDERERS[fmt](fast) == RENDERERS[fmt](reference), fmt


def test_pyrudof_engine_agrees_on_every_shape_fixture():
    fixtures = sorted(str(p) for p in (ROOT / "tests" / "fixtures" / "shapes").glob("*.ttl"))
    reference = validate(fixtures, batch_files=1)
    fast = validate(fixtures, batch_files=1, shacl_engine="pyrudof")
    assert len(reference.findings) > 1000
    assert _key(fast) == _key(reference)


def test_batches_from_workers_share_one_trace_per_obligation_and_one_profile_per_kind():
    """What keeps the main process small on big collections: no per-finding copies of traces or profiles."""
    from responsible_sharing.validate import engine

    report = validate(INPUTS, batch_files=2, jobs=2)
    traces = engine().traces
    assert report.findings and all(f.trace is traces[f.trace.obligation.iri] for f in report.findings)
    by_value: dict = {}
    for policy in report.policies:
        by_value.setdefault(repr(policy.profile), set()).add(id(policy.profile))
    assert len(by_value) < len(report.policies)  # some policies have the same profile...
    assert all(len(ids) == 1 for ids in by_value.values())  # ...and then the same object
