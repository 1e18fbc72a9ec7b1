"""`rsf ontology check`: HermiT, the QA shapes and the QA queries, on the
shipped ontology and on deliberately broken copies."""

from __future__ import annotations

import pytest

from responsible_sharing import check_ontology
from responsible_sharing.errors import InputSyntaxError

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
    import json

    result = run_rsf("ontology", "check", "--ontology", str(broken_ontology), "--no-reasoner", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["clean"] is False
    assert {"term": f"{RSF}P9", "rule": "qa-principle-grounded"}.items() <= next(
        f for f in report["findings"] if f["term"] == f"{RSF}P9"
    ).items()
