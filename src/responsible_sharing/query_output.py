"""Writing query results in the W3C result formats, plus a table for people.

SELECT and ASK results: ``table`` (aligned text, IRIs shortened with the
usual prefixes), ``csv`` and ``tsv`` (SPARQL 1.1 Query Results CSV and TSV
Formats), ``json`` (SPARQL 1.1 Query Results JSON Format) and ``xml``
(SPARQL Query Results XML Format). CONSTRUCT results: ``turtle`` (and the
other RDF syntaxes of ``rsf ontology export``), in stable order.
"""

from __future__ import annotations

import io

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import NamespaceManager
from rdflib.query import Result
from rdflib.term import Node

from .errors import UsageError
from .serialize import serialize_stable
from .sparql import QueryResult

TABULAR = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle",)
PREFIXES = {
    "rsf": "https://w3id.org/rsf/",
    "rsfsh": "https://w3id.org/rsf/shapes/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dct": "http://purl.org/dc/terms/",
    "dpv": "https://w3id.org/dpv#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "dcat": "http://www.w3.org/ns/dcat#",
}


def _short(term: Node | None, names: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return names.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    if isinstance(term, Literal):
        return str(term)
    return term.n3()


def _namespaces() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        names.bind(prefix, iri)
    return names


def _table(result: QueryResult) -> str:
    if result.kind == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    names = _namespaces()
    header = [f"?{v}" for v in result.variables]
    body = [[_short(t, names) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _tsv(result: QueryResult) -> str:
    if result.kind == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3() for t in row))
    return "\n".join(lines) + "\n"


def _rdflib_result(result: QueryResult) -> Result:
    out = Result(result.kind)
    if result.kind == "ASK":
        out.askAnswer = bool(result.boolean)
        return out
    out.vars = [Variable(v) for v in result.variables]
    out.bindings = [
        {Variable(v): t for v, t in zip(result.variables, row) if t is not None} for row in result.rows
    ]
    return out


def render(result: QueryResult, fmt: str) -> bytes:
    """``result`` in format ``fmt``; a CONSTRUCT only as RDF, a SELECT/ASK only as a table format."""
    if result.kind == "CONSTRUCT":
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"a CONSTRUCT query gives a graph; use --format {' or '.join(GRAPH_FORMATS)}")
        assert result.graph is not None
        for prefix, iri in PREFIXES.items():
            result.graph.bind(prefix, iri)
        return serialize_stable(result.graph, "ttl")
    if fmt not in TABULAR:
        raise UsageError(f"a {result.kind} query gives a table; use --format {', '.join(TABULAR)}")
    if fmt == "table":
        return _table(result).encode("utf-8")
    if fmt == "tsv":
        return _tsv(result).encode("utf-8")
    buffer = io.BytesIO()
    _rdflib_result(result).serialize(buffer, format=fmt, encoding="utf-8")
    return buffer.getvalue()
