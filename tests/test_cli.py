"""The rsf command as a user sees it: --version, --help, explain, export."""

from __future__ import annotations

import json
import os

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from responsible_sharing import __version__

from rsfrun import run_rsf


def test_version_and_help():
    version = run_rsf("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"rsf, version {__version__}"
    helptext = run_rsf("--help")
    assert helptext.returncode == 0
    for word in ("ontology", "explain", "Exit codes"):
        assert word in helptext.stdout
    sub = run_rsf("ontology", "--help")
    assert "check" in sub.stdout and "export" in sub.stdout


def test_unknown_command_is_usage_error():
    result = run_rsf("frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_explain_ce1_shows_meaning_principles_rights_and_obligations():
    result = run_rsf("explain", "CE1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith('CE1 "Transparency"\n')
    assert "core element" in out
    # which principles it serves, and on what basis
    assert 'serves P4 "Foster Trust, Integrity and Reciprocity"  [primary; project interpretation]' in out
    assert 'serves P1 "Respect Individuals, Families and Communities"  [secondary; project interpretation]' in out
    # which rights the element upholds through them, with their articles
    assert 'upholds HR-FAIRNESS "right to procedural fairness" (ICCPR 14(1), UDHR 10, UDHR 8)  [stated by a GA4GH policy]' in out
    assert 'upholds HR-PRIVACY "right to privacy" (ICCPR 17, UDGHR 7, UDHR 12)'.replace("UDGHR", "UDHGHR") in out
    assert 'upholds HR-DIGNITY "respect for human dignity"' in out
    assert "HR-AUTHOR" not in out.split("What the Framework itself states")[0]
    # what the Framework itself states
    assert 'HR-SCIENCE "right to share in scientific advancement and its benefits"  [stated by the Framework]' in out
    # obligations that derive from it and their bearers
    from rdflib import OWL, Literal, URIRef

    from responsible_sharing import load_ontology

    graph = load_ontology().graph
    ce1 = URIRef("https://w3id.org/rsf/CE1")
    live = [o for o in graph.subjects(URIRef("https://w3id.org/rsf/derivesFrom"), ce1)
            if (o, OWL.deprecated, Literal(True)) not in graph]
    assert f"Obligations below this term ({len(live)}):" in out and len(live) >= 12
    assert "O-CE1-10   SHOULD describe how access requests are decided" in out
    assert "borne by: data access committee" in out


def test_explain_principle_by_label_any_case():
    result = run_rsf("explain", "respect individuals, families and communities")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('P1 "Respect Individuals, Families and Communities"')
    assert 'grounded in HR-PRIVACY "right to privacy"' in result.stdout
    assert 'CE5 "Privacy, Data Protection and Confidentiality" serves this' in result.stdout


def test_explain_right_and_role():
    right = run_rsf("explain", "HR-AUTHOR")
    assert right.returncode == 0
    assert 'UDHR 27(2) "UDHR Article 27(2)"  [stated by the Framework]' in right.stdout
    assert 'ICESCR 15(1)(c) "ICESCR Article 15(1)(c)"  [stated by the Framework]' in right.stdout
    assert 'CE7 "Recognition and Attribution"  [project interpretation]' in right.stdout.split("Core elements that uphold this right:")[1]
    role = run_rsf("explain", "ethics review committee")
    assert role.returncode == 0
    assert "Obligations borne by this role" in role.stdout and "O-CE6-02" in role.stdout
    retired = run_rsf("explain", "data protection authority")
    assert retired.returncode == 0
    assert "Obligations borne by this role (0):" in retired.stdout and "O-CE2-08" not in retired.stdout


def test_explain_obligation_json():
    result = run_rsf("explain", "O-CE5-03", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["kind"] == "Obligation"
    rights = {c["right"].rsplit("/", 1)[1] for c in data["chains"]}
    assert "RightToPrivacy" in rights
    assert {c["element"].rsplit("/", 1)[1] for c in data["chains"]} == {"CE5"}


def test_explain_unknown_term_is_a_clear_error():
    result = run_rsf("explain", "CE42")
    assert result.returncode == 2
    assert "no term has the notation, label or IRI 'CE42'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("xml", "xml"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_export_is_deterministic_and_complete(tmp_path, graph, fmt, parser):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    for target, seed in ((first, "1"), (second, "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = run_rsf("ontology", "export", "--format", fmt, "--output", str(target), env=env)
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    exported = Graph().parse(first, format=parser)
    assert isomorphic(exported, graph)


def test_export_failure_leaves_no_file(tmp_path, ontology_copy):
    (ontology_copy / "core.ttl").write_text("this is not turtle\n")
    target = tmp_path / "out.ttl"
    result = run_rsf("ontology", "export", "--ontology", str(ontology_copy), "--output", str(target))
    assert result.returncode == 2
    assert "core.ttl:1" in result.stderr
    assert not target.exists()
    assert list(tmp_path.glob(".out.ttl.*")) == []


def test_export_rejects_unknown_format():
    result = run_rsf("ontology", "export", "--format", "owx")
    assert result.returncode == 2
    assert "Invalid value for '--format'" in result.stderr


def test_explain_names_the_policy_vocabulary_a_report_or_guide_mentions():
    group = run_rsf("explain", "AccessDecisionDuties")
    assert group.returncode == 0, group.stderr
    assert "skos:Collection" in group.stdout and "Members (7):" in group.stdout
    assert "O-CE1-10 describe how access requests are decided" in group.stdout
    assert "O-CE1-16" not in group.stdout.split("Members", 1)[1]  # the appeal route is delegated only by name
    prop = run_rsf("explain", "remoteAccessFromAbroad")
    assert prop.returncode == 0 and "owl:DatatypeProperty" in prop.stdout and "O-CE5-05" in prop.stdout


def test_explain_an_obligation_shows_every_kind_of_sharing_and_why_it_does_not_arise():
    shown = run_rsf("explain", "O-CE5-07")
    assert shown.returncode == 0, shown.stderr
    section = shown.stdout.split("Kinds of sharing (access models):", 1)[1].split("\n\n", 1)[0].splitlines()
    verdicts = {line.split("  ")[1].strip(): line for line in section if line.strip()}
    assert list(verdicts) == ["open access", "registered access", "controlled access", "secure environment access"]
    assert verdicts["registered access"].endswith("applies") and verdicts["controlled access"].endswith("applies")
    assert "does not arise: Data analysed inside the custodian's secure environment are never copied out" in verdicts["secure environment access"]
    assert "does not arise" in verdicts["open access"]
    conditional = run_rsf("explain", "O-CE5-05").stdout
    assert "applies unless the policy states rsf:remoteAccessFromAbroad false" in conditional
