"""Alignments to DPV, ODRL, DUO and DCAT: the right kind of relation, and every
external term the ontology or the shapes use described offline in
ontology/external/ (the QA query qa-external-term-missing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from responsible_sharing import check_ontology, load_ontology, queries
from responsible_sharing.qa import query_data
from responsible_sharing.resources import shipped_path
from responsible_sharing.sparql import OxigraphEngine, RdflibEngine

ROOT = Path(__file__).resolve().parent.parent
RSF = "https://w3id.org/rsf/"
DPV = "https://w3id.org/dpv#"
EXTERNAL = ("https://w3id.org/dpv#", "http://www.w3.org/ns/odrl/2/",
            "http://purl.obolibrary.org/obo/DUO_", "http://www.w3.org/ns/dcat#")
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch)
PROPERTY_TYPES = (RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
OWL_DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                    OWL.NamedIndividual)
QUERY = "qa-external-term-missing"


def _external(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(EXTERNAL)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology().graph


@pytest.fixture(scope="module")
def extracts() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology" / "external").glob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "shapes").rglob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def qa_data() -> Graph:
    """What `rsf ontology check` runs the query on: ontology, shapes, extracts."""
    return query_data(load_ontology(), queries.stored_query(QUERY).header["data"])


def _is_property(term: URIRef, *graphs: Graph) -> bool:
    return any((term, RDF.type, kind) in g for g in graphs for kind in PROPERTY_TYPES)


def _is_described(term: URIRef, graph: Graph) -> bool:
    return any(graph.triples((term, None, None)))


# ---------------------------------------------------------------------------
# The kind of each alignment


def test_no_property_is_skos_mapped_to_a_class_or_back(ontology, extracts):
    """A SKOS mapping links a property to a property, a class or individual to a concept."""
    mismatched = []
    for mapping in MAPPINGS:
        for ours, theirs in ontology.subject_objects(mapping):
            assert _is_described(theirs, extracts), f"{theirs} is mapped to but not in ontology/external/"
            if _is_property(ours, ontology) != _is_property(theirs, extracts):
                mismatched.append((str(ours), mapping.fragment, str(theirs)))
    assert mismatched == []


def test_sub_properties_and_sub_classes_of_external_terms_are_of_their_kind(ontology, extracts):
    for ours, theirs in ontology.subject_objects(RDFS.subPropertyOf):
        if _external(theirs):
            assert _is_property(ours, ontology) and _is_property(theirs, extracts), (ours, theirs)
    for ours, theirs in ontology.subject_objects(RDFS.subClassOf):
        if _external(theirs):
            assert not _is_property(theirs, extracts), (ours, theirs)


def test_the_alignments_issue_10_asked_for(ontology):
    dpv = lambda name: URIRef(DPV + name)  # noqa: E731
    rsf = lambda name: URIRef(RSF + name)  # noqa: E731
    # a property is never close to a class; it relates to DPV's properties
    assert not any(ontology.triples((rsf("retentionPeriod"), None, dpv("StorageDuration"))))
    assert (rsf("retentionPeriod"), SKOS.relatedMatch, dpv("hasStorageCondition")) in ontology
    assert (rsf("riskAssessment"), RDFS.subPropertyOf, dpv("hasRiskAssessment")) in ontology
    assert (rsf("breachProcedure"), RDFS.subPropertyOf, dpv("hasOrganisationalMeasure")) in ontology
    # an access model that uses a secure environment is not that environment
    assert (rsf("SecureEnvironmentAccess"), SKOS.relatedMatch, dpv("SecureProcessingEnvironment")) in ontology
    assert (rsf("SecureEnvironmentAccess"), SKOS.closeMatch, dpv("SecureProcessingEnvironment")) not in ontology
    assert (rsf("ClinicalLaboratory"), SKOS.broadMatch, dpv("HealthcareOrganisation")) in ontology


def test_the_dpv_terms_issue_10_found_missing_are_in_the_extract(extracts):
    for name in ("DataController", "Patient", "Participant", "AcademicScientificOrganisation",
                 "StorageDuration", "HealthcareOrganisation", "hasStorageCondition", "hasDuration",
                 "hasRiskAssessment", "hasLegalMeasure", "hasPhysicalMeasure"):
        assert any(extracts.triples((URIRef(DPV + name), SKOS.prefLabel, None))), name


def test_the_ontology_and_the_shapes_never_describe_an_external_term(ontology, shapes):
    """What the QA query takes as "described" only an extract can give: the modules
    declare external terms with OWL types alone (to stay OWL 2 DL), never a label."""
    for graph in (ontology, shapes):
        for term, predicate, value in graph:
            if _external(term):
                assert predicate == RDF.type and value in OWL_DECLARATIONS, (term, predicate, value)


# ---------------------------------------------------------------------------
# The QA query


def _rows(graph: Graph) -> tuple[list, list]:
    text = queries.stored_query(QUERY).text
    on_rdflib = sorted(RdflibEngine(graph).query(text, {}).rows)
    on_oxigraph = sorted(OxigraphEngine(graph).query(text, {}).rows)
    return on_rdflib, on_oxigraph


def test_query_finds_nothing_missing_in_the_shipped_ontology_and_shapes(qa_data):
    on_rdflib, on_oxigraph = _rows(qa_data)
    assert on_rdflib == on_oxigraph == []


def test_query_flags_undescribed_external_terms_the_same_on_both_engines(qa_data):
    broken = Graph()
    for triple in qa_data:
        broken.add(triple)
    used_as_object = URIRef(DPV + "NoSuchConcept")
    used_as_predicate = URIRef("http://www.w3.org/ns/odrl/2/noSuchProperty")
    declared_only = URIRef("http://www.w3.org/ns/dcat#NoSuchClass")
    in_a_shape_list = URIRef("http://purl.obolibrary.org/obo/DUO_9999999")
    broken.add((URIRef(RSF + "ClinicalLaboratory"), SKOS.closeMatch, used_as_object))
    broken.add((URIRef(RSF + "OpenAccess"), used_as_predicate, Literal("x")))
    broken.add((declared_only, RDF.type, OWL.Class))
    head = next(iter(broken.objects(None, URIRef("http://www.w3.org/ns/shacl#in"))))
    broken.add((head, RDF.first, in_a_shape_list))  # a second member of some shape's sh:in list
    # an extract's own triples are no use: a DPV term pointing at an undescribed one is not reported
    broken.add((URIRef(DPV + "Patient"), SKOS.related, URIRef(DPV + "OnlyNamedByAnExtract")))
    on_rdflib, on_oxigraph = _rows(broken)
    assert on_rdflib == on_oxigraph
    assert [row[0] for row in on_rdflib] == sorted([used_as_object, used_as_predicate, declared_only, in_a_shape_list])
    assert {row[1] for row in on_rdflib} == {RDFS.label}


def test_query_without_the_extracts_returns_nothing(ontology):
    """As `rsf query` loads data by default (ontology and shapes): nothing to judge."""
    on_rdflib, on_oxigraph = _rows(ontology)
    assert on_rdflib == on_oxigraph == []


@pytest.fixture(scope="module")
def undescribed_ontology(tmp_path_factory) -> Path:
    """The shipped ontology (with its extracts) where one module maps to a DPV term no extract has."""
    target = tmp_path_factory.mktemp("undescribed") / "ontology"
    with shipped_path("ontology") as shipped:
        shutil.copytree(shipped, target)
    with (target / "roles.ttl").open("a", encoding="utf-8") as module:
        module.write("\nrsf:FundingAgency skos:relatedMatch dpv:FundingOrganisationThatIsNotThere .\n")
    return target


def test_ontology_check_reports_an_external_term_no_extract_describes(undescribed_ontology):
    report = check_ontology(undescribed_ontology, reasoner=False)
    findings = [f for f in report.findings if f.rule == QUERY]
    assert [(f.level, f.term, f.check) for f in findings] == [
        ("error", f"{DPV}FundingOrganisationThatIsNotThere", "sparql")]
    assert "no extract in ontology/external/ describes it" in findings[0].message
    assert not report.clean


def test_ontology_check_reads_the_extracts_of_the_folder_it_checks(undescribed_ontology, tmp_path):
    """Dropping an extract from the checked folder makes every term of that vocabulary missing."""
    target = tmp_path / "ontology"
    shutil.copytree(undescribed_ontology, target)
    (target / "external" / "odrl-subset.ttl").unlink()
    terms = {f.term for f in check_ontology(target, reasoner=False).findings if f.rule == QUERY}
    assert "http://www.w3.org/ns/odrl/2/Policy" in terms
    assert all(t.startswith(("http://www.w3.org/ns/odrl/2/", f"{DPV}FundingOrganisationThatIsNotThere")) for t in terms)
