"""Running SPARQL 1.1 queries on three engines behind one interface.

* :class:`RdflibEngine` - embedded, the reference;
* :class:`OxigraphEngine` - embedded pyoxigraph, much faster on large data;
* :class:`EndpointEngine` - any SPARQL 1.1 endpoint over HTTP (Query, Update
  and Graph Store Protocol), such as an Oxigraph, Fuseki or GraphDB server.

Parameters are never pasted into query text: the embedded engines bind them
through rdflib's ``initBindings``; for pyoxigraph and an endpoint they travel
as a ``VALUES`` block opening the WHERE clause, whose terms are written by
rdflib's N-Triples escaping (pyoxigraph's own ``substitutions`` accept only
projected variables). Queries are parsed first, so a syntax error is reported with line
and column, and a query that calls ``SERVICE`` is refused unless allowed.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Graph, Variable
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from .endpoint import Answer, EndpointClient, EndpointError
from .errors import RsfError
from .oxterms import from_ox


class QueryError(RsfError):
    """A query that cannot run: bad syntax, unknown parameter, refused SERVICE."""


@dataclass
class QueryResult:
    """Engine-independent result: SELECT rows, an ASK answer or a CONSTRUCT graph."""

    kind: str  # "SELECT", "ASK" or "CONSTRUCT"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


def check_query(text: str, *, allow_service: bool = False, source: str = "query") -> str:
    """Parse ``text``; return its form (SELECT/ASK/CONSTRUCT/DESCRIBE) or raise :class:`QueryError`."""
    try:
        parsed = parseQuery(text)
    except ParseException as err:
        raise QueryError(f"{source}: SPARQL syntax error at line {err.lineno}, column {err.col}: {err.msg}") from None
    except Exception as err:  # rdflib raises plain exceptions for some prologue errors
        raise QueryError(f"{source}: SPARQL syntax error: {err}") from None
    if not allow_service and _mentions(parsed, "ServiceGraphPattern"):
        raise QueryError(
            f"{source}: the query calls SERVICE, which would send data to another server; "
            "rsf refuses that unless you pass --allow-service"
        )
    form = parsed[1].name  # e.g. SelectQuery
    return form.removesuffix("Query").upper()


def _mentions(node: object, name: str) -> bool:
    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_mentions(v, name) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_mentions(v, name) for v in node)
    if hasattr(node, "asList") and not isinstance(node, str):
        return any(_mentions(v, name) for v in node)  # pyparsing ParseResults
    return False


def values_block(bindings: dict[str, Node]) -> str:
    """A ``VALUES`` clause binding each variable to its term, escaped by rdflib's N-Triples writer."""
    if not bindings:
        return ""
    names = sorted(bindings)
    terms = []
    for name in names:
        term = bindings[name]
        if isinstance(term, BNode):
            raise QueryError(f"parameter {name}: a blank node cannot be passed as a parameter")
        terms.append(term.n3())
    return "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(terms) + ") }"


def _where_brace(text: str) -> int:
    """Index of the ``{`` that opens the query's WHERE clause (comments, strings and IRIs skipped)."""
    i, n, depth, first_brace = 0, len(text), 0, -1
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<":
            close = text.find(">", i)
            if close > 0 and not any(ch in text[i + 1 : close] for ch in " \t\n{}"):
                i = close + 1
                continue
        before, after = text[i - 1 : i], text[i + 5 : i + 6]
        if (depth == 0 and text[i : i + 5].upper() == "WHERE" and not (before.isalnum() or before in "?$:_")
                and not (after.isalnum() or after == "_")):
            brace = text.find("{", i + 5)
            if brace >= 0:
                return brace
        if c == "{":
            if depth == 0 and first_brace < 0:
                first_brace = i
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    if first_brace < 0:
        raise QueryError("cannot find the query's WHERE clause to bind parameters")
    return first_brace


def bind_inline(text: str, bindings: dict[str, Node]) -> str:
    """``text`` with a ``VALUES`` block opening its WHERE clause.

    Data at the start of the group is joined before the group's patterns and
    filters, which is what rdflib's ``initBindings`` does; a trailing VALUES
    block would be joined last, after FILTERs had seen the variable unbound.
    """
    if not bindings:
        return text
    brace = _where_brace(text)
    return text[: brace + 1] + " " + values_block(bindings) + " " + text[brace + 1 :]


class Engine(Protocol):
    name: str

    def query(self, text: str, bindings: dict[str, Node]) -> QueryResult: ...


class RdflibEngine:
    """rdflib's own SPARQL engine over an in-memory graph."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def query(self, text: str, bindings: dict[str, Node]) -> QueryResult:
        result = self.graph.query(text, initBindings=bindings)
        if result.type == "SELECT":
            names = [str(v) for v in result.vars or []]
            return QueryResult("SELECT", names, [tuple(row) for row in result])
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        graph = Graph()
        for triple in result:
            graph.add(triple)  # type: ignore[arg-type]
        return QueryResult("CONSTRUCT", graph=graph)


class OxigraphEngine:
    """pyoxigraph's in-memory store, loaded once from an rdflib graph."""

    name = "oxigraph"

    def __init__(self, graph: Graph) -> None:
        import pyoxigraph

        self._ox = pyoxigraph
        self.store = pyoxigraph.Store()
        data = graph.serialize(format="nt", encoding="utf-8")
        self.store.load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)

    def query(self, text: str, bindings: dict[str, Node]) -> QueryResult:
        # pyoxigraph's substitutions accept only projected variables
        ox = self._ox
        result = self.store.query(bind_inline(text, bindings))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = [tuple(from_ox(solution[name]) for name in names) for solution in result]
            return QueryResult("SELECT", names, rows)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        graph = Graph()
        for triple in result:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))  # type: ignore[arg-type]
        return QueryResult("CONSTRUCT", graph=graph)


class EndpointEngine:
    """A SPARQL 1.1 endpoint over HTTP (POST, application/sparql-query).

    Answers are read by pyoxigraph's strict parsers, so an answer that is not
    SPARQL JSON results or N-Triples (a login page, a truncated body, a
    binding without a type, a bad language tag) is an :class:`EndpointError`
    naming the URL and what was wrong, never a crash.
    """

    name = "endpoint"

    def __init__(self, url: str, client: EndpointClient | None = None) -> None:
        self.url = url
        self.client = client or EndpointClient()

    def query(self, text: str, bindings: dict[str, Node]) -> QueryResult:
        form = check_query(text, allow_service=True)
        body = bind_inline(text, bindings).encode("utf-8")
        if form in ("CONSTRUCT", "DESCRIBE"):
            answer = self.client.send("POST", self.url, body, Content_Type="application/sparql-query",
                                      Accept="application/n-triples")
            return QueryResult("CONSTRUCT", graph=self._graph(answer))
        answer = self.client.send("POST", self.url, body, Content_Type="application/sparql-query",
                                  Accept="application/sparql-results+json")
        return self._results(answer)

    def _results(self, answer: Answer) -> QueryResult:
        _require_utf8(answer, self.url)
        try:
            parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
            if isinstance(parsed, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(parsed))
            names = [v.value for v in parsed.variables]
            rows = [tuple(self._term(solution[name]) for name in names) for solution in parsed]
        except SyntaxError as err:
            raise EndpointError(f"{self.url}: the answer is not SPARQL JSON results ({_reason(err)}; "
                                f"{answer.described()}); check that the URL is the server's SPARQL query endpoint") from None
        return QueryResult("SELECT", names, rows)

    def _graph(self, answer: Answer) -> Graph:
        _require_utf8(answer, self.url)
        graph = Graph()
        try:
            for triple in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES):
                graph.add(tuple(self._term(t) for t in (triple.subject, triple.predicate, triple.object)))  # type: ignore[arg-type]
        except SyntaxError as err:
            raise EndpointError(f"{self.url}: the answer is not N-Triples ({_reason(err)}; {answer.described()}); "
                                "check that the server answers CONSTRUCT queries in application/n-triples") from None
        return graph

    def _term(self, term: object) -> Node | None:
        if isinstance(term, ox.Triple):
            raise EndpointError(f"{self.url}: the answer holds a triple term ({term}), which rsf does not read yet")
        return from_ox(term)  # type: ignore[arg-type]


def _require_utf8(answer: Answer, url: str) -> None:
    try:
        answer.body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise EndpointError(f"{url}: the answer is not UTF-8 (byte 0x{answer.body[err.start]:02x} at byte offset "
                            f"{err.start}; {answer.described()}); SPARQL answers must be UTF-8: check the server's "
                            "configuration") from None


def _reason(err: SyntaxError) -> str:
    line = f"line {err.lineno}: " if err.lineno else ""
    return line + (err.msg or str(err)).rstrip(".")


def put_graph(client: EndpointClient, store_url: str, graph_iri: str, turtle: bytes) -> None:
    """Replace one named graph through the SPARQL 1.1 Graph Store Protocol (HTTP PUT)."""
    target = f"{store_url}?{urllib.parse.urlencode({'graph': graph_iri})}"
    client.send("PUT", target, turtle, Content_Type="text/turtle")


def get_graph(client: EndpointClient, store_url: str, graph_iri: str) -> bytes:
    """One named graph as N-Triples, through the Graph Store Protocol (HTTP GET)."""
    target = f"{store_url}?{urllib.parse.urlencode({'graph': graph_iri})}"
    return client.send("GET", target, Accept="application/n-triples").body


__all__ = [
    "EndpointEngine",
    "EndpointError",
    "Engine",
    "OxigraphEngine",
    "QueryError",
    "QueryResult",
    "RdflibEngine",
    "Variable",
    "bind_inline",
    "check_query",
    "get_graph",
    "put_graph",
    "values_block",
]
