"""`rsf validate` and `rsf coverage` as a user runs them: exit codes, messages, bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

from rsfrun import run_rsf

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = FIXTURES / "inputs"
PROFILES = FIXTURES / "profiles"


def _inp(name: str) -> str:
    return str(INPUTS / name)


def assert_user_error(result, *phrases: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def test_findings_exit_1_and_name_the_right():
    result = run_rsf("validate", str(PROFILES / "controlled.ttl"))
    assert result.returncode == 1
    assert "CE5 Privacy, Data Protection and Confidentiality" in result.stdout
    assert "right to privacy (ICCPR 17; UDHR 12; UNESCO UDHGHR 7)" in result.stdout
    assert "O-CE5-07" in result.stdout
    assert "profile: issuer role data custodian (policy); access model controlled access (policy)" in result.stdout
    # a finding is about the policy document, with plain words beside the SHACL severity
    # O-CE5-07 is a "should" since ontology 0.3.0 (modalities follow the texts' words); O-CE5-04 is a "must"
    assert "WARNING (recommended statement missing)  O-CE5-07" in result.stdout
    assert "VIOLATION (required statement missing)  O-CE5-04" in result.stdout
    assert "not a verdict on whether the organisation complies" in result.stdout


def test_fail_on_none_exits_0_with_findings_still_reported():
    result = run_rsf("validate", "--fail-on", "none", str(PROFILES / "controlled.ttl"))
    assert result.returncode == 0
    assert "VIOLATION" in result.stdout


def test_syntax_error_names_file_and_line():
    assert_user_error(run_rsf("validate", _inp("syntax-error.ttl")), "syntax-error.ttl:6", "syntax error")


def test_unknown_format():
    assert_user_error(run_rsf("validate", _inp("unknown.format")), "unknown.format", "cannot tell the RDF syntax")


def test_empty_file():
    assert_user_error(run_rsf("validate", _inp("empty.ttl")), "empty.ttl", "empty")


def test_no_policy_is_never_reported_as_conforming():
    result = run_rsf("validate", "--fail-on", "none", _inp("no-policy.ttl"))
    assert_user_error(result, "no data-sharing policy found")
    assert "No findings" not in result.stdout


def test_missing_file():
    assert_user_error(run_rsf("validate", _inp("not-there.ttl")), "not-there.ttl", "no such file")


def test_doctype_is_refused():
    assert_user_error(run_rsf("validate", _inp("doctype.rdf")), "doctype.rdf", "DOCTYPE")


def test_size_limit_and_the_flag_that_raises_it():
    assert_user_error(run_rsf("validate", "--max-size", "0.0001", str(PROFILES / "controlled.ttl")), "--max-size")
    assert run_rsf("validate", "--max-size", "1", str(PROFILES / "controlled.ttl")).returncode == 1


def test_remote_jsonld_context_is_not_fetched():
    started = time.monotonic()
    result = run_rsf("validate", "--fail-on", "none", _inp("remote-context.jsonld"))
    assert result.returncode == 0, result.stderr
    assert "was not fetched" in result.stdout
    assert time.monotonic() - started < 60


def test_owl_imports_and_our_namespace_are_warned_about():
    result = run_rsf("validate", "--fail-on", "none", "--format", "json", _inp("imports-and-collision.ttl"))
    assert result.returncode == 0
    assert "owl:imports http://192.0.2.1/never-fetched/extra.ttl was not followed" in result.stderr
    assert "responsible-sharing namespace" in result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) == 2


def test_stdin_and_nquads():
    text = (PROFILES / "open-data.ttl").read_text(encoding="utf-8")
    result = run_rsf("validate", "--format", "json", "-", stdin=text)
    assert result.returncode == 1
    assert json.loads(result.stdout)["policies"][0]["source"] == "<stdin>"
    quads = run_rsf("validate", "--format", "json", "--fail-on", "none", _inp("policy.nq"))
    assert json.loads(quads.stdout)["policies"][0]["policy"] == "https://example.org/policy/quads"


def test_folder_input_validates_every_policy_in_it(tmp_path):
    for name in ("open-data.ttl", "secure-environment.ttl", "controlled.ttl", "delegating.ttl"):
        (tmp_path / name).write_bytes((PROFILES / name).read_bytes())
    (tmp_path / "notes.txt").write_text("not RDF: a folder's other files are not read", encoding="utf-8")
    result = run_rsf("validate", "--format", "json", str(tmp_path))
    policies = {p["policy"].rsplit("/", 1)[-1] for p in json.loads(result.stdout)["policies"]}
    assert policies == {"open-policy", "tre-policy", "controlled-policy", "named-delegate", "unnamed-delegate"}


def test_a_folder_with_a_misspelt_role_is_refused_naming_the_file(tmp_path):
    # a misspelt rsf:issuerRole would check that policy against nothing: the run stops (exit 2)
    (tmp_path / "open-data.ttl").write_bytes((PROFILES / "open-data.ttl").read_bytes())
    (tmp_path / "misspelt-role.ttl").write_bytes((PROFILES.parent / "input-checks" / "misspelt-role.ttl").read_bytes())
    result = run_rsf("validate", "--format", "json", str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert "misspelt-role.ttl: rsf:issuerRole rsf:DataCustodain" in result.stderr


def test_unknown_role_lists_the_choices():
    assert_user_error(run_rsf("validate", "--role", "librarian", str(PROFILES / "open-data.ttl")), "R05", "no actor role")


def test_failed_run_leaves_no_output_file(tmp_path):
    target = tmp_path / "report.json"
    assert_user_error(run_rsf("validate", "--format", "json", "-o", str(target), _inp("syntax-error.ttl")))
    assert not target.exists()
    assert run_rsf("validate", "--format", "json", "-o", str(target), str(PROFILES / "open-data.ttl")).returncode == 1
    assert json.loads(target.read_text(encoding="utf-8"))["policies"]


def test_coverage_table_and_json():
    table = run_rsf("coverage", str(PROFILES / "secure-environment.ttl"))
    assert table.returncode == 0
    assert "Rights" in table.stdout and "not addressed" in table.stdout
    data = json.loads(run_rsf("coverage", "--format", "json", str(PROFILES / "secure-environment.ttl")).stdout)
    policy = data["policies"][0]
    elements = {e["notation"]: e for e in policy["core_elements"]}
    assert elements["CE5"]["status"] == "not addressed"
    assert "O-CE5-07" not in elements["CE5"]["open"]  # not asked in a secure environment
    assert "O-CE1-12" in policy["not_machine_checkable"]


def test_help_explains_exit_codes_and_formats():
    result = run_rsf("validate", "--help")
    assert result.returncode == 0
    for phrase in ("Exit codes", "sarif", "--fail-on", "--access-model", "--role", "--max-size"):
        assert phrase in result.stdout
