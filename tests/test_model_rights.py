"""Rights, element by element, and the two source layers (normative model, 2nd edition).

The expected element -> right paths are the design table in docs/model.md,
written from the Framework's text and the project's reading of it; the test
compares that table with the ontology and with the trace every finding carries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Literal, URIRef

from responsible_sharing.trace import FRAMEWORK_LAYER, POLICIES_LAYER, build_traces

from rsfrun import run_rsf

RSF = "https://w3id.org/rsf/"
MODEL_DOC = Path(__file__).parent.parent / "docs" / "model.md"
BASIS = {"stated": URIRef(RSF + "StatedByFramework"), "GA4GH policy": URIRef(RSF + "StatedByGA4GHPolicy"),
         "interpretation": URIRef(RSF + "ProjectInterpretation")}


def documented_paths() -> set[tuple[str, str, str, str]]:
    """(element notation, right notation, via principle, basis) from the table in docs/model.md."""
    text = MODEL_DOC.read_text(encoding="utf-8")
    table = text.split("<!-- element-right-table: begin -->")[1].split("<!-- element-right-table: end -->")[0]
    rows = set()
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.match(r"CE\d+ ", cells[0]):
            rows.add((cells[0].split()[0], cells[1].split()[0], cells[2], cells[3]))
    return rows


def notation(graph, node) -> str:
    return str(graph.value(node, URIRef("http://www.w3.org/2004/02/skos/core#notation")))


def ontology_paths(graph) -> set[tuple[str, str, str, str]]:
    out = set()
    for axiom in graph.subjects(OWL.annotatedProperty, URIRef(RSF + "upholds")):
        element = graph.value(axiom, OWL.annotatedSource)
        right = graph.value(axiom, OWL.annotatedTarget)
        via = graph.value(axiom, URIRef(RSF + "via"))
        basis = {v: k for k, v in BASIS.items()}.get(graph.value(axiom, URIRef(RSF + "basis")), "other")
        out.add((notation(graph, element), notation(graph, right), notation(graph, via), basis))
    return out


def test_the_documented_table_is_the_ontology(graph):
    documented = documented_paths()
    assert len(documented) >= 20
    assert ontology_paths(graph) == documented
    upheld = {(notation(graph, e), notation(graph, r)) for e, r in graph.subject_objects(URIRef(RSF + "upholds"))}
    assert upheld == {(e, r) for e, r, _, _ in documented}


def test_each_path_runs_through_a_principle_the_element_serves_and_that_is_grounded_in_the_right(graph):
    by_notation = {notation(graph, s): s for s in graph.subjects(URIRef("http://www.w3.org/2004/02/skos/core#notation"), None)}
    for element, right, via, _ in documented_paths():
        assert (by_notation[element], URIRef(RSF + "serves"), by_notation[via]) in graph, (element, via)
        assert (by_notation[via], URIRef(RSF + "groundedIn"), by_notation[right]) in graph, (via, right)


def test_no_two_elements_reach_the_same_rights(graph):
    sets: dict[str, frozenset[str]] = defaultdict(frozenset)
    for element, right, _, _ in documented_paths():
        sets[element] = sets[element] | {right}
    assert len(sets) == 10
    seen: dict[frozenset[str], str] = {}
    for element, rights in sorted(sets.items()):
        assert rights not in seen, f"{element} and {seen.get(rights)} reach the same rights {sorted(rights)}"
        seen[rights] = element


def test_finding_traces_use_the_elements_own_rights(graph):
    traces = build_traces(graph)
    reidentification = traces[RSF + "O-CE5-03"]
    assert {r.notation for r in reidentification.rights} == {"HR-PRIVACY", "HR-NONDISCRIMINATION"}
    citation = traces[RSF + "O-CE7-01"]
    assert {r.notation for r in citation.rights} == {"HR-AUTHOR"}
    authors = [ob for ob, t in traces.items() if any(r.notation == "HR-AUTHOR" for r in t.rights)]
    assert authors and all("/O-CE7-" in ob for ob in authors)


def test_respect_for_participants_is_not_grounded_in_authors_rights(graph):
    p1 = URIRef(RSF + "P1")
    grounded = {notation(graph, r) for r in graph.objects(p1, URIRef(RSF + "groundedIn"))}
    assert grounded == {"HR-PRIVACY", "HR-NONDISCRIMINATION", "HR-DIGNITY"}
    assert {notation(graph, p) for p in graph.objects(p1, URIRef(RSF + "underlies"))} == {"P2", "P3", "P4"}


def test_icescr_article_15_is_stated_by_the_framework(graph):
    rows = graph.query("""
        PREFIX rsf: <https://w3id.org/rsf/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?provision ?basis WHERE {
          ?provision rsf:articleOf rsf:ICESCR ; rsf:articleNumber ?n . FILTER (STRSTARTS(?n, "15"))
          ?axiom owl:annotatedProperty rsf:recognisedIn ; owl:annotatedTarget ?provision ; rsf:basis ?basis .
        }""")
    assert {str(r.basis) for r in rows} == {RSF + "StatedByFramework"}
    assert len({r.provision for r in rows}) == 3


def test_non_discrimination_does_not_claim_general_instruments_list_genetic_characteristics(graph):
    definition = str(graph.value(URIRef(RSF + "RightToNonDiscrimination"), URIRef("http://www.w3.org/2004/02/skos/core#definition")))
    assert "UNESCO" in definition
    provisions = {notation(graph, p) for p in graph.objects(URIRef(RSF + "RightToNonDiscrimination"), URIRef(RSF + "recognisedIn"))}
    assert "UDHGHR 6" in provisions


def test_every_live_obligation_cites_a_clause_finer_than_a_part(graph):
    traces = build_traces(graph)
    for iri, trace in traces.items():
        assert trace.statements, iri
        for statement in trace.statements:
            assert re.search(r"(paragraph|bullet|clause|criteri|section|item|goal|sentence|\d+\.\d+)", statement.locator, re.I), (iri, statement.locator)
    layers = {t.layer for t in traces.values()}
    assert layers == {FRAMEWORK_LAYER, POLICIES_LAYER}


def test_retired_obligations_keep_their_iri_and_leave_every_profile(graph):
    retired = set(graph.subjects(OWL.deprecated, Literal(True))) & set(graph.subjects(RDF.type, URIRef(RSF + "Obligation")))
    assert URIRef(RSF + "O-CE2-08") in retired
    assert not {str(r) for r in retired} & set(build_traces(graph))


def test_qa_reports_an_obligation_cited_only_to_a_part(ontology_copy):
    with (ontology_copy / "obligations.ttl").open("a", encoding="utf-8") as handle:
        handle.write('\nrsf:FRS-PART-IV a owl:NamedIndividual , rsf:SourceClause ; rdfs:label "Framework Part IV as a whole"@en ;'
                     ' skos:definition "The whole of Part IV."@en ; rsf:clauseOf rsf:GA4GHFramework ; rsf:locator "Part IV" ;'
                     ' dct:source <https://www.ga4gh.org/framework> .\n'
                     'rsf:O-CE1-01 rsf:statedIn rsf:FRS-PART-IV .\n')
    result = run_rsf("ontology", "check", "--ontology", str(ontology_copy), "--no-reasoner")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "qa-clause-located" in result.stdout and "Framework Part IV as a whole" in result.stdout


@pytest.mark.parametrize("term, expected", [
    ("P1", ["HR-DIGNITY", "HR-PRIVACY", "HR-NONDISCRIMINATION"]),
    ("HR-SCIENCE", ["ICESCR 15(1)(b)", "stated by the Framework"]),
    ("RightToScience", ['ICESCR 15(1)(b) "ICESCR Article 15(1)(b)"  [stated by the Framework]']),
    ("O-CE5-03", ["Layer: the Framework", "Part IV, 5", "bullet 2", "Checked by:", "https://w3id.org/rsf/shapes/O-CE5-03"]),
    ("O-CE10-05", ["Layer: GA4GH policies", "GA4GH Accountability Policy", "--sources framework"]),
])
def test_explain_shows_rights_layers_and_clauses(term, expected):
    result = run_rsf("explain", term)
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout, (term, text)
    if term == "P1":
        assert "HR-AUTHOR" not in result.stdout.split("What the Framework itself states")[0]


EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.parametrize("example, dropped", [
    ("biobank-community-charter.ttl", {"O-CE1-17", "O-CE1-18", "O-CE10-05"}),
    ("federated-repository-delegating.ttl", {"O-CE2-10", "O-CE10-08"}),
    ("research-institute-policy.ttl", {"O-CE10-07"}),
])
def test_sources_framework_leaves_out_what_only_the_ga4gh_policies_state(example, dropped):
    import json

    default = run_rsf("validate", str(EXAMPLES / example), "--format", "json", "--fail-on", "none")
    framework = run_rsf("validate", str(EXAMPLES / example), "--format", "json", "--fail-on", "none", "--sources", "framework")
    assert default.returncode == framework.returncode == 0, default.stderr + framework.stderr
    by_default, by_framework = json.loads(default.stdout)["policies"][0], json.loads(framework.stdout)["policies"][0]
    assert by_default["profile"]["sources"] == "all" and by_framework["profile"]["sources"] == "framework"
    notations = lambda policy: {f["obligation"]["notation"] for f in policy["findings"]}  # noqa: E731
    assert dropped <= notations(by_default) and not dropped & notations(by_framework)
    assert notations(by_framework) == notations(by_default) - dropped
    reasons = {e["obligation"].rsplit("/", 1)[-1]: e["reason"] for e in by_framework["profile"]["excluded"]}
    for notation in dropped:
        finding = next(f for f in by_default["findings"] if f["obligation"]["notation"] == notation)
        assert finding["obligation"]["layer"] == "ga4gh-policies"
        assert all(s["layer"] == "ga4gh-policies" for s in finding["obligation"]["stated_in"])
        assert reasons[notation].startswith("stated only in the GA4GH policies")
