"""The report as RDF: the SHACL validation report plus the trace of each result.

Each kept result is a ``sh:ValidationResult`` with the terms pySHACL gave it
(focus node, path, value, severity, message, shape, constraint component). To it we add the
obligation its shape checks (``rsf:checks``), the core elements
(``rsf:atStakeElement``), principles (``rsf:atStakePrinciple``) and rights
(``rsf:atStakeRight``) -- annotation properties, so a reasoner loading the
report with the ontology stays consistent -- the fix hint and the source file and line; the rights
carry their ``rsf:recognisedIn`` provisions and every term its label and
notation. A SPARQL query over the report alone can therefore answer "which
rights are at stake". Blank nodes are labelled canonically, so the same input
gives the same bytes.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

from ..namespaces import RSF, RSFSH
from ..serialize import serialize_stable
from ..trace import Term
from ..validate import Report, engine

_SEVERITY = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}


def _copy_tree(source: Graph, node: Node, target: Graph, label: str, counter: list[int]) -> Node:
    """Copy ``node`` and, recursively, the blank nodes it points to, under labels made from ``label``.

    Own labels per result mean no two results share a path list (shared lists
    are written twice by rdflib's serializers and would not read back the
    same), and labels that follow the findings' order make the output
    reproducible without canonicalising thousands of blank nodes.
    """
    if not isinstance(node, BNode):
        return node
    counter[0] += 1
    copy = BNode(f"{label}p{counter[0]}")
    for p, o in sorted(source.predicate_objects(node)):
        target.add((copy, p, _copy_tree(source, o, target, label, counter)))
    return copy


def _label(g: Graph, term: Term) -> None:
    g.add((URIRef(term.iri), RDFS.label, Literal(term.label, lang="en")))
    if term.notation:
        g.add((URIRef(term.iri), SKOS.notation, Literal(term.notation)))


def report_graph(report: Report) -> Graph:
    g = Graph()
    for prefix, ns in (("sh", SH), ("rsf", RSF), ("rsfsh", RSFSH), ("skos", SKOS)):
        g.bind(prefix, ns)
    root = BNode("report")
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms)))
    shapes = engine().shapes
    focus_of: dict[str, Node] = {}
    for number, finding in enumerate(report.findings, start=1):
        label = f"r{number}"
        result = _result(g, root, label, _focus(focus_of, finding.focus, finding.policy), finding.severity,
                         finding.message, finding.shape)
        if finding.component:
            g.add((result, SH.sourceConstraintComponent, URIRef(finding.component)))
        path = shapes.value(URIRef(finding.shape), SH.path)
        if path is not None:
            g.add((result, SH.resultPath, _copy_tree(shapes, path, g, label, [0])))
        if finding.value_node is not None:
            value = BNode(f"{label}v") if isinstance(finding.value_node, BNode) else finding.value_node
            g.add((result, SH.value, value))
        g.add((result, RSF.fixHint, Literal(finding.fix, lang="en")))
        g.add((result, RSF.sourceFile, Literal(finding.source)))
        if finding.line:
            g.add((result, RSF.sourceLine, Literal(finding.line, datatype=XSD.integer)))
        trace = finding.trace
        g.add((result, RSF.checks, URIRef(trace.obligation.iri)))
        for element in trace.elements:
            g.add((result, RSF.atStakeElement, URIRef(element.iri)))
        for principle in trace.principles:
            g.add((result, RSF.atStakePrinciple, URIRef(principle.iri)))
        for right in trace.rights:
            g.add((result, RSF.atStakeRight, URIRef(right.iri)))
            g.add((URIRef(right.iri), RDFS.label, Literal(right.label, lang="en")))
            g.add((URIRef(right.iri), SKOS.notation, Literal(right.notation)))
            for provision in right.provisions:
                g.add((URIRef(right.iri), RSF.recognisedIn, URIRef(provision.iri)))
                g.add((URIRef(provision.iri), RDFS.label, Literal(provision.label, lang="en")))
        for bearer in trace.bearers:
            g.add((URIRef(trace.obligation.iri), RSF.bearer, URIRef(bearer.iri)))
        for term in (trace.obligation, *trace.elements, *trace.principles, *trace.bearers):
            _label(g, term)
    for number, found in enumerate(report.input_findings, start=1):
        result = _result(g, root, f"i{number}", _focus(focus_of, found.focus, found.policy), found.severity,
                         found.message, found.iri)
        if found.check == "ill-typed-literal":
            g.add((result, SH.sourceConstraintComponent, SH.DatatypeConstraintComponent))
        if found.predicate is not None:
            g.add((result, SH.resultPath, found.predicate))
        if found.value_node is not None:
            g.add((result, SH.value, BNode(f"i{number}v") if isinstance(found.value_node, BNode) else found.value_node))
        g.add((result, RSF.fixHint, Literal(found.fix, lang="en")))
        g.add((result, RSF.sourceFile, Literal(found.source)))
        if found.line:
            g.add((result, RSF.sourceLine, Literal(found.line, datatype=XSD.integer)))
    return g


def render(report: Report, fmt: str) -> bytes:
    return serialize_stable(report_graph(report), {"json-ld": "jsonld", "turtle": "ttl"}[fmt], canonical=False)


def _focus(focus_of: dict[str, Node], focus: Node | None, policy: str) -> Node:
    """The focus node as the report names it: the policy's IRI, or one blank node per policy without one."""
    return focus if isinstance(focus, URIRef) else focus_of.setdefault(policy, BNode(f"policy{len(focus_of) + 1}"))


def _result(g: Graph, root: Node, label: str, focus: Node, severity: str, message: str, shape: str) -> BNode:
    """A new sh:ValidationResult of the report, with what every result states."""
    result = BNode(label)
    g.add((root, SH.result, result))
    g.add((result, RDF.type, SH.ValidationResult))
    g.add((result, SH.focusNode, focus))
    g.add((result, SH.resultSeverity, _SEVERITY[severity]))
    g.add((result, SH.resultMessage, Literal(message, lang="en")))
    g.add((result, SH.sourceShape, URIRef(shape)))
    return result
