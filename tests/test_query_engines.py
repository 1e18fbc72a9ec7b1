"""Every stored query gives the same answers on rdflib, pyoxigraph and a live
Oxigraph server loaded with `rsf load`; and `rsf query` handles bad input."""

from __future__ import annotations

import shlex
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode

from responsible_sharing.cli_query import AUTO_OXIGRAPH_MB, bind_parameters, choose_engine, local_dataset, oxigraph_dataset
from responsible_sharing.ontology import load_ontology
from responsible_sharing.queries import run as run_stored
from responsible_sharing.queries import stored_query, stored_query_names
from responsible_sharing.sparql import EndpointEngine, OxigraphEngine, RdflibEngine
from rsfrun import free_port, run_rsf

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def server(start_oxigraph):
    return start_oxigraph()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[Path]:
    """One Turtle validation report per example file, as `rsf load` makes them."""
    folder = tmp_path_factory.mktemp("reports")
    paths = []
    for example in sorted(EXAMPLES.rglob("*.ttl")):
        target = folder / f"{example.stem}.report.ttl"
        result = run_rsf("validate", str(example), "--format", "turtle", "--fail-on", "none", "-o", str(target))
        assert result.returncode == 0, result.stderr
        paths.append(target)
    return paths


@pytest.fixture(scope="module")
def loaded(server, reports):
    files = [str(p) for p in sorted(EXAMPLES.rglob("*.ttl"))]
    result = run_rsf("load", "--endpoint", f"{server}/query", *files)
    assert result.returncode == 0, result.stderr
    assert f"loaded {2 + 3 * len(files)} named graphs" in result.stdout  # policy, report, where it came from
    return f"{server}/query"


def _local_files(reports) -> tuple[Path, ...]:
    return tuple(sorted(EXAMPLES.rglob("*.ttl"))) + tuple(reports)


@pytest.fixture(scope="module")
def local_graph(reports):
    return local_dataset(_local_files(reports))


@pytest.fixture(scope="module")
def local_store(reports):
    """The same files loaded straight into pyoxigraph, as `rsf query` does for big data."""
    return oxigraph_dataset(_local_files(reports))


def _example_params(name: str) -> tuple[str, ...]:
    example = stored_query(name).header.get("example", "")
    words = shlex.split(example)
    return tuple(words[i + 1] for i, w in enumerate(words) if w == "--param")


def _rows(result) -> Counter:
    if result.kind == "ASK":
        return Counter([result.boolean])
    if result.kind == "CONSTRUCT":
        return Counter(tuple("_:" if isinstance(t, BNode) else t for t in triple) for triple in result.graph)
    return Counter(tuple("_:" if isinstance(t, BNode) else t for t in row) for row in result.rows)


@pytest.mark.parametrize("name", stored_query_names())
def test_stored_query_agrees_on_three_engines(name, local_graph, local_store, loaded):
    query = stored_query(name)
    bindings = bind_parameters(query, _example_params(name), load_ontology().graph)
    on_rdflib = _rows(RdflibEngine(local_graph).query(query.text, bindings))
    on_oxigraph = _rows(OxigraphEngine(local_graph).query(query.text, bindings))
    on_loaded_store = _rows(local_store.query(query.text, bindings))
    on_server = _rows(EndpointEngine(loaded).query(query.text, bindings))
    assert on_rdflib == on_oxigraph
    assert on_rdflib == on_loaded_store
    assert on_rdflib == on_server


def test_auto_picks_pyoxigraph_for_big_data_only(tmp_path, reports):
    small = tmp_path / "small.ttl"
    small.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    big = tmp_path / "big.nt"
    big.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n" * int(AUTO_OXIGRAPH_MB * 1024 * 1024 / 26 + 1))
    assert choose_engine("auto", ()) == "rdflib"
    assert choose_engine("auto", (small,)) == "rdflib"
    assert choose_engine("auto", (small, big)) == "oxigraph"
    assert choose_engine("rdflib", (big,)) == "rdflib"
    assert choose_engine("oxigraph", (small,)) == "oxigraph"
    # the same table either way, from the command line
    data = [arg for report in reports for arg in ("--data", str(report))]
    on_rdflib = run_rsf("query", "rights-at-stake", *data, "--engine", "rdflib", "--format", "csv")
    on_auto = run_rsf("query", "rights-at-stake", *data, "--data", str(big), "--format", "csv")
    assert on_rdflib.returncode == on_auto.returncode == 0, on_auto.stderr
    assert on_auto.stdout == on_rdflib.stdout
    assert len(on_auto.stdout.splitlines()) > 5


def test_a_syntax_error_in_big_data_names_the_line(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", encoding="utf-8")
    result = run_rsf("query", "stated-links", "--data", str(broken), "--engine", "oxigraph")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{broken}:2: turtle syntax error" in result.stderr


def test_every_stored_query_has_a_header_with_an_example():
    for name in stored_query_names():
        header = stored_query(name).header
        for key in ("title", "description", "parameters", "columns", "example"):
            assert header.get(key), f"{name}: no {key} in the header"
        assert f"rsf query {name}" in header["example"]


def test_query_over_the_endpoint_from_the_command_line(loaded):
    result = run_rsf("query", "stated-links", "--endpoint", loaded, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "source,property,target,note"
    expected = len(list(run_stored(load_ontology().graph, "stated-links")))
    assert len(result.stdout.splitlines()) == 1 + expected  # the CSV header and one line per stated link


def test_malformed_query_names_line_and_column(tmp_path):
    broken = tmp_path / "broken.rq"
    broken.write_text("PREFIX rsf: <https://w3id.org/rsf/>\nSELECT ?x WHERE {\n  ?x rsf:serves \n}\n", encoding="utf-8")
    result = run_rsf("query", str(broken))
    assert result.returncode == 2
    assert "broken.rq: SPARQL syntax error at line" in result.stderr and "column" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_parameter_lists_the_query_parameters():
    result = run_rsf("query", "trace-to-rights", "--param", "right=CE1")
    assert result.returncode == 2
    assert "has no parameter 'right'; its parameters: term (iri)" in result.stderr


def test_service_is_refused_unless_allowed(tmp_path):
    remote = tmp_path / "remote.rq"
    remote.write_text("SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }\n", encoding="utf-8")
    result = run_rsf("query", str(remote))
    assert result.returncode == 2
    assert "SERVICE" in result.stderr and "--allow-service" in result.stderr


def test_unreachable_endpoint_names_the_url():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = run_rsf("query", "stated-links", "--endpoint", url, "--timeout", "5")
    assert result.returncode == 2
    assert url in result.stderr and "cannot reach" in result.stderr


def test_endpoint_error_status_is_reported(loaded):
    wrong = loaded.replace("/query", "/no-such-service")
    result = run_rsf("query", "stated-links", "--endpoint", wrong)
    assert result.returncode == 2
    assert "HTTP 404" in result.stderr


def test_construct_gives_turtle_and_a_select_format_is_refused(tmp_path):
    construct = tmp_path / "c.rq"
    construct.write_text("PREFIX rsf: <https://w3id.org/rsf/>\nCONSTRUCT { ?e rsf:serves ?p } WHERE { ?e rsf:serves ?p }\n",
                         encoding="utf-8")
    result = run_rsf("query", str(construct))
    assert result.returncode == 0 and "rsf:serves" in result.stdout
    refused = run_rsf("query", str(construct), "--format", "csv")
    assert refused.returncode == 2 and "use --format turtle" in refused.stderr


def test_parameters_open_the_where_clause_and_are_escaped():
    from rdflib import Literal, URIRef

    from responsible_sharing.sparql import bind_inline

    text = ('PREFIX dpv: <https://w3id.org/dpv#>\n# a comment with WHERE { in it\n'
            'CONSTRUCT { ?x <http://example.org/p#q> "WHERE {" } WHERE { ?x ?p ?where FILTER(?n = 1) }')
    bound = bind_inline(text, {"n": Literal('a "quoted" } value'), "x": URIRef("https://example.org/x")})
    assert bound.endswith('WHERE { VALUES (?n ?x) { ("a \\"quoted\\" } value" <https://example.org/x>) }  ?x ?p ?where FILTER(?n = 1) }')


def test_the_query_guide_lists_every_stored_query():
    guide = (Path(__file__).parent.parent / "docs" / "queries.md").read_text(encoding="utf-8")
    for name in stored_query_names():
        assert f"| `{name}` |" in guide, f"docs/queries.md does not list {name}"


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_data_is_read_without_the_network(engine):
    """--data files are read as policies are: a remote JSON-LD context is not fetched, a DOCTYPE is refused."""
    inputs = Path(__file__).parent / "fixtures" / "inputs"
    remote = run_rsf("query", "stated-links", "--data", str(inputs / "remote-context.jsonld"), "--engine", engine, "--format", "csv")
    assert remote.returncode == 0, remote.stderr
    assert "http://192.0.2.1/never-fetched/context.jsonld was not fetched" in remote.stderr
    assert "urlopen" not in remote.stderr
    doctype = run_rsf("query", "stated-links", "--data", str(inputs / "doctype.rdf"), "--engine", engine)
    assert doctype.returncode == 2 and "DOCTYPE declaration is refused" in doctype.stderr
    assert "Traceback" not in doctype.stderr
