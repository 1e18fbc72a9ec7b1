"""The model: counts, the spine from every obligation to a right, the basis
of each link, and metadata. Expected values come from the Framework (see
FACTS in the project's shared notes), not from the code's own output."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import RDF, Literal, URIRef

from responsible_sharing import __version__, queries

RSF = "https://w3id.org/rsf/"
PREFIXES = """
PREFIX rsf:  <https://w3id.org/rsf/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
PREFIX dct:  <http://purl.org/dc/terms/>
"""


def select(graph, query: str) -> list:
    return list(graph.query(PREFIXES + query))


def notations(graph, cls: str) -> set[str]:
    rows = select(graph, f"SELECT ?n WHERE {{ ?t a rsf:{cls} ; skos:notation ?n }}")
    return {str(row.n) for row in rows}


def test_four_principles_ten_elements_five_aims_seven_goals(graph):
    assert notations(graph, "Principle") == {"P1", "P2", "P3", "P4"}
    assert notations(graph, "CoreElement") == {f"CE{i}" for i in range(1, 11)}
    assert notations(graph, "Aim") == {f"A{i}" for i in range(1, 6)}
    assert notations(graph, "PurposeGoal") == {f"G{i}" for i in range(1, 8)}


def test_principle_and_element_labels_are_the_frameworks(graph):
    rows = select(graph, "SELECT ?n ?l WHERE { ?t skos:notation ?n ; rdfs:label ?l . { ?t a rsf:Principle } UNION { ?t a rsf:CoreElement } }")
    labels = {str(r.n): str(r.l) for r in rows}
    assert labels["P1"] == "Respect Individuals, Families and Communities"
    assert labels["P3"] == "Promote Health, Wellbeing and the Fair Distribution of Benefits"
    assert labels["CE1"] == "Transparency"
    assert labels["CE5"] == "Privacy, Data Protection and Confidentiality"
    assert labels["CE10"] == "Accessibility and Dissemination"


def test_actor_roles_of_the_frameworks_addressees(graph):
    # the thirteen target users, plus the Part II addressees that a text gives a duty (0.3.0)
    rows = select(graph, "SELECT ?l WHERE { ?r a rsf:ActorRole ; rdfs:label ?l }")
    assert {str(r.l) for r in rows} == {
        "researcher", "clinician", "clinical laboratory", "data generator", "data custodian",
        "data access committee", "ethics review committee", "data protection authority",
        "funding agency", "developer", "research participants and patient communities",
        "security officer", "research institute",
        "publisher", "ministry of health or government authority", "industry",
    }


def test_every_role_bears_at_least_one_obligation(graph):
    rows = select(graph, "SELECT ?r WHERE { ?r a rsf:ActorRole FILTER NOT EXISTS { ?o rsf:bearer ?r } }")
    assert rows == []


def test_obligation_catalogue_size_and_spread(graph):
    rows = select(graph, """
        SELECT ?n (COUNT(DISTINCT ?o) AS ?count) WHERE {
          ?e a rsf:CoreElement ; skos:notation ?n .
          OPTIONAL { ?o rsf:derivesFrom ?e }
        } GROUP BY ?n""")
    per_element = {str(r.n): int(r["count"]) for r in rows}
    assert len(per_element) == 10
    assert min(per_element.values()) >= 4, per_element
    assert sum(per_element.values()) >= 45


def test_each_obligation_has_bearer_element_modality_and_source(graph):
    rows = select(graph, """
        SELECT ?o WHERE { ?o a rsf:Obligation .
          FILTER (NOT EXISTS { ?o rsf:bearer ?b } || NOT EXISTS { ?o rsf:derivesFrom ?e }
               || NOT EXISTS { ?o rsf:hasModality ?m } || NOT EXISTS { ?o dct:source ?s }) }""")
    assert rows == []


def test_not_checkable_obligations_say_why(graph):
    rows = select(graph, """
        SELECT ?o ?reason WHERE { ?o a rsf:Obligation ; rsf:machineCheckable false .
          OPTIONAL { ?o rsf:notCheckableReason ?reason } }""")
    assert rows, "the catalogue keeps obligations no written policy can show"
    assert all(row.reason is not None and len(str(row.reason)) > 20 for row in rows)


def test_every_obligation_reaches_a_right_through_the_stored_query(graph):
    obligations = {r.o for r in select(graph, "SELECT ?o WHERE { ?o a rsf:Obligation }")}
    chains = list(queries.run(graph, "obligation-to-right"))
    reached = defaultdict(set)
    for row in chains:
        reached[row.obligation].add(row.right)
    assert set(reached) == obligations
    assert all(reached[o] for o in obligations)


def test_specific_chains(graph):
    """Chains read off the Framework's structure: the re-identification ban
    sits under privacy; attribution under the protection of authors' interests."""
    def rights_of(notation: str) -> set[str]:
        rows = queries.run(graph, "obligation-to-right", {"obligation": URIRef(f"{RSF}{notation}")})
        return {str(r.right).removeprefix(RSF) for r in rows}

    assert "RightToPrivacy" in rights_of("O-CE5-03")
    assert "RightToAuthorsInterests" in rights_of("O-CE7-01")
    assert "RightToProceduralFairness" in rights_of("O-CE1-10")
    assert "RightToScience" in rights_of("O-CE10-03")


def test_element_to_principle_links_match_the_interpretation_table(graph):
    """The element -> principle table (primary principle first) from the project's notes."""
    expected = {
        "CE1": {"P4", "P1"}, "CE2": {"P4", "P1"}, "CE3": {"P1", "P4", "P2"}, "CE4": {"P2", "P4", "P1"},
        "CE5": {"P1", "P4"}, "CE6": {"P3", "P1", "P2"}, "CE7": {"P4", "P2"}, "CE8": {"P2", "P3"},
        "CE9": {"P2", "P3"}, "CE10": {"P2", "P3", "P4"},
    }
    rows = select(graph, "SELECT ?e ?p WHERE { ?ce rsf:serves ?pr . ?ce skos:notation ?e . ?pr skos:notation ?p }")
    actual = defaultdict(set)
    for row in rows:
        actual[str(row.e)].add(str(row.p))
    assert dict(actual) == expected


def test_every_link_between_elements_principles_and_rights_has_a_basis(graph):
    rows = select(graph, """
        SELECT ?s ?p ?o WHERE {
          ?s ?p ?o . FILTER (?p IN (rsf:serves, rsf:groundedIn))
          FILTER NOT EXISTS { ?a owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ; rsf:basis ?b } }""")
    assert rows == []


def test_only_what_the_framework_states(graph):
    """What the Framework's text states (Preamble, Appendix 1): its guiding rights, UDHR Art. 27 and
    ICESCR Art. 15 as instruments, respect for persons as the driver of the other principles, and the
    right to share in science read as a duty to share (P2, CE10). Everything else is interpretation."""
    stated = {(str(r.source).removeprefix(RSF), str(r.property).removeprefix(RSF), str(r.target).removeprefix(RSF))
              for r in queries.run(graph, "stated-links")}
    assert stated == {
        ("GA4GHFramework", "guidedBy", "RightToScience"),
        ("GA4GHFramework", "guidedBy", "RightToAuthorsInterests"),
        ("GA4GHFramework", "guidedBy", "RightToPrivacy"),
        ("GA4GHFramework", "guidedBy", "RightToNonDiscrimination"),
        ("GA4GHFramework", "guidedBy", "RightToProceduralFairness"),
        ("GA4GHFramework", "guidedBy", "RightToScientificFreedom"),
        ("GA4GHFramework", "guidedBy", "HumanDignity"),
        ("RightToScience", "recognisedIn", "UDHR-Art27-1"),
        ("RightToScience", "recognisedIn", "ICESCR-Art15-1-b"),
        ("RightToAuthorsInterests", "recognisedIn", "UDHR-Art27-2"),
        ("RightToAuthorsInterests", "recognisedIn", "ICESCR-Art15-1-c"),
        ("RightToScientificFreedom", "recognisedIn", "ICESCR-Art15-3"),
        ("RightToScientificFreedom", "recognisedIn", "UDHR-Art27-1"),
        ("P1", "underlies", "P2"),
        ("P1", "underlies", "P3"),
        ("P1", "underlies", "P4"),
        ("P2", "groundedIn", "RightToScience"),
        ("CE10", "upholds", "RightToScience"),
    }


def test_rights_carry_their_articles(graph):
    rows = select(graph, """
        SELECT ?right ?instrument ?article WHERE {
          ?r a rsf:HumanRight ; skos:notation ?right ; rsf:recognisedIn ?p .
          ?p rsf:articleNumber ?article ; rsf:articleOf/skos:notation ?instrument }""")
    carried = {(str(r.right), str(r.instrument), str(r.article)) for r in rows}
    assert ("HR-SCIENCE", "UDHR", "27(1)") in carried
    assert ("HR-AUTHOR", "UDHR", "27(2)") in carried
    assert ("HR-SCIENCE", "ICESCR", "15(1)(b)") in carried
    assert ("HR-PRIVACY", "UDHR", "12") in carried


def test_ontology_metadata(graph):
    rows = select(graph, """
        SELECT ?version ?info ?license WHERE {
          <https://w3id.org/rsf/ontology> a owl:Ontology ; owl:versionIRI ?version ;
              owl:versionInfo ?info ; dct:license ?license }""")
    assert len(rows) == 1
    row = rows[0]
    assert str(row.info) == __version__
    assert str(row.version) == f"https://w3id.org/rsf/ontology/{__version__}"
    assert str(row.license) == "https://creativecommons.org/licenses/by/4.0/"
    headers = select(graph, "SELECT ?o WHERE { ?o a owl:Ontology }")
    assert len(headers) == 1, "the merged graph keeps only the top ontology header"
    assert select(graph, "SELECT ?o WHERE { ?x owl:imports ?o }") == []


def test_every_module_is_in_the_catalog_and_loaded(ontology):
    shipped = sorted(p.name for p in ontology.directory.glob("*.ttl"))
    assert sorted(p.name for p in ontology.files) == shipped
    assert ontology.unresolved_imports == []


@pytest.mark.parametrize("needle", ["CE1", "ce1", "Transparency", "https://w3id.org/rsf/CE1"])
def test_term_lookup_by_notation_label_or_iri(graph, needle):
    rows = list(queries.run(graph, "term-lookup", {"needle": Literal(needle)}))
    assert [str(r.term) for r in rows] == [f"{RSF}CE1"]


def test_rdfxml_export_loads_in_owlready2(tmp_path, graph):
    import owlready2

    from responsible_sharing import export_ontology

    path = tmp_path / "rsf.owl"
    path.write_bytes(export_ontology("xml"))
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    obligation = world[f"{RSF}Obligation"]
    loaded = {str(i.iri) for i in world.search(type=obligation)}
    expected = {str(r.o) for r in select(graph, "SELECT ?o WHERE { ?o a rsf:Obligation }")}
    assert loaded == expected and len(loaded) >= 45
    assert onto.base_iri.startswith("https://w3id.org/rsf/ontology")
    world.close()


def test_roles_align_to_dpv_only_where_the_meaning_matches(graph):
    rows = select(graph, """
        SELECT ?role ?kind ?term WHERE {
          ?r a rsf:ActorRole ; skos:notation ?role ; ?kind ?term .
          FILTER (?kind IN (skos:exactMatch, skos:closeMatch, skos:relatedMatch, skos:broadMatch)) }""")
    links = {(str(r.role), str(r.kind).rsplit("#", 1)[1], str(r.term)) for r in rows}
    assert ("R08", "exactMatch", "https://w3id.org/dpv#DataProtectionAuthority") in links
    exact = {link for link in links if link[1] == "exactMatch"}
    assert exact == {("R08", "exactMatch", "https://w3id.org/dpv#DataProtectionAuthority")}
    assert all(term.startswith("https://w3id.org/dpv#") for _, _, term in links)


def test_the_json_ld_context_names_every_term_a_policy_may_point_to():
    """A JSON-LD policy names roles, access models, data forms and obligations by short name; each must resolve."""
    import json

    from responsible_sharing.ontology import load_ontology
    from responsible_sharing.resources import shipped_path

    with shipped_path("ontology") as folder:
        context = json.loads((folder / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else value

    named = {expand(v if isinstance(v, str) else v["@id"]) for k, v in context.items() if not k.startswith("@")}
    graph = load_ontology().graph
    rsf = "https://w3id.org/rsf/"
    wanted = set()
    for cls in ("Obligation", "ActorRole", "AccessModel", "CoreElement"):
        wanted |= {str(s) for s in graph.subjects(RDF.type, URIRef(rsf + cls))
                   if (s, URIRef("http://www.w3.org/2002/07/owl#deprecated"), Literal(True)) not in graph}
    wanted |= {rsf + "AggregateData", rsf + "AccessDecisionDuties", rsf + "remoteAccessFromAbroad",
               "http://www.w3.org/ns/odrl/2/inheritFrom"}
    assert sorted(wanted - named) == []
