"""`rsf query` on local data: bounded in time and memory, and one clear line
(exit 2, never a traceback) for whatever query, parameter or file it cannot use."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from hostile import Outcome, run_rsf_inprocess
from responsible_sharing import cli_query
from responsible_sharing.cli_query import local_dataset, oxigraph_dataset
from responsible_sharing.query_output import render
from responsible_sharing.queries import stored_query
from responsible_sharing.sparql import RdflibEngine

EXAMPLE = Path(__file__).parent.parent / "examples" / "funder-data-sharing-policy.ttl"
#: every statement of the ontology and shapes against every other, sorted: gigabytes within a minute
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


@pytest.fixture(scope="module")
def engines():
    """The ontology, the shapes and an example policy on each engine, as `rsf query --data` loads them."""
    return {"rdflib": RdflibEngine(local_dataset((EXAMPLE,))), "oxigraph": oxigraph_dataset((EXAMPLE,))}


@pytest.fixture
def loaded(engines, monkeypatch):
    """Skip reading the data again for tests about the query: the engines are built once and never changed."""
    monkeypatch.setattr(cli_query, "_local_engine", lambda name, data, max_mb: engines["oxigraph" if name == "oxigraph" else "rdflib"])


def _query_file(folder: Path, text: str | bytes, name: str = "q.rq") -> str:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(path)


def _refused(outcome: Outcome, *expected: str) -> None:
    """Exit 2 with one line that says all of ``expected``, and no traceback or output."""
    assert outcome.code == 2, outcome.output[-2000:]
    assert "Traceback" not in outcome.output
    assert outcome.stdout == ""
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    for part in expected:
        assert part in lines[0], lines[0]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_query_past_the_time_bound_is_stopped(loaded, tmp_path, engine):
    query = _query_file(tmp_path, CROSS_PRODUCT)
    output = tmp_path / "out.csv"
    outcome = run_rsf_inprocess("query", query, "--engine", engine, "--query-timeout", "1", "-o", str(output))
    _refused(outcome, query, "still running after 1 s", "--query-timeout")
    assert outcome.seconds < 15
    assert not output.exists() and list(tmp_path.iterdir()) == [Path(query)]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_query_past_the_memory_bound_is_stopped(loaded, tmp_path, engine):
    """rdflib raises MemoryError; pyoxigraph aborts the process: the same message either way."""
    query = _query_file(tmp_path, CROSS_PRODUCT)
    outcome = run_rsf_inprocess("query", query, "--engine", engine, "--max-memory", "20", "--query-timeout", "30")
    _refused(outcome, query, "more than 20 MB of memory", "--max-memory")


def test_a_stored_query_is_bounded_too(loaded, monkeypatch):
    monkeypatch.setattr(RdflibEngine, "query", lambda self, text, bindings: time.sleep(20))
    outcome = run_rsf_inprocess("query", "stated-links", "--engine", "rdflib", "--query-timeout", "1")
    _refused(outcome, "stated-links", "--query-timeout")
    assert outcome.seconds < 10


def test_an_engine_crash_is_a_clear_error(loaded, monkeypatch):
    """pyoxigraph crashes (SIGSEGV) on a query of some 20 000 OPTIONAL groups; rsf itself lives on."""
    rsf = os.getpid()

    def crash(self, text, bindings):
        assert os.getpid() != rsf, "the query ran in rsf's own process"
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setattr(RdflibEngine, "query", crash)
    outcome = run_rsf_inprocess("query", "stated-links", "--engine", "rdflib")
    _refused(outcome, "stated-links", "crashed the query engine (signal SIGSEGV)")


def test_a_bug_in_rsf_while_querying_is_an_internal_error(loaded, monkeypatch):
    def broken(result, fmt):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("responsible_sharing.local_query.render", broken)
    outcome = run_rsf_inprocess("query", "stated-links")
    assert outcome.code == 70
    assert "ZeroDivisionError: a bug" in outcome.stderr and "internal error" in outcome.stderr


@pytest.mark.parametrize(("engine", "fmt"), [("rdflib", "csv"), ("oxigraph", "table")])
def test_answers_are_the_bytes_the_engine_gives(engines, engine, fmt):
    query = stored_query("stated-links")
    expected = render(engines[engine].query(query.text, {}), fmt).decode("utf-8")
    outcome = run_rsf_inprocess("query", "stated-links", "--data", str(EXAMPLE), "--engine", engine, "--format", fmt)
    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout == expected and expected.count("\n") > 10


def test_an_error_of_the_users_own_making_comes_back_from_the_query_process(loaded, tmp_path):
    query = _query_file(tmp_path, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1")
    _refused(run_rsf_inprocess("query", query, "--format", "csv"), "use --format turtle")


@pytest.mark.parametrize(("engine", "text", "reason"), [
    ("oxigraph", "SELECT ?o (1 AS ?o) WHERE { ?s ?p ?o }", "overrides an existing variable"),
    ("oxigraph", "SELECT (<http://example.org/f>(?o) AS ?y) WHERE { ?s ?p ?o }", "custom function"),
    ("rdflib", "SELECT * WHERE { ?s ?p ?o FILTER(regex(str(?o), '(')) }", "unterminated subpattern"),
    ("rdflib", "SELECT (SUM(COUNT(?o)) AS ?c) WHERE { ?s ?p ?o }", "CompValue"),
])
def test_a_query_one_engine_refuses_is_a_clear_error(loaded, tmp_path, engine, text, reason):
    query = _query_file(tmp_path, text)
    other = "rdflib" if engine == "oxigraph" else "oxigraph"
    _refused(run_rsf_inprocess("query", query, "--engine", engine),
             query, f"the {engine} engine cannot run the query", reason, f"--engine {other}")


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("text", [
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_named_graphs_are_refused_on_local_data(loaded, tmp_path, engine, text):
    query = _query_file(tmp_path, text)
    _refused(run_rsf_inprocess("query", query, "--engine", engine), query, "named graphs", "--endpoint")


def test_graph_and_from_as_words_are_not_refused(loaded, tmp_path):
    query = _query_file(tmp_path, "# from the ontology\nSELECT ?graph WHERE { ?graph ?p 'from GRAPH' }")
    outcome = run_rsf_inprocess("query", query, "--format", "csv")
    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout.strip() == "graph"


@pytest.mark.parametrize("value", ["<not an iri>", "https://example.org/a b", "<https://example.org/a>b>", "rsf:CE 5"])
def test_an_invalid_iri_parameter_is_refused(value):
    """rdflib would take each (pyoxigraph would then fail on it); it is refused before any engine runs."""
    outcome = run_rsf_inprocess("query", "trace-to-rights", "--param", f"term={value}")
    _refused(outcome, f"--param value {value!r} is not a valid IRI", "percent-encode")


@pytest.mark.parametrize(("content", "reason"), [
    ("SELECT * WHERE { ?s ?p 'café' }".encode("latin-1"), "byte 0xe9 at byte offset 27 is not UTF-8"),
    ("SELECT * WHERE { ?s ?p ?o }".encode("utf-16"), "UTF-16 byte-order mark"),
])
def test_a_query_file_that_is_not_utf8_is_refused(tmp_path, content, reason):
    query = _query_file(tmp_path, content)
    _refused(run_rsf_inprocess("query", query), f"{query}:1: a SPARQL query must be UTF-8", reason, "iconv")


def test_a_query_file_with_a_byte_order_mark_is_read(loaded, tmp_path):
    query = _query_file(tmp_path, b"\xef\xbb\xbfASK { ?s ?p ?o }")
    outcome = run_rsf_inprocess("query", query)
    assert (outcome.code, outcome.stdout) == (0, "yes\n"), outcome.stderr


def test_a_query_file_that_cannot_be_read_is_named(tmp_path):
    (tmp_path / "folder.rq").mkdir()
    _refused(run_rsf_inprocess("query", str(tmp_path / "folder.rq")), "folder.rq: cannot read the file: Is a directory")
    _refused(run_rsf_inprocess("query", str(tmp_path / "missing")), "missing: cannot read the file: No such file")


def test_a_device_as_query_or_data_is_refused_at_the_size_limit():
    for args in (["/dev/zero"], ["stated-links", "--data", "/dev/zero"]):
        outcome = run_rsf_inprocess("query", *args, "--max-size", "1")
        _refused(outcome, "/dev/zero: over the input limit of 1 MB", "--max-size")
        assert outcome.seconds < 10


def test_data_over_max_size_is_refused_unless_raised(tmp_path):
    data = tmp_path / "big.nt"
    data.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n" * 50_000)  # 1.2 MB
    _refused(run_rsf_inprocess("query", "stated-links", "--data", str(data), "--max-size", "1"),
             f"{data}: 1.2 MB is over the input limit of 1 MB", "--max-size")
    query = _query_file(tmp_path, "SELECT (COUNT(*) AS ?n) WHERE { <urn:a> ?p ?o }")
    outcome = run_rsf_inprocess("query", query, "--data", str(data), "--max-size", "2", "--format", "csv")
    assert (outcome.code, outcome.stdout.split()) == (0, ["n", "1"]), outcome.stderr
