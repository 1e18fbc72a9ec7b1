"""Validating policies that live in a SPARQL 1.1 store, batch by batch.

The store is asked which named graphs hold a policy (SPARQL Query), each
batch of graphs is fetched through the Graph Store Protocol into a temporary
folder, validated (in worker processes when asked) and its reports written
back as named graphs beside the policies. Memory is bounded by a batch, so a
store of any size can be checked; nothing but the store is contacted.
"""

from __future__ import annotations

import tempfile
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

from rdflib import Graph

from .errors import UsageError
from .formats.rdf import report_graph
from .ontology import load_ontology
from .policy_input import InputError
from .serialize import serialize_stable
from .sparql import DEFAULT_TIMEOUT, EndpointEngine, put_graph, send_request
from .validate import BATCH_FILES, Report, engine, validate

POLICY_GRAPHS = "https://w3id.org/rsf/graph/policy/"
REPORT_GRAPHS = "https://w3id.org/rsf/graph/report/"

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


def policy_graphs(endpoint: str, prefix: str, timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """The named graphs under ``prefix`` that hold a policy, in order."""
    query = _LIST_GRAPHS.replace("?prefix", '"' + prefix.replace("\\", "\\\\").replace('"', '\\"') + '"')
    result = EndpointEngine(endpoint, timeout).query(query, {})
    return [str(row[0]) for row in result.rows]


def _fetch(store: str, graph: str, timeout: float) -> bytes:
    target = f"{store}?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(target, headers={"Accept": "application/n-triples"})
    return send_request(request, store, timeout)


def validate_store(
    endpoint: str,
    *,
    store: str | None = None,
    prefix: str = POLICY_GRAPHS,
    write_reports: bool = True,
    batch_graphs: int = BATCH_FILES,
    jobs: int = 1,
    shacl_engine: str = "pyshacl",
    timeout: float = DEFAULT_TIMEOUT,
    **options: object,
) -> Report:
    """Validate every policy graph under ``prefix`` in the store; write each report back.

    A policy graph ``<prefix><name>`` gets its report in
    ``https://w3id.org/rsf/graph/report/<name>``, replacing an older one.
    """
    store_url = store_url_for(endpoint, store)
    graphs = policy_graphs(endpoint, prefix, timeout)
    if not graphs:
        raise InputError(f"{endpoint}: no named graph under {prefix} holds an rsf:DataSharingPolicy; "
                         "load policies with `rsf load` or give --graph-prefix")
    labels = load_ontology().graph
    policies = []
    warnings: set[str] = set()
    for start in range(0, len(graphs), batch_graphs):
        batch = graphs[start : start + batch_graphs]
        with tempfile.TemporaryDirectory(prefix="rsf-store-") as folder:
            by_file: dict[str, str] = {}
            for number, graph in enumerate(batch):
                path = Path(folder) / f"{number:06d}.nt"
                path.write_bytes(_fetch(store_url, graph, timeout))
                by_file[str(path)] = graph
            per_worker = max(1, -(-len(batch) // max(jobs, 1)))  # ceil: one share of the batch per worker
            report = validate(list(by_file), jobs=jobs, batch_files=per_worker, shacl_engine=shacl_engine,
                              **options)  # type: ignore[arg-type]
        warnings |= {_rename(w, by_file) for w in report.warnings}
        by_graph: dict[str, list] = {graph: [] for graph in batch}
        for policy in report.policies:
            graph = by_file[policy.origin.source]
            origin = replace(policy.origin, source=graph)
            findings = [replace(f, source=graph) for f in policy.findings]
            inputs = [replace(f, source=graph) for f in policy.input_findings]
            by_graph[graph].append(replace(policy, origin=origin, findings=findings, input_findings=inputs))
        for graph, reports in by_graph.items():
            policies.extend(reports)
            if write_reports:
                rdf = without(report_graph(Report(reports, [], report.traces)), labels)
                put_graph(store_url, REPORT_GRAPHS + graph.removeprefix(prefix),
                          serialize_stable(rdf, "ttl", canonical=False), timeout)
    policies.sort(key=lambda p: (p.origin.source, p.origin.line or 0, p.policy))
    return Report(policies, sorted(warnings), engine().traces)


def without(report: Graph, ontology: Graph) -> Graph:
    """``report`` less the triples the ontology graph already holds (term labels), so none is stored twice."""
    for triple in [t for t in report if t in ontology]:
        report.remove(triple)
    return report


def _rename(warning: str, by_file: dict[str, str]) -> str:
    for path, graph in by_file.items():
        warning = warning.replace(path, graph)
    return warning


__all__ = ["POLICY_GRAPHS", "REPORT_GRAPHS", "policy_graphs", "validate_store"]
