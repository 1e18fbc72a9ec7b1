"""No silent passes (issue 11, point 6): input that cannot mean what it says is an error or a finding.

Run as a user would: the installed ``rsf`` in a subprocess, reading the exit
code, standard error and each report format, with both SHACL engines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from responsible_sharing.input_checks import well_typed
from rsfrun import run_rsf

ROOT = Path(__file__).resolve().parent.parent
FIX = Path("tests/fixtures/input-checks")  # relative to ROOT, as a user would type it
XSD = "http://www.w3.org/2001/XMLSchema#"


def _json(*args: str) -> tuple[int, dict, str]:
    done = run_rsf("validate", *args, "--format", "json", cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout), done.stderr


def _inputs(data: dict) -> list[tuple[str, str, str, str]]:
    return [(f["check"], f["severity"], f["path"], f["value"]) for p in data["policies"] for f in p["input_findings"]]


def test_a_misspelt_access_model_is_exit_2_naming_file_value_and_nearest_term():
    done = run_rsf("validate", str(FIX / "misspelt-access-model.ttl"), cwd=ROOT)
    assert done.returncode == 2 and done.stdout == ""
    assert "misspelt-access-model.ttl: rsf:accessModel rsf:ControledAccess" in done.stderr
    assert "did you mean rsf:ControlledAccess" in done.stderr
    assert "`rsf explain AccessModel`" in done.stderr and "Traceback" not in done.stderr


def test_a_misspelt_role_is_exit_2_in_every_format():
    for fmt in ("text", "json", "sarif"):
        done = run_rsf("validate", "tests/fixtures/input-checks/misspelt-role.ttl", "--format", fmt, cwd=ROOT)
        assert done.returncode == 2 and done.stdout == ""
        assert "rsf:DataCustodain" in done.stderr and "did you mean rsf:DataCustodian (data custodian, R05)" in done.stderr


def test_an_access_model_on_any_node_is_checked_and_text_is_refused():
    # an access tier (or any other node) with rsf:accessModel "open": a literal, not the term
    done = run_rsf("validate", str(FIX / "tier-access-model.ttl"), cwd=ROOT)
    assert done.returncode == 2
    assert 'rsf:accessModel the text "open"' in done.stderr and "not text" in done.stderr
    assert "did you mean rsf:OpenAccess" in done.stderr


@pytest.mark.parametrize("term", ["ActorRole", "AccessModel", "access model"])
def test_explain_accepts_the_class_names_the_message_suggests(term):
    done = run_rsf("explain", term, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "class" in done.stdout and "Members (" in done.stdout
    member = "rsf/DataCustodian" if term == "ActorRole" else "rsf/ControlledAccess"
    assert member in done.stdout


@pytest.mark.parametrize("engine", ["pyshacl", "pyrudof"])
def test_ill_typed_literals_are_violations_naming_property_and_value(engine):
    code, data, _ = _json(str(FIX / "ill-typed.ttl"), "--engine", engine)
    assert code == 1 and data["conforms"] is False
    assert sorted(_inputs(data)) == [
        ("ill-typed-literal", "violation", "dcterms:issued", "15/01/2025"),
        ("ill-typed-literal", "violation", "rsf:decisionTimeLimit", "P6W"),
        ("ill-typed-literal", "violation", "rsf:retentionPeriod", "30 days"),
        ("ill-typed-literal", "violation", "rsf:sharesWithThirdParties", "yes"),
    ]
    messages = " ".join(f["message"] for f in data["policies"][0]["input_findings"])
    assert 'rsf:sharesWithThirdParties has the value "yes", which is not a valid xsd:boolean' in messages


def test_ill_typed_findings_do_not_depend_on_the_engine():
    reports = {e: _json(str(FIX / "ill-typed.ttl"), str(FIX / "unknown-terms.ttl"), "--engine", e)[1]
               for e in ("pyshacl", "pyrudof")}
    shown = {e: [(f["shape"], f["value"]) for p in d["policies"] for f in p["findings"]] + _inputs(d)
             for e, d in reports.items()}
    assert shown["pyshacl"] == shown["pyrudof"]
    assert reports["pyshacl"]["counts"] == reports["pyrudof"]["counts"]


def test_a_json_ld_yes_for_a_boolean_is_a_finding_not_false():
    code, data, _ = _json(str(FIX / "ill-typed.jsonld"))
    assert code == 1
    assert _inputs(data) == [("ill-typed-literal", "violation", "rsf:sharesWithThirdParties", "yes")]


def test_undefined_rsf_duo_and_dpv_terms_are_named_findings():
    code, data, _ = _json(str(FIX / "unknown-terms.ttl"))
    assert code == 1
    found = {(c, s, v) for c, s, _, v in _inputs(data)}
    assert ("unknown-rsf-term", "warning", "P10Y") in found
    assert ("unknown-duo-term", "violation", "obo:DUO_0000999") in found
    assert ("unknown-dpv-term", "violation", "dpv:Encryptoin") in found
    fixes = {f["check"]: f["fix"] for f in data["policies"][0]["input_findings"]}
    assert "did you mean rsf:retentionPeriod" in fixes["unknown-rsf-term"]
    assert "dpv:Encryption" in fixes["unknown-dpv-term"]
    # terms that exist are not findings: DUO_0000042, and a DPV term outside the shipped subset
    values = {v for *_, v in _inputs(data)}
    assert "obo:DUO_0000042" not in values and "dpv:AccessControlMethod" not in values


def test_a_warning_on_the_input_is_in_every_report_format():
    args = ("validate", str(FIX / "unknown-terms.ttl"))
    text = run_rsf(*args, cwd=ROOT).stdout
    assert "WARNING  input-unknown-rsf-term" in text and "rsf:retentionPeriode" in text
    sarif = json.loads(run_rsf(*args, "--format", "sarif", cwd=ROOT).stdout)
    rules = {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"]}
    assert rules["input-unknown-rsf-term"] == "warning" and rules["input-unknown-duo-term"] == "error"
    page = run_rsf(*args, "--format", "html", cwd=ROOT).stdout
    assert "input-unknown-rsf-term" in page and "rsf:retentionPeriode" in page
    turtle = run_rsf(*args, "--format", "turtle", cwd=ROOT).stdout
    assert "https://w3id.org/rsf/shapes/input/unknown-rsf-term" in turtle


def test_a_policy_checked_against_nothing_never_conforms_in_any_format():
    policy = str(FIX / "checked-against-nothing.ttl")
    text = run_rsf("validate", policy, cwd=ROOT)
    assert text.returncode == 1
    assert "No findings" not in text.stdout and "input-nothing-checked" in text.stdout
    assert "0 obligations apply" in text.stdout
    code, data, _ = _json(policy)
    assert code == 1 and data["conforms"] is False and data["policies"][0]["conforms"] is False
    assert _inputs(data) == [("nothing-checked", "violation", "", "")]
    sarif = json.loads(run_rsf("validate", policy, "--format", "sarif", cwd=ROOT).stdout)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["input-nothing-checked"]
    page = run_rsf("validate", policy, "--format", "html", cwd=ROOT).stdout
    assert "No findings" not in page and "input-nothing-checked" in page
    turtle = run_rsf("validate", policy, "--format", "turtle", cwd=ROOT).stdout
    assert "sh:conforms false" in turtle and "sh:conforms true" not in turtle


def test_a_role_option_that_leaves_nothing_to_check_fails_too():
    done = run_rsf("validate", "examples/research-institute-policy.ttl", "--role", "data protection authority",
                   "--format", "json", cwd=ROOT)
    assert done.returncode == 1 and json.loads(done.stdout)["conforms"] is False


@pytest.mark.parametrize(("lexical", "datatype", "ok"), [
    ("true", "boolean", True), ("0", "boolean", True), ("yes", "boolean", False), ("TRUE", "boolean", False),
    ("P30D", "duration", True), ("PT72H", "duration", True), ("P1Y2M", "duration", True),
    ("P6W", "duration", False), ("30 days", "duration", False), ("P", "duration", False), ("P1DT", "duration", False),
    ("2025-01-15", "date", True), ("2024-02-29", "date", True), ("2025-02-29", "date", False),
    ("2025-13-01", "date", False), ("15/01/2025", "date", False), ("2025-01-15Z", "date", True),
    ("2025-01-15T09:30:00Z", "dateTime", True), ("2025-01-15T25:00:00", "dateTime", False),
    ("10", "integer", True), ("ten", "integer", False),
])
def test_lexical_forms_follow_xml_schema(lexical, datatype, ok):
    assert well_typed(lexical, XSD + datatype) is ok


def test_datatypes_not_checked_are_left_alone():
    assert well_typed("anything", "https://example.org/myType") is None


def test_an_ill_typed_value_on_a_tiered_policy_is_reported_once_on_each_tier(tmp_path):
    policy = tmp_path / "tiered.ttl"
    policy.write_text("""@prefix rsf: <https://w3id.org/rsf/> .
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/t/> .
ex:p a rsf:DataSharingPolicy ; rsf:issuerRole rsf:DataCustodian ; rsf:sharesWithThirdParties "yes"^^xsd:boolean .
ex:a a odrl:Offer ; odrl:inheritFrom ex:p ; rsf:accessModel rsf:OpenAccess .
ex:b a odrl:Offer ; odrl:inheritFrom ex:p ; rsf:accessModel rsf:ControlledAccess .
""", encoding="utf-8")
    code, report, _ = _json(str(policy))
    found = {p["policy"].rsplit("/", 1)[-1]: [(f["check"], f["value"]) for f in p["input_findings"]] for p in report["policies"]}
    assert found == {"a": [("ill-typed-literal", "yes")], "b": [("ill-typed-literal", "yes")]}
    assert code == 1
