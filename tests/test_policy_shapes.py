"""The policy shapes against the obligation catalogue, and each shape against its fixture.

Walks the catalogue: every machine-checkable obligation has a shape, every
shape checks a real obligation at the severity its modality demands, and every
shape has a fixture whose ex:conforms policy it accepts and whose ex:violates
policy it rejects. A retired obligation's shape is deactivated
(sh:deactivated true, docs/model.md "Two source layers"): it stays silent on
both policies of its fixture, though it rejects the violating one when it is
switched back on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH

from responsible_sharing.namespaces import RSF, RSFSH
from responsible_sharing.validate import engine, run_shapes

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
EX = "https://example.org/fixture/"


@pytest.fixture(scope="module")
def eng():
    return engine()


def _policy_shapes(eng) -> dict[URIRef, URIRef]:
    return {s: o for s, o in eng.shapes.subject_objects(RSF.checks)}


def test_every_machine_checkable_obligation_has_a_shape(eng, graph):
    checkable = {o for o in graph.subjects(RDF.type, RSF.Obligation) if graph.value(o, RSF.machineCheckable) == Literal(True)}
    checked = set(_policy_shapes(eng).values())
    stated = {o for o in graph.subjects(RDF.type, RSF.Obligation) if graph.value(o, RSF.machineCheckable) is not None}
    assert stated == set(graph.subjects(RDF.type, RSF.Obligation)), "every obligation says whether it is machine-checkable"
    assert sorted(checkable - checked) == []


def test_shapes_check_only_machine_checkable_obligations(eng, graph):
    for shape, obligation in _policy_shapes(eng).items():
        assert (obligation, RDF.type, RSF.Obligation) in graph, f"{shape} checks {obligation}, not an obligation"
        assert graph.value(obligation, RSF.machineCheckable) == Literal(True), f"{shape} checks uncheckable {obligation}"


_ONE_STEP_LOWER = {SH.Violation: SH.Warning, SH.Warning: SH.Info}


def test_shape_severity_follows_the_obligation_modality(eng, graph):
    for shape, obligation in _policy_shapes(eng).items():
        expected = graph.value(graph.value(obligation, RSF.hasModality), RSF.shaclSeverity)
        if eng.shapes.value(shape, RSF.weakerFindingOf) is not None:
            continue  # a partial answer: see the next test
        assert eng.shapes.value(shape, SH.severity) == expected, f"{shape}: severity does not match {obligation}'s modality"


def test_a_partial_answer_weighs_one_step_less_than_none(eng, graph):
    """A shape that finds a fact stated only in part (an appeal route without a
    contact point, a duty only requested) checks the same obligation as the
    shape it weakens, one severity step below it, with its own message."""
    weaker = dict(eng.shapes.subject_objects(RSF.weakerFindingOf))
    assert {str(s).removeprefix(str(RSFSH)) for s in weaker} >= {"O-CE1-16-contact", "O-CE2-09-requested", "O-CE7-01-requested"}
    shapes = _policy_shapes(eng)
    for shape, stronger in weaker.items():
        assert shapes[shape] == shapes[stronger], shape
        assert eng.shapes.value(shape, SH.severity) == _ONE_STEP_LOWER[eng.shapes.value(stronger, SH.severity)], shape
        assert eng.shapes.value(shape, SH.message) != eng.shapes.value(stronger, SH.message), shape


def test_every_shape_targets_policies_and_explains_itself(eng):
    for shape in _policy_shapes(eng):
        assert (shape, SH.targetClass, RSF.DataSharingPolicy) in eng.shapes, shape
        for prop in (SH.message, RSF.fixHint, SH.name):
            value = eng.shapes.value(shape, prop)
            assert value is not None and value.language == "en" and len(str(value)) > 10, (shape, prop)


def test_policy_shapes_are_shacl_core():
    assert not list(engine().shapes.subjects(SH.sparql, None)), "policy shapes use SHACL-SPARQL where Core would do"


def test_every_shape_has_a_fixture(eng):
    shapes = {str(s).removeprefix(str(RSFSH)) for s in _policy_shapes(eng)}
    fixtures = {p.stem for p in FIXTURES.glob("*.ttl")}
    assert shapes == fixtures


def _deactivated(eng) -> set[str]:
    return {str(s).removeprefix(str(RSFSH)) for s in eng.shapes.subjects(SH.deactivated, Literal(True))}


def test_deactivated_shapes_are_exactly_those_of_retired_obligations(eng, graph):
    retired = set(graph.subjects(OWL.deprecated, Literal(True))) & set(graph.subjects(RDF.type, RSF.Obligation))
    deactivated = {URIRef(RSFSH + s) for s in _deactivated(eng)}
    assert {_policy_shapes(eng)[s] for s in deactivated} == retired
    assert {s for s, o in _policy_shapes(eng).items() if o in retired} == deactivated
    assert "O-CE2-08" in _deactivated(eng)  # retired in 0.3.0 (ontology/CHANGELOG.md)


def _fixture_data() -> Graph:
    """All fixtures in one graph, ex:conforms / ex:violates renamed per fixture."""
    data = Graph()
    for path in sorted(FIXTURES.glob("*.ttl")):
        part = Graph().parse(path)
        rename = {URIRef(EX + "conforms"): URIRef(f"{EX}{path.stem}/conforms"),
                  URIRef(EX + "violates"): URIRef(f"{EX}{path.stem}/violates")}
        for s, p, o in part:
            data.add((rename.get(s, s), p, rename.get(o, o)))
    return data


def _hits(results: Graph) -> dict[str, set[str]]:
    hits: dict[str, set[str]] = {}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = str(results.value(result, SH.sourceShape)).removeprefix(str(RSFSH))
        focus = str(results.value(result, SH.focusNode))
        if focus.startswith(f"{EX}{shape}/"):
            hits.setdefault(shape, set()).add(focus.rsplit("/", 1)[-1])
    return hits


@pytest.fixture(scope="module")
def fixture_results(eng):
    """Every fixture validated once against the shipped shapes."""
    return _hits(run_shapes(_fixture_data()))


@pytest.fixture(scope="module")
def reactivated_results(eng):
    """Every fixture validated against the shipped shapes with the deactivated ones switched back on."""
    shapes = Graph()
    for triple in eng.shapes:
        shapes.add(triple)
    shapes.remove((None, SH.deactivated, None))
    return _hits(run_shapes(_fixture_data(), shapes))


@pytest.mark.parametrize("fixture", sorted(p.stem for p in FIXTURES.glob("*.ttl")))
def test_shape_accepts_conforming_and_rejects_violating_fixture(fixture, eng, fixture_results, reactivated_results):
    if fixture in _deactivated(eng):
        # a retired obligation's shape gives no result at all, not even on the policy built to violate it ...
        assert fixture_results.get(fixture, set()) == set()
        # ... and that is the deactivation, not a fixture that no longer violates
        assert reactivated_results.get(fixture, set()) == {"violates"}
    else:
        assert fixture_results.get(fixture, set()) == {"violates"}
