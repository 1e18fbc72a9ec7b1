"""`rsf ontology check`: HermiT, the QA shapes and the QA queries, on the
shipped ontology and on deliberately broken copies."""

from __future__ import annotations

import json
import shutil

import pytest

from responsible_sharing import check_ontology
from responsible_sharing.errors import InputSyntaxError
from responsible_sharing.resources import shipped_path

from hostile import run_rsf_inprocess
from rsfrun import run_rsf

RSF = "https://w3id.org/rsf/"


def test_shipped_ontology_is_clean_with_hermit():
    report = check_ontology()
    assert report.reasoner is not None, "HermiT must run: Java is on every machine we support"
    assert report.reasoner.consistent
    assert report.reasoner.unsatisfiable == []
    assert report.findings == []
    assert report.clean


@pytest.fixture(scope="module")
def broken_report(broken_ontology):
    return check_ontology(broken_ontology, reasoner=False)


@pytest.mark.parametrize(
    ("term", "rule"),
    [
        ("O-BROKEN-01", "qa-obligation-bearer"),
        ("P9", "qa-principle-grounded"),
        ("CE99", "qa-element-serves"),
        ("O-BROKEN-02", "qa-obligation-without-right"),
        ("BrokenRole", "qa-term-definition"),
        ("BrokenDuplicate", "qa-unique-label"),
        ("CE1", "qa-unique-label"),
        ("O-BROKEN-03", "qa-uncheckable-has-reason"),
        ("CE3", "qa-link-basis"),
    ],
)
def test_each_defect_is_found_and_named(broken_report, term, rule):
    found = {(f.term, f.rule) for f in broken_report.findings}
    assert (f"{RSF}{term}", rule) in found
    assert not broken_report.clean


def test_broken_report_has_no_findings_on_sound_terms(broken_report):
    defective = {"O-BROKEN-01", "O-BROKEN-02", "O-BROKEN-03", "P9", "CE99", "BrokenRole", "BrokenDuplicate", "CE1", "CE3"}
    stray = {f.term.removeprefix(RSF) for f in broken_report.findings} - defective
    assert stray == set()


def test_link_basis_finding_names_the_link(broken_report):
    [finding] = [f for f in broken_report.findings if f.rule == "qa-link-basis"]
    assert "rsf:serves" in finding.message and "rsf:P3" in finding.message


def test_hermit_finds_inconsistency(ontology_copy):
    # a principle used as a bearer becomes an actor role, and the classes are disjoint
    with (ontology_copy / "obligations.ttl").open("a", encoding="utf-8") as module:
        module.write("\nrsf:O-CE1-01 rsf:bearer rsf:P1 .\n")
    report = check_ontology(ontology_copy)
    assert report.reasoner is not None and not report.reasoner.consistent
    assert [f.rule for f in report.findings if f.check == "reasoner"] == ["consistency"]
    assert not report.clean


def test_hermit_finds_unsatisfiable_class(ontology_copy):
    with (ontology_copy / "core.ttl").open("a", encoding="utf-8") as module:
        module.write(
            '\nrsf:PrincipledElement a owl:Class ; rdfs:label "principled element"@en ;'
            ' skos:definition "Test defect."@en ; rdfs:subClassOf rsf:Principle , rsf:CoreElement .\n'
        )
    report = check_ontology(ontology_copy)
    assert report.reasoner is not None and report.reasoner.consistent
    assert report.reasoner.unsatisfiable == [f"{RSF}PrincipledElement"]
    assert any(f.rule == "satisfiability" and f.term == f"{RSF}PrincipledElement" for f in report.findings)


def test_unmapped_import_is_reported_not_fetched(ontology_copy):
    top = ontology_copy / "rsf.ttl"
    top.write_text(top.read_text().replace(
        "owl:imports <https://w3id.org/rsf/ontology/core> ,",
        "owl:imports <https://w3id.org/rsf/ontology/core> , <http://example.org/not-in-catalog> ,",
    ))
    report = check_ontology(ontology_copy, reasoner=False)
    assert [(f.rule, f.term) for f in report.findings] == [("catalog", "http://example.org/not-in-catalog")]


def test_syntax_error_names_file_and_line(ontology_copy):
    module = ontology_copy / "roles.ttl"
    lines = module.read_text().splitlines()
    lines.insert(24, 'rsf:Oops rdfs:label "never closed .')
    module.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputSyntaxError) as caught:
        check_ontology(ontology_copy, reasoner=False)
    assert caught.value.path.endswith("roles.ttl")
    assert caught.value.line == 25


def test_cli_exit_codes_and_report(broken_ontology, ontology_copy):
    clean = run_rsf("ontology", "check")
    assert clean.returncode == 0, clean.stderr
    assert "Reasoner (HermiT): consistent" in clean.stdout
    assert "clean" in clean.stdout.splitlines()[-1]

    broken = run_rsf("ontology", "check", "--ontology", str(broken_ontology), "--no-reasoner")
    assert broken.returncode == 1
    assert 'O-BROKEN-01 "defect: obligation without bearer" (obligations.ttl)' in broken.stdout
    assert "rule qa-obligation-bearer: obligation has a bearer" in broken.stdout
    assert 'P9 "defect: principle without right"' in broken.stdout
    assert "rule qa-principle-grounded: every principle is grounded in a human right" in broken.stdout

    (ontology_copy / "framework.ttl").write_text("@prefix rsf: <https://w3id.org/rsf/> .\nrsf:P1 rsf:serves .\n")
    bad = run_rsf("ontology", "check", "--ontology", str(ontology_copy))
    assert bad.returncode == 2
    assert "framework.ttl:2" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_cli_json_report(broken_ontology):
    result = run_rsf("ontology", "check", "--ontology", str(broken_ontology), "--no-reasoner", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["clean"] is False
    assert {"term": f"{RSF}P9", "rule": "qa-principle-grounded"}.items() <= next(
        f for f in report["findings"] if f["term"] == f"{RSF}P9"
    ).items()


# --- a working copy: its own shapes and QA queries (--data-root), level profiles ---

_FIRST_SHAPE = "shapes/policy/ce01-transparency.ttl"


@pytest.fixture()
def working_copy(tmp_path):
    """A copy of the shipped ontology, shapes and queries, laid out as the repository is."""
    for kind in ("ontology", "shapes", "queries"):
        with shipped_path(kind) as shipped:
            shutil.copytree(shipped, tmp_path / kind)
    return tmp_path


def _edit(root, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _rules_found(outcome) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in json.loads(outcome.stdout)["findings"]:
        found.setdefault(finding["rule"], set()).add(finding["term"])
    return found


def test_a_working_copys_own_shapes_are_checked_with_its_ontology(working_copy):
    clean = run_rsf_inprocess("ontology", "check", "--data-root", str(working_copy), "--no-reasoner", "--format", "json")
    assert clean.code == 0, clean.output
    _edit(working_copy, _FIRST_SHAPE, "rsf:checks rsf:O-CE1-01 ;", "")  # the shape now checks nothing
    unshaped = run_rsf_inprocess("ontology", "check", "--data-root", str(working_copy), "--no-reasoner", "--format", "json")
    assert unshaped.code == 1
    assert _rules_found(unshaped) == {"qa-obligation-without-shape": {f"{RSF}O-CE1-01"}}
    # the same ontology with the shipped shapes: O-CE1-01 is shaped there
    shipped = run_rsf_inprocess("ontology", "check", "--ontology", str(working_copy / "ontology"), "--no-reasoner")
    assert shipped.code == 0, shipped.output


def test_a_shape_that_checks_no_obligation_or_weighs_wrong_is_a_finding(working_copy):
    _edit(working_copy, _FIRST_SHAPE, "rsf:checks rsf:O-CE1-01 ;", "rsf:checks rsf:CE1 ;")
    _edit(working_copy, _FIRST_SHAPE, "sh:severity sh:Warning ;\n    sh:message \"The policy gives no public",
          "sh:severity sh:Info ;\n    sh:message \"The policy gives no public")
    _edit(working_copy, "shapes/policy/ce02-accountability.ttl", "rsf:checks rsf:O-CE2-01 ;", "rsf:checks rsf:O-CE2-01 , rsf:O-CE2-99 ;")
    outcome = run_rsf_inprocess("ontology", "check", "--data-root", str(working_copy), "--no-reasoner", "--format", "json")
    assert outcome.code == 1
    found = _rules_found(outcome)
    assert found["qa-shape-checks-nothing"] == {"https://w3id.org/rsf/shapes/O-CE1-01", "https://w3id.org/rsf/shapes/O-CE2-01"}
    assert found["qa-obligation-without-shape"] == {f"{RSF}O-CE1-01"}
    messages = {f["message"] for f in json.loads(outcome.stdout)["findings"] if f["rule"] == "qa-shape-checks-nothing"}
    assert any("rsf:CE1 is not an obligation" in m for m in messages), messages
    assert "qa-shape-severity" not in found  # O-CE1-01's shape no longer checks an obligation: nothing to weigh it by
    _edit(working_copy, _FIRST_SHAPE, "rsf:checks rsf:CE1 ;", "rsf:checks rsf:O-CE1-01 ;")
    weighed = run_rsf_inprocess("ontology", "check", "--data-root", str(working_copy), "--no-reasoner", "--format", "json")
    [severity] = [f for f in json.loads(weighed.stdout)["findings"] if f["rule"] == "qa-shape-severity"]
    assert severity["term"] == "https://w3id.org/rsf/shapes/O-CE1-01"
    assert "sh:Info, but rsf:O-CE1-01" in severity["message"] and "asks for sh:Warning" in severity["message"]


def test_a_level_profile_changes_or_silences_a_rule(working_copy, tmp_path):
    _edit(working_copy, _FIRST_SHAPE, "rsf:checks rsf:O-CE1-01 ;", "")
    profile = tmp_path / "qa-profile.txt"
    profile.write_text("# our own levels\ninfo qa-obligation-without-shape   # shapes come later\n", encoding="utf-8")
    lowered = run_rsf_inprocess("ontology", "check", "--data-root", str(working_copy), "--no-reasoner",
                                "--profile", str(profile), "--format", "json")
    assert lowered.code == 0, lowered.output  # info does not fail the check
    assert [(f["rule"], f["level"]) for f in json.loads(lowered.stdout)["findings"]] == [("qa-obligation-without-shape", "info")]
    profile.write_text("IGNORE qa-obligation-without-shape\n", encoding="utf-8")
    ignored = run_rsf_inprocess("ontology", "check", "--data-root", str(working_copy), "--no-reasoner",
                                "--profile", str(profile), "--format", "json")
    assert ignored.code == 0 and json.loads(ignored.stdout)["findings"] == []
    profile.write_text("warning qa-obligation-without-shape\nwarn qa-obligaton-without-shape\n", encoding="utf-8")
    bad = run_rsf_inprocess("ontology", "check", "--no-reasoner", "--profile", str(profile))
    assert bad.code == 2 and f"{profile}:2: unknown level 'warn'" in bad.stderr
    profile.write_text("warning qa-obligaton-without-shape\n", encoding="utf-8")
    misspelt = run_rsf_inprocess("ontology", "check", "--no-reasoner", "--profile", str(profile))
    assert misspelt.code == 2 and "did you mean qa-obligation-without-shape?" in misspelt.stderr


def test_every_rule_a_profile_can_name_is_listed():
    listed = run_rsf_inprocess("ontology", "check", "--list-rules").stdout.split()
    assert {"consistency", "qa-obligation-bearer", "qa-shape-severity", "qa-obligation-without-shape"} <= set(listed)
    assert listed == sorted(listed)


def test_a_data_root_that_is_not_a_working_copy_is_refused(tmp_path):
    (tmp_path / "ontology").mkdir()
    outcome = run_rsf_inprocess("ontology", "check", "--data-root", str(tmp_path), "--no-reasoner")
    assert outcome.code == 2 and "no shapes/ or queries/" in outcome.stderr
