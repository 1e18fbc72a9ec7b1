"""Validating policies that live in a SPARQL 1.1 store, batch by batch.

The store is asked which named graphs hold a policy (SPARQL Query), each
batch of graphs is fetched through the Graph Store Protocol into a temporary
folder, validated (in worker processes when asked) and its reports written
back as named graphs beside the policies. Memory is bounded by a batch, so a
store of any size can be checked; nothing but the store is contacted.

A finding points at the file the policy came from: ``rsf load`` records,
beside each policy graph, the file's path (as seen from where it ran, never
an absolute path of the machine) and the line where each policy is written
(:func:`source_record`), and validation reads that record back
(:func:`recorded_places`). A graph another tool wrote has no record; its
findings name the graph.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import DCTERMS, RDF, BNode, Graph, Literal, Namespace, URIRef

from .endpoint import EndpointClient, EndpointError
from .errors import RsfError, UsageError
from .formats.rdf import report_graph
from .ontology import load_ontology
from .policy_input import InputError
from .serialize import serialize_stable
from .sparql import EndpointEngine, get_graph, put_graph
from .validate import BATCH_FILES, PolicyReport, Report, engine, validate

POLICY_GRAPHS = "https://w3id.org/rsf/graph/policy/"
REPORT_GRAPHS = "https://w3id.org/rsf/graph/report/"
SOURCE_GRAPHS = "https://w3id.org/rsf/graph/source/"
#: W3C Pointer Methods in RDF, the vocabulary EARL uses to point at a line of a document
PTR = Namespace("http://www.w3.org/2009/pointers#")

_LIST_GRAPHS = """
SELECT DISTINCT ?g WHERE {
  GRAPH ?g { ?policy a <https://w3id.org/rsf/DataSharingPolicy> }
  FILTER(STRSTARTS(STR(?g), ?prefix))
}
ORDER BY ?g
"""


def store_url_for(endpoint: str, store: str | None) -> str:
    if store:
        return store
    if endpoint.endswith("/query"):
        return endpoint[: -len("/query")] + "/store"
    raise UsageError("give --store URL: the server's Graph Store Protocol endpoint")


def policy_graphs(endpoint: str, prefix: str, client: EndpointClient | None = None) -> list[str]:
    """The named graphs under ``prefix`` that hold a policy, in order."""
    query = _LIST_GRAPHS.replace("?prefix", '"' + prefix.replace("\\", "\\\\").replace('"', '\\"') + '"')
    result = EndpointEngine(endpoint, client).query(query, {})
    return [str(row[0]) for row in result.rows]


def source_graph(graph: str) -> str | None:
    """The named graph holding the record of where policy graph ``graph`` was loaded from; none outside ours."""
    if not graph.startswith(POLICY_GRAPHS):
        return None
    return SOURCE_GRAPHS + graph.removeprefix(POLICY_GRAPHS)


def source_record(graph: str, file: str, lines: Mapping[str, int]) -> Graph:
    """Where policy graph ``graph`` came from: ``dct:source`` the file, and a line pointer per policy IRI.

    ``lines`` maps each policy's IRI to the line of ``file`` where it is
    written; each becomes a ``ptr:LineCharPointer`` whose ``ptr:reference``
    is the graph and whose ``dct:subject`` is the policy.
    """
    record = Graph()
    record.bind("dct", DCTERMS)
    record.bind("ptr", PTR)
    loaded = URIRef(graph)
    record.add((loaded, DCTERMS.source, Literal(file)))
    for policy, line in sorted(lines.items()):
        pointer = BNode()
        record.add((pointer, RDF.type, PTR.LineCharPointer))
        record.add((pointer, PTR.reference, loaded))
        record.add((pointer, PTR.lineNumber, Literal(line)))
        record.add((pointer, DCTERMS.subject, URIRef(policy)))
    return record


@dataclass(frozen=True)
class Place:
    """Where a policy graph's statements were written: the file, and the line of each policy (by IRI)."""

    file: str
    lines: dict[str, int] = field(default_factory=dict)


_PLACES = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX ptr: <http://www.w3.org/2009/pointers#>
SELECT ?graph ?file ?policy ?line WHERE {
  VALUES (?graph ?record) { ROWS }
  GRAPH ?record {
    ?graph dct:source ?file .
    OPTIONAL { ?pointer ptr:reference ?graph ; ptr:lineNumber ?line ; dct:subject ?policy }
  }
}
"""


def recorded_places(endpoint: str, graphs: list[str], client: EndpointClient) -> dict[str, Place]:
    """The recorded file and lines of each of ``graphs`` that ``rsf load`` wrote (others are left out).

    A record is read only from the graph :func:`source_graph` names, which
    only ``rsf load`` writes: statements a policy makes about a graph name
    cannot move another policy's findings.
    """
    pairs = [(g, record) for g in graphs if (record := source_graph(g))]
    if not pairs:
        return {}
    rows = " ".join(f"({ox.NamedNode(g)} {ox.NamedNode(r)})" for g, r in pairs)
    result = EndpointEngine(endpoint, client).query(_PLACES.replace("ROWS", rows), {})
    places: dict[str, Place] = {}
    for row in result.rows:
        found = dict(zip(result.variables, row))  # by name: a server may answer with other columns
        graph, file, policy, line = (found.get(name) for name in ("graph", "file", "policy", "line"))
        if graph is None or file is None:
            continue
        place = places.setdefault(str(graph), Place(str(file)))
        if policy is not None and str(line).isdigit() and int(str(line)) > 0:
            place.lines.setdefault(str(policy), int(str(line)))
    return places


def validate_store(
    endpoint: str,
    *,
    store: str | None = None,
    prefix: str = POLICY_GRAPHS,
    write_reports: bool = True,
    batch_graphs: int = BATCH_FILES,
    jobs: int = 1,
    shacl_engine: str = "pyshacl",
    client: EndpointClient | None = None,
    **options: object,
) -> Report:
    """Validate every policy graph under ``prefix`` in the store; write each report back.

    A policy graph ``<prefix><name>`` gets its report in
    ``https://w3id.org/rsf/graph/report/<name>``, replacing an older one.
    Findings name the file and line recorded by ``rsf load``, or the graph.
    """
    client = client or EndpointClient()
    store_url = store_url_for(endpoint, store)
    graphs = policy_graphs(endpoint, prefix, client)
    if not graphs:
        raise InputError(f"{endpoint}: no named graph under {prefix} holds an rsf:DataSharingPolicy; "
                         "load policies with `rsf load` or give --graph-prefix")
    labels = load_ontology().graph
    policies = []
    warnings: set[str] = set()
    for start in range(0, len(graphs), batch_graphs):
        batch = graphs[start : start + batch_graphs]
        places = recorded_places(endpoint, batch, client)
        with tempfile.TemporaryDirectory(prefix="rsf-store-") as folder:
            by_file: dict[str, str] = {}
            for number, graph in enumerate(batch):
                path = Path(folder) / f"{number:06d}.nt"
                path.write_bytes(get_graph(client, store_url, graph))
                by_file[str(path)] = graph
            report = _validate_batch(by_file, jobs, shacl_engine, client, options)
        shown = {path: places[g].file if g in places else g for path, g in by_file.items()}
        warnings |= {_rename(w, shown) for w in report.warnings}
        by_graph: dict[str, list] = {graph: [] for graph in batch}
        for policy in report.policies:
            graph = by_file[policy.origin.source]
            by_graph[graph].append(_placed(policy, graph, places.get(graph), shown))
        for graph, reports in by_graph.items():
            policies.extend(reports)
            if write_reports:
                rdf = without(report_graph(Report(reports, [], report.traces)), labels)
                put_graph(client, store_url, REPORT_GRAPHS + graph.removeprefix(prefix),
                          serialize_stable(rdf, "ttl", canonical=False))
    policies.sort(key=lambda p: (p.origin.source, p.origin.line or 0, p.policy))
    return Report(policies, sorted(warnings), engine().traces)


def _validate_batch(by_file: dict[str, str], jobs: int, shacl_engine: str, client: EndpointClient,
                    options: dict[str, object]) -> Report:
    """Validate the fetched graphs; an error names the graph, not the temporary file it was fetched into."""
    per_worker = max(1, -(-len(by_file) // max(jobs, 1)))  # ceil: one share of the batch per worker
    try:
        return validate(list(by_file), jobs=jobs, batch_files=per_worker, shacl_engine=shacl_engine,
                        **{"max_mb": client.max_answer_mb, **options})  # type: ignore[arg-type]
    except RsfError as err:
        raise EndpointError(f"{_rename(str(err), by_file)} (in the graph as the store sent it)") from None


def _placed(policy: PolicyReport, graph: str, place: Place | None, shown: dict[str, str]) -> PolicyReport:
    """``policy`` as read from the store, pointing at the file and line ``rsf load`` recorded, or at ``graph``."""
    source = place.file if place else graph
    line = place.lines.get(policy.policy) if place else None
    name = _rename(policy.policy, shown)  # an unnamed policy's name holds the temporary file's
    origin = replace(policy.origin, source=source, line=line)
    findings = [replace(f, policy=name, source=source, line=line) for f in policy.findings]
    inputs = [replace(f, policy=name, source=source, line=line) for f in policy.input_findings]
    return replace(policy, policy=name, origin=origin, findings=findings, input_findings=inputs)


def without(report: Graph, ontology: Graph) -> Graph:
    """``report`` less the triples the ontology graph already holds (term labels), so none is stored twice."""
    for triple in [t for t in report if t in ontology]:
        report.remove(triple)
    return report


def _rename(warning: str, by_file: dict[str, str]) -> str:
    for path, graph in by_file.items():
        warning = warning.replace(path, graph)
    return warning


__all__ = ["POLICY_GRAPHS", "REPORT_GRAPHS", "SOURCE_GRAPHS", "Place", "policy_graphs", "recorded_places",
           "source_graph", "source_record", "validate_store"]
