"""Reading policies with pyoxigraph gives the triples rdflib reads, and the errors rdflib users know.

Turtle, N-Triples, TriG and N-Quads are parsed by pyoxigraph (fast); the
reference here is rdflib's own parser on the same files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import ODRL2

from responsible_sharing.policy_input import read_policies
from responsible_sharing.rdfio import QUAD_FORMATS, guess_format
from responsible_sharing.validate import validate
from rsfrun import run_rsf

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    [p for p in (ROOT / "examples").glob("*.ttl")]
    + [p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in (".ttl", ".nq", ".trig", ".nt")
       and p.name not in ("syntax-error.ttl", "empty.ttl") and "broken-ontology" not in p.parts
       # rdflib rewrites ill-typed literals ("yes"^^xsd:boolean becomes false); rsf keeps them to report them
       and p.name != "ill-typed.ttl"]
)
POLICY = "https://w3id.org/rsf/DataSharingPolicy"


def _rdflib_reading(path: Path) -> Graph:
    """rdflib's reading of ``path``."""
    fmt = guess_format(path)
    graph = Graph()
    base = path.resolve().as_uri()
    if fmt in QUAD_FORMATS:
        dataset = Dataset()
        dataset.parse(path, format=fmt, publicID=base)
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph.parse(path, format=fmt, publicID=base)
    return graph


def _with_tiers(graph: Graph) -> Graph:
    """The rule of docs/policy-model.md, "Access tiers", written again over rdflib: a tier inherits every
    statement of its policy except those whose property it states itself; ODRL rules are added."""
    rules = {ODRL2.permission, ODRL2.prohibition, ODRL2.obligation}
    policy_type = URIRef(POLICY)
    for tier, policy in list(graph.subject_objects(ODRL2.inheritFrom)):
        if (policy, RDF.type, policy_type) not in graph or tier == policy:
            continue
        own = set(graph.predicates(tier))
        for p, o in list(graph.predicate_objects(policy)):
            if p != RDF.type and (p not in own or p in rules):
                graph.add((tier, p, o))
        graph.add((tier, RDF.type, policy_type))
    return graph


def test_the_files_cover_every_syntax_pyoxigraph_reads():
    assert {guess_format(p) for p in FILES} >= {"turtle", "nquads"}
    assert len(FILES) > 80


def test_trig_named_graphs_are_merged_as_rdflib_merges_them(tmp_path):
    dataset = Dataset()
    for number, path in enumerate(sorted((ROOT / "examples").glob("*.ttl"))[:3]):
        dataset.graph(URIRef(f"https://example.org/graph/{number}")).parse(path)
    trig = tmp_path / "three.trig"
    trig.write_bytes(dataset.serialize(format="trig", encoding="utf-8"))
    data = read_policies([str(trig)])
    assert len(data.policies) == 3
    assert isomorphic(data.graph, _rdflib_reading(trig))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_triples_as_rdflib(path):
    ours = read_policies([str(path)], require_policy=False).graph
    assert len(ours) > 0
    assert isomorphic(ours, _rdflib_reading(path))


TIERED = [p for p in FILES if "inheritFrom" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", TIERED, ids=lambda p: str(p.relative_to(ROOT)))
def test_tiers_inherit_as_the_guide_says(path):
    data = read_policies([str(path)], require_policy=False)
    assert isomorphic(data.graph, _rdflib_reading(path))  # what the user wrote, for rsf load and queries
    data.apply_tiers()
    assert isomorphic(data.graph, _with_tiers(_rdflib_reading(path)))  # what validation reads


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text(f"_:p a <{POLICY}> ; <http://purl.org/dc/terms/title> \"{name}\" .\n", encoding="utf-8")
    data = read_policies([str(tmp_path)])
    assert len(data.policies) == 2
    assert sorted(data.origin.source for data.origin in data.policies.values()) == [str(tmp_path / "a.ttl"), str(tmp_path / "b.ttl")]


def test_an_iri_rdflib_would_let_through_is_an_input_error_with_its_line(tmp_path):
    bad = tmp_path / "space.ttl"
    bad.write_text(f"# a policy\n<https://example.org/a policy> a <{POLICY}> .\n", encoding="utf-8")
    for engine in ("pyshacl", "pyrudof"):
        done = run_rsf("validate", "--engine", engine, str(bad))
        assert done.returncode == 2
        assert f"{bad}:2: turtle syntax error" in done.stderr
        assert "IRI" in done.stderr and "%20" in done.stderr
        assert "Traceback" not in done.stderr


def test_rdf_xml_is_read_by_rdflib_and_validated_the_same(tmp_path):
    turtle = ROOT / "examples" / "funder-data-sharing-policy.ttl"
    xml = tmp_path / "funder.rdf"
    xml.write_bytes(Graph().parse(turtle).serialize(format="xml", encoding="utf-8"))
    from_turtle = validate([str(turtle)])
    from_xml = validate([str(xml)])
    assert from_turtle.findings
    assert [(f.policy, f.shape, f.severity) for f in from_xml.findings] == [
        (f.policy, f.shape, f.severity) for f in from_turtle.findings]


def test_prefixes_of_the_file_name_values_and_lines():
    path = ROOT / "examples" / "funder-data-sharing-policy.ttl"
    data = read_policies([str(path)])
    (policy, origin), = data.policies.items()
    text = path.read_text(encoding="utf-8").splitlines()
    assert isinstance(policy, URIRef)
    assert origin.line is not None and text[origin.line - 1].split()[0].endswith(str(policy).rsplit("/", 1)[-1])
    declared = {line.split()[1].rstrip(":") for line in text if line.startswith("@prefix")}
    assert declared <= {prefix for prefix, _ in data.prefixes}


def test_an_invalid_iri_in_rdf_xml_is_an_input_error_naming_it(tmp_path):
    bad = tmp_path / "space.rdf"
    bad.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                   f'  <rdf:Description rdf:about="https://example.org/a policy"><rdf:type rdf:resource="{POLICY}"/>'
                   "</rdf:Description>\n</rdf:RDF>\n", encoding="utf-8")
    done = run_rsf("validate", str(bad))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{bad}: <https://example.org/a policy> is not a valid IRI" in done.stderr
