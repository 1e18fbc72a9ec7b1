"""What the stored queries in queries/ answer, checked on the real data.

Each query runs with rdflib (through ``responsible_sharing.queries.run``, the
parameters bound by the engine) over the shipped ontology and policy shapes,
the example policies in examples/ and their validation reports. Every expected
answer is computed another way: from the ontology graph with rdflib's graph API,
from the Turtle of ontology/obligations.ttl, or from the Python validation API
(``responsible_sharing.validate.validate`` and each finding's ``trace``), never
from the query under test.

Two properties every parameterised query must have, tested here for all of them:
the same answer whether a parameter is bound by the engine (rdflib's
initBindings) or by a trailing ``VALUES`` block (what an HTTP endpoint gets), and
the same answer on one merged graph as on the union of named graphs.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SH, SKOS
from rdflib.plugins.sparql import prepareQuery

from responsible_sharing import load_ontology, queries
from responsible_sharing.formats.rdf import report_graph
from responsible_sharing.policy_input import read_policies
from responsible_sharing.resources import data_dir
from responsible_sharing.validate import engine, validate

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib Dataset internals

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RSF = Namespace("https://w3id.org/rsf/")
RSFSH = Namespace("https://w3id.org/rsf/shapes/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")

FUNDER = URIRef("https://example.org/ferncastle-foundation/data-sharing-policy-2024")
FUNDER_ORG = URIRef("https://example.org/ferncastle-foundation/foundation")
REPOSITORY = URIRef("https://example.org/halvard/policy-v3")  # no findings
BIOBANK = URIRef("https://example.org/tamsin-valley-biobank/access-charter")

NEW_QUERIES = [
    "shape-to-right", "rights-at-stake", "obligations-of-role", "impact", "policy-coverage",
    "failing-organisations", "policies-failing-provision", "qa-obligation-without-shape",
    "qa-term-without-definition", "traceability-subgraph", "qa-external-term-missing",
]
HEADER_KEYS = {"title", "description", "parameters", "columns", "level", "data", "example"}


# ---------------------------------------------------------------------------
# Data: the ontology, the shapes, the example policies and their reports


def _merge(*graphs: Graph) -> Graph:
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology().graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return engine().shapes


@pytest.fixture(scope="module")
def base(ontology, shapes) -> Graph:
    """What `rsf query` always loads: the ontology and the policy shapes."""
    return _merge(ontology, shapes)


@pytest.fixture(scope="module")
def report():
    """The examples validated together, through the Python API."""
    return validate([str(EXAMPLES)])


def _as_loaded(graph: Graph) -> Graph:
    """The graph as a store holds it after loading its file: blank nodes fresh to this document.

    report_graph() names its blank nodes the same way in every report (``r1``,
    ``r2`` …), so two reports merged as rdflib objects would share findings.
    """
    return Graph().parse(data=graph.serialize(format="nt"), format="nt")


@pytest.fixture(scope="module")
def per_file():
    """Each example policy file: (policy graph, report graph), validated on its own."""
    files = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".ttl", ".jsonld"))
    return {f.name: (_as_loaded(read_policies([str(f)]).graph), _as_loaded(report_graph(validate([str(f)]))))
            for f in files}


@pytest.fixture(scope="module")
def store(base, report, per_file) -> Graph:
    """One merged graph: ontology, shapes, every example policy and the report of all of them."""
    return _merge(base, report_graph(report), *(policy for policy, _ in per_file.values()))


@pytest.fixture(scope="module")
def dataset(ontology, shapes, per_file) -> Dataset:
    """The same data as a store keeps it: each file in its own named graph, queried as their union."""
    ds = Dataset(default_union=True)
    for name, graph in (("ontology", ontology), ("shapes", shapes)):
        target = ds.graph(URIRef(f"urn:test:{name}"))
        for triple in graph:
            target.add(triple)
    for name, (policy, rep) in per_file.items():
        for kind, graph in (("policy", policy), ("report", rep)):
            target = ds.graph(URIRef(f"urn:test:{kind}:{name}"))
            for triple in graph:
                target.add(triple)
    return ds


def run(graph, name, **bindings):
    return list(queries.run(graph, name, bindings))


def with_values(name: str, bindings: dict[str, list]) -> str:
    """The stored query with its parameters bound by a trailing VALUES block, as sent to an endpoint."""
    names = list(bindings)
    rows = zip(*(bindings[n] for n in names))
    block = " ".join("(" + " ".join(v.n3() for v in row) + ")" for row in rows)
    return queries.stored_query(name).text + f"\nVALUES ({' '.join('?' + n for n in names)}) {{ {block} }}\n"


def _iri_set(values) -> set[URIRef]:
    return {URIRef(str(v)) for v in values}


# ---------------------------------------------------------------------------
# Headers and form


def test_every_new_query_is_stored_and_listed():
    assert set(NEW_QUERIES) <= set(queries.stored_query_names())


@pytest.mark.parametrize("name", queries.stored_query_names())
def test_header_is_complete_and_parses(name):
    query = queries.stored_query(name)
    header = query.header
    assert set(header) <= HEADER_KEYS, f"a continuation line read as a field: {set(header) - HEADER_KEYS}"
    for key in ("title", "description", "parameters", "columns", "example"):
        assert header.get(key), f"{name}: no {key}"
    assert f"rsf query {name}" in header["example"]
    if name.startswith("qa-"):
        assert query.level in ("error", "warning")
    prepareQuery(query.text)  # plain SPARQL 1.1 that rdflib parses
    assert not re.search(r"^\s*[^#\n]*\bSERVICE\b", query.text, re.M | re.I)
    assert query.text.endswith("\n"), "a VALUES block appended by a client must start on its own line"
    for parameter in re.findall(r"\?(\w+) \(", header["parameters"]):
        assert re.search(rf"\?{parameter}\b", query.text.split("\nPREFIX", 1)[1]), f"{name}: ?{parameter} unused"


@pytest.mark.parametrize("name", NEW_QUERIES)
def test_new_query_header_names_its_columns(name):
    query = queries.stored_query(name)
    if name == "traceability-subgraph":
        assert prepareQuery(query.text).algebra.name == "ConstructQuery"
        return
    projected = [f"?{v}" for v in prepareQuery(query.text).algebra["PV"]]
    assert query.header["columns"].split() == projected


# ---------------------------------------------------------------------------
# 1. shape-to-right


def test_shape_to_right_for_o_ce5_03(base, ontology):
    rows = run(base, "shape-to-right", shape=RSFSH["O-CE5-03"])
    # framework.ttl (and docs/model.md): CE5 serves P1 (primary) and P4 (secondary) but upholds only
    # privacy and non-discrimination, both through P1; every one of these links is interpretation.
    expected = {(RSF.P1, RSF.RightToPrivacy), (RSF.P1, RSF.RightToNonDiscrimination)}
    assert {(r.principle, r.right) for r in rows} == expected
    assert {(r.obligation, r.element) for r in rows} == {(RSF["O-CE5-03"], RSF.CE5)}
    assert {r.servesBasis for r in rows} == {RSF.ProjectInterpretation}
    assert {r.upholdsBasis for r in rows} == {RSF.ProjectInterpretation}
    assert {r.groundedBasis for r in rows} == {RSF.ProjectInterpretation}
    assert {(r.principle, str(r.servesRank)) for r in rows} == {(RSF.P1, "primary")}
    # rsf:checks and rsf:derivesFrom carry no basis annotation in the shipped data
    assert {r.checksBasis for r in rows} == {None} and {r.derivesBasis for r in rows} == {None}
    assert set(ontology.objects(RSF.CE5, RSF.serves)) == {RSF.P1, RSF.P4}


def test_shape_to_right_for_every_shape_matches_the_traces(store):
    rows = run(store, "shape-to-right")  # reports loaded too: their results carry rsf:checks
    eng = engine()
    assert {str(r.shape) for r in rows} == set(eng.checks)
    assert not any(isinstance(r.shape, BNode) for r in rows)
    for shape, obligation in eng.checks.items():
        if obligation not in eng.traces:  # a retired obligation: its shape is deactivated and no finding cites it
            continue
        rights = {str(r.right) for r in rows if str(r.shape) == shape}
        assert rights == {right.iri for right in eng.traces[obligation].rights}, shape


# ---------------------------------------------------------------------------
# 2. rights-at-stake


def test_rights_at_stake_match_the_findings(report, base):
    graph = _merge(base, report_graph(report))
    rows = run(graph, "rights-at-stake")
    findings = report.findings
    assert findings, "the examples have findings"
    rights = {right.iri: right for f in findings for right in f.trace.rights}
    assert {str(r.right) for r in rows} == set(rights)
    for iri, right in rights.items():
        mine = [r for r in rows if str(r.right) == iri]
        resting = [f for f in findings if iri in {x.iri for x in f.trace.rights}]
        assert {int(r.findings) for r in mine} == {len(resting)}, iri
        assert {int(r.violations) for r in mine} == {sum(f.severity == "violation" for f in resting)}, iri
        assert {int(r.policies) for r in mine} == {len({f.policy for f in resting})}, iri
        assert {str(r.rightLabel) for r in mine} == {right.label}
        provisions = {(p.iri, p.instrument, p.article) for p in right.provisions}
        assert {(str(r.provision), str(graph.value(r.instrument, SKOS.notation)), str(r.article)) for r in mine} == provisions


def test_rights_at_stake_over_a_bare_report_still_names_rights_and_provisions(report):
    rows = run(report_graph(report), "rights-at-stake")
    assert {str(r.right) for r in rows} == {right.iri for f in report.findings for right in f.trace.rights}
    assert all(r.provisionLabel is not None and r.instrument is None for r in rows)


def test_rights_at_stake_of_a_clean_report_is_empty(base, per_file):
    _, clean = per_file["genomic-data-repository.ttl"]
    assert run(_merge(base, clean), "rights-at-stake") == []


# ---------------------------------------------------------------------------
# 3. obligations-of-role


def test_obligations_of_funding_agency_are_those_in_obligations_ttl(base, ontology):
    module = Graph().parse(data_dir("ontology") / "obligations.ttl", format="turtle")
    expected = set(module.subjects(RSF.bearer, RSF.FundingAgency))
    assert len(expected) == 13  # 0.3.0: O-CE2-11, O-CE6-07, O-CE10-06
    rows = run(base, "obligations-of-role", role=RSF.FundingAgency)
    assert {r.obligation for r in rows} == expected
    for r in rows:
        assert r.role == RSF.FundingAgency
        assert r.modality == module.value(r.obligation, RSF.hasModality)
        assert r.element == module.value(r.obligation, RSF.derivesFrom)
        assert r.machineCheckable == module.value(r.obligation, RSF.machineCheckable)
        assert r.notation == module.value(r.obligation, SKOS.notation)


def test_obligations_of_every_role_cover_every_bearer_link(base, ontology):
    rows = run(base, "obligations-of-role")
    assert {(r.obligation, r.role) for r in rows} == set(ontology.subject_objects(RSF.bearer))


# ---------------------------------------------------------------------------
# 4. impact


def _downstream(ontology: Graph, term: URIRef) -> dict[str, set]:
    if (term, RDF.type, RSF.HumanRight) in ontology:
        principles = set(ontology.subjects(RSF.groundedIn, term))
        elements = set(ontology.subjects(RSF.upholds, term))  # an element's own rights, not its principles' (docs/model.md)
    elif (term, RDF.type, RSF.Principle) in ontology:
        principles, elements = set(), set(ontology.subjects(RSF.serves, term))
    else:
        principles, elements = set(), {term}
    obligations = {o for e in elements for o in ontology.subjects(RSF.derivesFrom, e)}
    shapes = {URIRef(s) for s, o in engine().checks.items() if URIRef(o) in obligations}
    return {"principle": principles, "core element": elements - {term}, "obligation": obligations, "shape": shapes}


@pytest.mark.parametrize("term", [RSF.RightToPrivacy, RSF.RightToScience, RSF.P2, RSF.CE5])
def test_impact_lists_everything_downstream(store, ontology, term):
    rows = run(store, "impact", term=term)  # reports loaded: their results must not count as shapes
    got: dict[str, set] = {}
    for r in rows:
        got.setdefault(str(r.kind), set()).add(r.item)
    expected = {kind: items for kind, items in _downstream(ontology, term).items() if items}
    assert got == expected
    assert all(r.label is not None for r in rows)


def test_impact_depths(base):
    rows = run(base, "impact", term=RSF.RightToPrivacy)
    assert {str(r.kind): int(r.depth) for r in rows} == {"principle": 1, "core element": 2, "obligation": 3, "shape": 4}
    rows = run(base, "impact", term=RSF.CE5)
    assert {str(r.kind): int(r.depth) for r in rows} == {"obligation": 1, "shape": 2}


# ---------------------------------------------------------------------------
# 5. policy-coverage


def _coverage(report, policy: str) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for f in report.findings:
        if f.policy == policy:
            for element in f.trace.elements:
                counts.setdefault(element.iri, Counter())[f.severity] += 1
    return counts


def test_policy_coverage_of_the_funder(store, report, ontology):
    rows = run(store, "policy-coverage", policy=FUNDER)
    elements = set(ontology.subjects(RDF.type, RSF.CoreElement))
    assert {r.element for r in rows} == elements and len(rows) == 10
    expected = _coverage(report, str(FUNDER))
    # examples/README.md: O-CE2-06 and both O-CE2-11 shapes (CE2), O-CE9-02 (CE9), O-CE10-06-category (CE10)
    assert expected == {str(RSF.CE2): Counter(warning=3), str(RSF.CE9): Counter(warning=1), str(RSF.CE10): Counter(warning=1)}
    for r in rows:
        counts = expected.get(str(r.element), Counter())
        assert (int(r.findings), int(r.violations), int(r.warnings), int(r.infos)) == (
            sum(counts.values()), counts["violation"], counts["warning"], counts["info"]), r.element


def test_policy_coverage_of_a_policy_without_findings(store, base, per_file):
    rows = run(store, "policy-coverage", policy=REPOSITORY)
    assert len(rows) == 10 and {int(r.findings) for r in rows} == {0}
    # from its report alone a policy without findings is unknown: load the policy too
    _, clean = per_file["genomic-data-repository.ttl"]
    assert run(_merge(base, clean), "policy-coverage", policy=REPOSITORY) == []


def test_policy_coverage_of_every_policy(store, report):
    rows = run(store, "policy-coverage")
    assert {str(r.policy) for r in rows} == {p.policy for p in report.policies}
    assert len(rows) == 10 * len(report.policies)
    for p in report.policies:
        total = sum(int(r.findings) for r in rows if str(r.policy) == p.policy)
        assert total == sum(len(f.trace.elements) for f in p.findings), p.policy


# ---------------------------------------------------------------------------
# 6. failing-organisations and policies-failing-provision


def _publishers(per_file) -> dict[str, set[str]]:
    """Policy -> its publishers; an access tier has those of the policy it inherits from."""
    policies = _merge(*(policy for policy, _ in per_file.values()))
    out = {str(p): {str(o) for o in policies.objects(p, DCTERMS.publisher)} for p in policies.subjects(RDF.type, RSF.DataSharingPolicy)}
    for tier, parent in policies.subject_objects(URIRef("http://www.w3.org/ns/odrl/2/inheritFrom")):
        out[str(tier)] = out.get(str(tier), set()) | out.get(str(parent), set())
    return out


def _expected_organisations(report, per_file, resting) -> dict[str, tuple[int, int, int]]:
    publishers = _publishers(per_file)
    found: dict[str, list] = {}
    for f in report.findings:
        if resting(f):
            for org in publishers[f.policy]:
                found.setdefault(org, []).append(f)
    return {org: (len({f.policy for f in fs}), len(fs), sum(f.severity == "violation" for f in fs)) for org, fs in found.items()}


@pytest.mark.parametrize(
    ("term", "resting"),
    [
        (RSF.RightToScience, lambda f: str(RSF.RightToScience) in {r.iri for r in f.trace.rights}),
        (RSF.P1, lambda f: str(RSF.P1) in {p.iri for p in f.trace.principles}),
        (RSF.CE3, lambda f: str(RSF.CE3) in {e.iri for e in f.trace.elements}),
    ],
)
def test_failing_organisations(store, dataset, report, per_file, term, resting):
    expected = _expected_organisations(report, per_file, resting)
    assert expected
    rows = run(store, "failing-organisations", term=term)
    got = {str(r.organisation): (int(r.policies), int(r.findings), int(r.violations)) for r in rows}
    assert got == expected
    assert [int(r.findings) for r in rows] == sorted((int(r.findings) for r in rows), reverse=True)
    assert all(r.organisationName is not None for r in rows)
    union = run(dataset, "failing-organisations", term=term)
    assert {tuple(r) for r in union} == {tuple(r) for r in rows}


def test_failing_organisations_falls_back_to_attribution(store):
    graph = _merge(store)
    graph.remove((FUNDER, DCTERMS.publisher, None))
    graph.add((FUNDER, PROV.wasAttributedTo, URIRef("https://example.org/ferncastle-foundation/board")))
    rows = run(graph, "failing-organisations", term=RSF.RightToScience)
    orgs = {str(r.organisation) for r in rows}
    assert "https://example.org/ferncastle-foundation/board" in orgs and str(FUNDER_ORG) in orgs
    # the biobank charter has a publisher and two attributions: only the publisher counts
    assert "https://example.org/tamsin-valley-biobank/council" not in orgs


def test_policies_failing_udhr_article_27(store, dataset, report):
    art27 = (RSF["UDHR-Art27-1"], RSF["UDHR-Art27-2"])
    expected = {}
    for provision in art27:
        resting = [f for f in report.findings if str(provision) in {p.iri for r in f.trace.rights for p in r.provisions}]
        expected[provision] = Counter(f.policy for f in resting)
    # Art. 27(1) recognises the rights to share in science (upheld by CE4, CE8, CE9, CE10), to take part in it
    # (CE3) and scientific freedom (CE10): the funder (CE9, CE10), the biobank (CE10), the institute (CE3, CE4,
    # CE10), the laboratory and the federated repository (CE3), and the registered and controlled tiers of the
    # tiered programme (CE10, return of derived data) fail obligations resting on it (examples/README.md)
    assert set(expected[RSF["UDHR-Art27-1"]]) == {
        str(FUNDER), str(BIOBANK), "https://example.org/wrenfield-institute/research-data-policy",
        "https://example.org/calderby-genetics/variant-sharing-policy",
        "https://example.org/meridale-repository/controlled-access-policy",
        "https://example.org/kestrel-programme/tier-registered", "https://example.org/kestrel-programme/tier-controlled"}
    both = store.query(with_values("policies-failing-provision", {"provision": list(art27)}))
    got = {(r.provision, str(r.policy)): int(r.findings) for r in both}
    assert got == {(prov, policy): n for prov, c in expected.items() for policy, n in c.items()}
    one = run(store, "policies-failing-provision", provision=RSF["UDHR-Art27-1"])
    assert {str(r.policy) for r in one} == set(expected[RSF["UDHR-Art27-1"]])
    assert {(str(r.instrument), str(r.article)) for r in one} == {(str(RSF.UDHR), "27(1)")}
    assert {str(r.organisation) for r in one if r.policy == FUNDER} == {str(FUNDER_ORG)}
    by_instrument = run(store, "policies-failing-provision", instrument=RSF.UDHR)
    assert {(r.provision, str(r.policy)) for r in by_instrument} >= set(got)
    assert {r.instrument for r in by_instrument} == {RSF.UDHR}
    union = run(dataset, "policies-failing-provision", provision=RSF["UDHR-Art27-1"])
    assert {tuple(r) for r in union} == {tuple(r) for r in one}


# ---------------------------------------------------------------------------
# 7. QA queries


def test_qa_obligation_without_shape_is_empty_on_the_shipped_data(base, store, ontology):
    assert run(base, "qa-obligation-without-shape") == []
    assert run(store, "qa-obligation-without-shape") == []
    # over the ontology alone (as `rsf ontology check` runs the QA queries) there is nothing to judge
    assert run(ontology, "qa-obligation-without-shape") == []


def _without_shape(shapes: Graph, shape: URIRef) -> Graph:
    copy = _merge(shapes)
    copy.remove((shape, None, None))
    return copy


def test_qa_obligation_without_shape_finds_a_removed_shape(ontology, shapes, per_file):
    rows = run(_merge(ontology, _without_shape(shapes, RSFSH["O-CE5-03"])), "qa-obligation-without-shape")
    assert [r.entity for r in rows] == [RSF["O-CE5-03"]]
    assert rows[0].property == RSF.checks
    # O-CE5-01 has two shapes (-law and -basis): removing one leaves it checked
    assert run(_merge(ontology, _without_shape(shapes, RSFSH["O-CE5-01-law"])), "qa-obligation-without-shape") == []
    # a report result naming the obligation (rsf:checks on a sh:ValidationResult) is not a shape
    _, biobank_report = per_file["biobank-community-charter.ttl"]
    assert any(biobank_report.subjects(RSF.checks, RSF["O-CE5-05"]))
    graph = _merge(ontology, _without_shape(shapes, RSFSH["O-CE5-05"]), biobank_report)
    assert [r.entity for r in run(graph, "qa-obligation-without-shape")] == [RSF["O-CE5-05"]]


def test_qa_obligation_without_shape_ignores_obligations_that_are_not_machine_checkable(ontology, shapes):
    unchecked = {o for o in ontology.subjects(RSF.machineCheckable, Literal(False))}
    assert unchecked  # O-CE10-04 and two more
    assert not any((None, RSF.checks, o) in shapes for o in unchecked)
    assert run(_merge(ontology, shapes), "qa-obligation-without-shape") == []


def test_qa_term_without_definition(ontology, store):
    assert run(ontology, "qa-term-without-definition") == []
    assert run(store, "qa-term-without-definition") == []
    broken = _merge(ontology)
    # an access model and a policy property: terms the QA shape qa-term-definition does not look at
    broken.remove((RSF.OpenAccess, SKOS.definition, None))
    broken.remove((RSF.retentionPeriod, SKOS.definition, None))
    rows = run(broken, "qa-term-without-definition")
    assert {r.entity for r in rows} == {RSF.OpenAccess, RSF.retentionPeriod}
    assert {r.property for r in rows} == {SKOS.definition}


def test_qa_queries_carry_their_levels():
    assert queries.stored_query("qa-obligation-without-shape").level == "error"
    assert queries.stored_query("qa-term-without-definition").level == "warning"


# ---------------------------------------------------------------------------
# 8. traceability-subgraph


CHAIN = (RSF.checks, RSF.derivesFrom, RSF.serves, RSF.groundedIn, RSF.recognisedIn, RSF.articleOf)


def _expected_links(graph: Graph, term: URIRef) -> set:
    links, todo, seen = set(), [term], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for prop in CHAIN:
            for target in graph.objects(node, prop):
                links.add((node, prop, target))
                todo.append(target)
    return links


@pytest.mark.parametrize("term", [RSFSH["O-CE5-03"], RSF["O-CE5-03"], RSF.CE5, RSF.P2, RSF.RightToScience])
def test_traceability_subgraph(base, store, term):
    sub = queries.run(store, "traceability-subgraph", {"term": term}).graph
    links = {t for t in sub if t[1] in CHAIN}
    assert links == _expected_links(base, term)
    nodes = {s for s, _, _ in links} | {o for _, _, o in links} | {term}
    for node in nodes:
        assert sub.value(node, RDF.type) is not None, node
        assert any(sub.objects(node, SKOS.notation)) or any(sub.objects(node, SH.name)), node
    # every link the ontology annotates comes with its basis; the axioms are the only blank nodes
    for s, p, o in links:
        for axiom in base.subjects(OWL.annotatedSource, s):
            if (axiom, OWL.annotatedProperty, p) in base and (axiom, OWL.annotatedTarget, o) in base:
                assert (axiom, RSF.basis, base.value(axiom, RSF.basis)) in sub
    assert {s for s in sub.subjects() if isinstance(s, BNode)} <= set(sub.subjects(RDF.type, OWL.Axiom))


def test_traceability_subgraph_of_an_obligation_stays_on_its_chain(base):
    sub = queries.run(base, "traceability-subgraph", {"term": RSF["O-CE5-03"]}).graph
    subjects = set(sub.subjects())
    assert RSF.P2 not in subjects and RSF.P3 not in subjects  # CE5 serves P1 and P4 only
    assert RSF["O-CE5-04"] not in subjects and RSFSH["O-CE5-03"] not in subjects  # nothing below or beside
    assert (RSF.RightToPrivacy, RSF.recognisedIn, RSF["UDHR-Art12"]) in sub
    assert (RSF["UDHR-Art12"], RSF.articleOf, RSF.UDHR) in sub


# ---------------------------------------------------------------------------
# Binding by VALUES gives what engine bindings give; named graphs give what one graph gives


SELECT_CASES = [
    ("shape-to-right", {"shape": RSFSH["O-CE5-03"]}),
    ("obligations-of-role", {"role": RSF.FundingAgency}),
    ("impact", {"term": RSF.P2}),
    ("policy-coverage", {"policy": FUNDER}),
    ("policy-coverage", {"policy": URIRef("https://example.org/no-such-policy")}),
    ("failing-organisations", {"term": RSF.P4}),
    ("policies-failing-provision", {"provision": RSF["UDHR-Art27-2"]}),
    ("policies-failing-provision", {"instrument": RSF.ICCPR}),
]


@pytest.mark.parametrize(("name", "bindings"), SELECT_CASES)
def test_values_block_binds_like_the_engine(store, name, bindings):
    by_engine = [tuple(r) for r in queries.run(store, name, bindings)]
    by_values = [tuple(r) for r in store.query(with_values(name, {k: [v] for k, v in bindings.items()}))]
    assert by_values == by_engine


@pytest.mark.parametrize(("name", "bindings"), SELECT_CASES)
def test_values_block_opening_the_where_clause_binds_like_the_engine(store, name, bindings):
    """What rsf query sends to pyoxigraph and to an endpoint (responsible_sharing.sparql.bind_inline)."""
    from responsible_sharing.sparql import bind_inline

    by_engine = [tuple(r) for r in queries.run(store, name, bindings)]
    inline = bind_inline(queries.stored_query(name).text, bindings)
    assert inline != queries.stored_query(name).text
    assert [tuple(r) for r in store.query(inline)] == by_engine


@pytest.mark.parametrize(("name", "bindings"), [*SELECT_CASES, ("rights-at-stake", {}), ("qa-obligation-without-shape", {})])
def test_union_of_named_graphs_answers_like_one_graph(store, dataset, name, bindings):
    assert Counter(tuple(r) for r in queries.run(dataset, name, bindings)) == Counter(
        tuple(r) for r in queries.run(store, name, bindings))


def test_counts_do_not_double_when_a_report_is_loaded_twice(report):
    """A store's union default graph can repeat a triple once per named graph (Oxigraph does)."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    rdf = report_graph(report).serialize(format="nt").encode()
    store = pyoxigraph.Store()
    ontology = load_ontology().graph.serialize(format="nt").encode()
    store.load(input=ontology, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode("urn:test:ontology"))
    counts = []
    for copies in (1, 2):
        store.load(input=rdf, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(f"urn:test:report{copies}"))
        result = store.query(queries.stored_query("rights-at-stake").text, use_default_graph_as_union=True)
        counts.append(sorted((row["right"].value, row["findings"].value, row["provision"].value) for row in result))
    # the second copy has fresh blank nodes: twice the findings, the same rights and provisions, no row twice
    assert [(r, p) for r, _, p in counts[0]] == [(r, p) for r, _, p in counts[1]]
    assert [int(n) * 2 for _, n, _ in counts[0]] == [int(n) for _, n, _ in counts[1]]


def test_the_article_27_answer_in_the_query_guide_is_what_the_query_gives(dataset):
    """docs/queries.md shows the CSV answer for UDHR Article 27 on the examples; it must stay true."""
    guide = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(provision,instrument,article,policy,.*?)```", guide, re.S).group(1)
    header, *lines = block.strip().splitlines()
    assert header.split(",") == queries.stored_query("policies-failing-provision").header["columns"].replace("?", "").split()
    shown = [tuple(line.split(",")) for line in lines]
    result = dataset.query(with_values("policies-failing-provision", {"provision": [RSF["UDHR-Art27-1"], RSF["UDHR-Art27-2"]]}))
    assert shown == [tuple(str(value) for value in row) for row in result]


def test_a_continuation_line_holding_a_colon_goes_on_with_its_field():
    header = queries.parse_header("# title: T\n# description: the shapes, as the ontology says\n"
                                  "#   rsf:shaclSeverity: must - violation\n# level: error\nSELECT * {}\n")
    assert header == {"title": "T", "description": "the shapes, as the ontology says rsf:shaclSeverity: must - violation",
                      "level": "error"}
