"""The traceability graph as a networkx graph: build it, query it, export it, draw it.

Nodes are the terms of the ontology's spine (legal provisions, human rights,
principles, core elements, obligations, actor roles), optionally the policy
shapes that check the obligations, and, for validated policies, the policies
and their findings. Every edge points from a term to what it rests on::

    obligation --derivesFrom--> core element --serves--> principle
               --groundedIn--> human right --recognisedIn--> legal provision
    core element --upholds--> human right   (the element's own rights)
    obligation --bearer--> actor role
    shape --checks--> obligation
    finding --sourceShape--> shape,  finding --concerns--> obligation
    policy --hasFinding--> finding

so everything *downstream* of a term (what rests on it) is its set of
ancestors in networkx's sense, except below a right: the core elements resting
on a right are those that uphold it, not every element serving a principle
grounded in it (the same rule as the traces and the stored queries). Every node has the string attributes ``kind``,
``label``, ``notation`` and ``iri``; every edge has ``relation`` (and ``label``,
the same text, for graph tools), ``property`` (the RDF property, when there is
one), ``basis`` (``rsf:StatedByFramework`` or ``rsf:ProjectInterpretation``
where the ontology annotates the link) and ``rank`` (primary or secondary, for
``serves``).

Exports are deterministic: the same ontology, shapes and policies give the
same bytes, whatever ``PYTHONHASHSEED``. Pictures need matplotlib, the
optional extra ``responsible-sharing[graph]``.
"""

from __future__ import annotations

import hashlib
import io
import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import SH

from .errors import RsfError, UsageError
from .namespaces import RSF, RSFSH
from .terms import TermEntry, TermIndex, own_local_name
from .trace import natural_key, term
from .validate import Report, engine, validate

#: node kinds, in the order of the spine (and of the picture's columns)
KINDS = ("provision", "right", "principle", "element", "obligation", "shape", "finding", "policy", "role")
#: the kinds whose nodes come from the ontology
ONTOLOGY_KINDS = ("provision", "right", "principle", "element", "obligation", "role")
KIND_NAMES = {
    "provision": "Legal provisions",
    "right": "Human rights",
    "principle": "Principles",
    "element": "Core elements",
    "obligation": "Obligations",
    "shape": "Policy shapes",
    "finding": "Findings",
    "policy": "Policies",
    "role": "Actor roles",
}
_CLASS_KIND = {
    RSF.LegalProvision: "provision",
    RSF.HumanRight: "right",
    RSF.Principle: "principle",
    RSF.CoreElement: "element",
    RSF.Obligation: "obligation",
    RSF.ActorRole: "role",
}
#: ontology properties that make up the spine: property -> (subject kind, object kind)
_SPINE = {
    RSF.derivesFrom: ("obligation", "element"),
    RSF.serves: ("element", "principle"),
    RSF.upholds: ("element", "right"),
    RSF.groundedIn: ("principle", "right"),
    RSF.recognisedIn: ("right", "provision"),
    RSF.bearer: ("obligation", "role"),
}
PREFIXES = {"rsf": str(RSF), "rsfsh": str(RSFSH)}
FORMATS = ("graphml", "gexf", "dot", "png", "svg")
BINARY_FORMATS = ("png",)
_OWL_AXIOM = OWL.Axiom
_ANNOTATED = (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget)


class DrawingUnavailableError(RsfError):
    """A picture was asked for but matplotlib, the optional extra ``graph``, is not installed."""


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------


def _curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _link_annotations(ontology: Graph) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(source, property, target) -> (basis CURIE, rank) from the owl:Axiom annotations."""
    out: dict[tuple[str, str, str], tuple[str, str]] = {}
    for axiom in ontology.subjects(RDF.type, _OWL_AXIOM):
        source, prop, target = (ontology.value(axiom, p) for p in _ANNOTATED)
        if source is None or prop is None or target is None:
            continue
        basis = ontology.value(axiom, RSF.basis)
        rank = ontology.value(axiom, RSF.linkRank)
        out[(str(source), str(prop), str(target))] = (_curie(str(basis)) if basis is not None else "", str(rank or ""))
    return out


def _node_key(kind: str, attrs: dict[str, str], node_id: str) -> tuple[object, ...]:
    return (KINDS.index(kind), natural_key(attrs.get("notation") or attrs.get("label") or node_id), node_id)


def _finding_id(finding: object) -> str:
    fields = [getattr(finding, name) for name in ("policy", "severity", "shape", "path", "value", "message")]
    digest = hashlib.sha256("\x1f".join(str(f) for f in fields).encode("utf-8")).hexdigest()[:16]
    return f"urn:rsf:finding:{digest}"


def build_graph(
    ontology: Graph | None = None,
    *,
    shapes: bool = False,
    reports: Iterable[Report] = (),
    policies: Sequence[str] = (),
) -> nx.DiGraph:
    """The traceability graph of ``ontology`` (default: the shipped ontology).

    ``shapes`` adds the shipped policy shapes (shape -> obligation it checks).
    ``reports`` (from :func:`~responsible_sharing.validate.validate`) and
    ``policies`` (files or folders, validated here) add each policy and its
    findings; they imply ``shapes``.
    """
    eng = engine()
    if ontology is None:
        ontology = eng.ontology
    reports = list(reports)
    if policies:
        reports.append(validate(list(policies)))
    shapes = shapes or bool(reports)

    nodes: dict[str, dict[str, str]] = {}
    edges: dict[tuple[str, str, str], dict[str, str]] = {}

    for cls, kind in _CLASS_KIND.items():
        for subject in ontology.subjects(RDF.type, cls):
            if not isinstance(subject, URIRef):
                continue
            if kind == "obligation" and (subject, OWL.deprecated, Literal(True)) in ontology:
                continue  # retired: no profile asks for it, so the graph leaves it out as the traces do
            t = term(ontology, subject)
            attrs = {"kind": kind, "label": t.label, "notation": t.notation, "iri": t.iri}
            if kind == "obligation":
                modality = ontology.value(subject, RSF.hasModality)
                attrs["modality"] = term(ontology, modality).label if modality is not None else ""
                attrs["machine_checkable"] = str(ontology.value(subject, RSF.machineCheckable) or "").lower()
            elif kind == "provision":
                instrument = ontology.value(subject, RSF.articleOf)
                attrs["instrument"] = term(ontology, instrument).notation if instrument is not None else ""
                attrs["article"] = str(ontology.value(subject, RSF.articleNumber) or "")
            nodes[str(subject)] = attrs

    annotations = _link_annotations(ontology)
    for prop, (source_kind, target_kind) in _SPINE.items():
        for source, target in ontology.subject_objects(prop):
            s, t = str(source), str(target)
            if nodes.get(s, {}).get("kind") != source_kind or nodes.get(t, {}).get("kind") != target_kind:
                continue
            basis, rank = annotations.get((s, str(prop), t), ("", ""))
            relation = str(prop).removeprefix(str(RSF))
            edges[(s, t, relation)] = {"relation": relation, "property": str(prop), "basis": basis, "rank": rank}

    if shapes:
        for shape, checked in sorted(eng.shapes.subject_objects(RSF.checks)):
            shape_iri, obligation = str(shape), str(checked)
            if obligation not in nodes:
                continue
            names = sorted(str(n) for n in eng.shapes.objects(shape, SH.name))
            severity = eng.shapes.value(shape, SH.severity)
            nodes[shape_iri] = {
                "kind": "shape",
                "label": names[0] if names else _curie(shape_iri),
                "notation": _curie(shape_iri),
                "iri": shape_iri,
                "severity": str(severity).removeprefix(str(SH)).lower() if severity is not None else "",
            }
            edges[(shape_iri, obligation, "checks")] = {"relation": "checks", "property": str(RSF.checks), "basis": "", "rank": ""}

    for report in reports:
        for policy in report.policies:
            nodes[policy.policy] = {
                "kind": "policy",
                "label": policy.title or policy.policy,
                "notation": "",
                "iri": "" if policy.policy.startswith("[") else policy.policy,
                "source": policy.origin.source,
            }
            for finding in policy.findings:
                fid = _finding_id(finding)
                obligation = finding.trace.obligation.iri
                nodes[fid] = {
                    "kind": "finding",
                    "label": f"{finding.severity}: {finding.message}",
                    "notation": "",
                    "iri": "",
                    "severity": finding.severity,
                    "message": finding.message,
                    "policy": finding.policy,
                    "shape": finding.shape,
                    "obligation": obligation,
                    "path": finding.path,
                    "value": finding.value,
                    "source": finding.source,
                    "line": "" if finding.line is None else str(finding.line),
                }
                edges[(policy.policy, fid, "hasFinding")] = {"relation": "hasFinding", "property": "", "basis": "", "rank": ""}
                if finding.shape in nodes:
                    edges[(fid, finding.shape, "sourceShape")] = {
                        "relation": "sourceShape", "property": str(SH.sourceShape), "basis": "", "rank": ""}
                if obligation in nodes:
                    edges[(fid, obligation, "concerns")] = {"relation": "concerns", "property": "", "basis": "", "rank": ""}

    graph = nx.DiGraph(
        name="responsible-sharing traceability graph",
        description="GA4GH Framework for Responsible Sharing: each edge points from a term to what it rests on",
    )
    order = sorted(nodes, key=lambda n: _node_key(nodes[n]["kind"], nodes[n], n))
    for node_id in order:
        graph.add_node(node_id, **nodes[node_id])
    position = {n: i for i, n in enumerate(order)}
    for (s, t, relation) in sorted(edges, key=lambda e: (position[e[0]], position[e[1]], e[2])):
        attrs = edges[(s, t, relation)]
        graph.add_edge(s, t, label=relation, **attrs)
    return graph


# ---------------------------------------------------------------------------
# Finding terms, impact, focus
# ---------------------------------------------------------------------------


def display_name(graph: nx.DiGraph, node: str) -> str:
    data = graph.nodes[node]
    if data.get("notation") and data["notation"] != data.get("label"):
        return f"{data['notation']} {data['label']}"
    return data.get("label") or node


def resolve(graph: nx.DiGraph, needle: str) -> str:
    """The node named by ``needle``, by the rules of :mod:`~responsible_sharing.terms`: an IRI or prefixed
    name (rsf:RightToPrivacy), a notation (CE5) or label in any case, or a local name (RightToPrivacy).

    Terms of the ontology win over shapes, findings and policies.
    """
    entries = [
        TermEntry(iri=node, prefixed_name=_curie(data.get("iri") or node), kind=data["kind"],
                  types=frozenset({data["kind"]}), notation=data.get("notation", ""), label=data.get("label", ""),
                  local_name=own_local_name(data.get("iri", "")), priority=0 if data["kind"] in ONTOLOGY_KINDS else 1)
        for node, data in graph.nodes(data=True)
    ]
    return TermIndex(entries, PREFIXES, {}, what="term of the traceability graph").resolve(needle).iri


@dataclass(frozen=True)
class NodeInfo:
    id: str
    kind: str
    notation: str
    label: str
    iri: str

    @property
    def name(self) -> str:
        return f"{self.notation} {self.label}" if self.notation and self.notation != self.label else self.label


@dataclass(frozen=True)
class ImpactedObligation:
    obligation: NodeInfo
    modality: str
    elements: tuple[NodeInfo, ...]
    bearers: tuple[NodeInfo, ...]
    shapes: tuple[NodeInfo, ...]


@dataclass(frozen=True)
class ImpactedFinding:
    finding: NodeInfo
    severity: str
    message: str
    policy: str
    source: str
    obligation: str
    shape: str


@dataclass
class Impact:
    """Everything that rests, directly or not, on one term."""

    term: NodeInfo
    provisions: list[NodeInfo] = field(default_factory=list)
    principles: list[NodeInfo] = field(default_factory=list)
    elements: list[NodeInfo] = field(default_factory=list)
    obligations: list[ImpactedObligation] = field(default_factory=list)
    shapes: list[NodeInfo] = field(default_factory=list)
    findings: list[ImpactedFinding] = field(default_factory=list)
    policies: list[NodeInfo] = field(default_factory=list)

    @property
    def obligation_iris(self) -> set[str]:
        return {o.obligation.iri for o in self.obligations}


def info(graph: nx.DiGraph, node: str) -> NodeInfo:
    d = graph.nodes[node]
    return NodeInfo(node, d["kind"], d.get("notation", ""), d.get("label", ""), d.get("iri", ""))


def _sorted_infos(graph: nx.DiGraph, nodes: Iterable[str]) -> list[NodeInfo]:
    return sorted((info(graph, n) for n in nodes), key=lambda i: _node_key(i.kind, {"notation": i.notation, "label": i.label}, i.id))


def _neighbours(graph: nx.DiGraph, node: str, relation: str, *, incoming: bool = False) -> list[str]:
    if incoming:
        return [s for s, _, r in graph.in_edges(node, data="relation") if r == relation]
    return [t for _, t, r in graph.out_edges(node, data="relation") if r == relation]


def _without(graph: nx.DiGraph, *relations: str) -> nx.DiGraph:
    """A view of ``graph`` without the edges of ``relations``."""
    return nx.subgraph_view(graph, filter_edge=lambda s, t: graph.edges[s, t]["relation"] not in relations)


def _downstream(graph: nx.DiGraph, node: str) -> set[str]:
    """What rests on ``node``: below a provision, its rights and what rests on them; below a right, the
    principles grounded in it, the elements that uphold it and everything resting on those elements."""
    kind = graph.nodes[node]["kind"]
    if kind == "provision":
        below: set[str] = set()
        for right in _neighbours(graph, node, "recognisedIn", incoming=True):
            below |= {right} | _downstream(graph, right)
        return below
    if kind == "right":
        elements = _neighbours(graph, node, "upholds", incoming=True)
        below = set(_neighbours(graph, node, "groundedIn", incoming=True)) | set(elements)
        for element in elements:
            below |= nx.ancestors(graph, element)
        return below
    return nx.ancestors(graph, node)


def impact(graph: nx.DiGraph, needle: str) -> Impact:
    """Everything downstream of a term (a right, provision, principle, core element, ...):
    the principles, core elements and obligations resting on it, the shapes
    that check those obligations and the findings about them, as far as the
    graph holds shapes and findings."""
    node = resolve(graph, needle)
    below = _downstream(graph, node)
    by_kind: dict[str, list[str]] = {k: [] for k in KINDS}
    for n in below:
        by_kind[graph.nodes[n]["kind"]].append(n)
    result = Impact(term=info(graph, node))
    result.principles = _sorted_infos(graph, by_kind["principle"])
    result.elements = _sorted_infos(graph, by_kind["element"])
    result.shapes = _sorted_infos(graph, by_kind["shape"])
    result.policies = _sorted_infos(graph, by_kind["policy"])
    for ob in _sorted_infos(graph, by_kind["obligation"]):
        result.obligations.append(
            ImpactedObligation(
                obligation=ob,
                modality=graph.nodes[ob.id].get("modality", ""),
                elements=tuple(_sorted_infos(graph, _neighbours(graph, ob.id, "derivesFrom"))),
                bearers=tuple(_sorted_infos(graph, _neighbours(graph, ob.id, "bearer"))),
                shapes=tuple(_sorted_infos(graph, _neighbours(graph, ob.id, "checks", incoming=True))),
            )
        )
    findings = []
    for n in by_kind["finding"]:
        d = graph.nodes[n]
        findings.append(ImpactedFinding(info(graph, n), d["severity"], d["message"], d["policy"], d["source"], d["obligation"], d["shape"]))
    severity_order = {"violation": 0, "warning": 1, "info": 2}
    notation = {n: d.get("notation", "") for n, d in graph.nodes(data=True)}
    result.findings = sorted(
        findings,
        key=lambda f: (f.policy, severity_order.get(f.severity, 3), natural_key(notation.get(f.obligation, "")), f.shape, f.finding.id),
    )
    return result


def focus(graph: nx.DiGraph, needle: str, depth: int | None = None) -> nx.DiGraph:
    """The neighbourhood of one term: what it rests on (up to the provisions)
    and what rests on it (down to obligations, shapes, findings), each at
    most ``depth`` links away (``None``: no limit), plus the roles that bear
    the obligations shown. A new graph with the same node order."""
    if depth is not None and depth < 0:
        raise UsageError("--depth must be 0 or more")
    node = resolve(graph, needle)
    kind = graph.nodes[node]["kind"]
    # Below a principle the chain goes on to its rights; below an element, an obligation or a
    # shape the rights are the element's own (upholds), so groundedIn is not followed up from them.
    # Down from a right, elements are reached through upholds, not through serves.
    upward = graph if kind in ("principle", "right", "provision") else _without(graph, "groundedIn")
    downward = _without(graph, "serves") if kind in ("right", "provision") else graph
    up = nx.single_source_shortest_path_length(upward, node, cutoff=depth)
    down = nx.single_source_shortest_path_length(downward.reverse(copy=False), node, cutoff=depth)
    keep = set(up) | set(down)
    if kind == "role":
        # a role rests on nothing; show what its obligations rest on instead
        spine = _without(graph, "bearer", "groundedIn")
        for obligation, distance in down.items():
            if graph.nodes[obligation]["kind"] == "obligation" and obligation in spine:
                reach = None if depth is None else depth - distance
                keep.update(nx.single_source_shortest_path_length(spine, obligation, cutoff=reach))
    for n in list(keep):
        if graph.nodes[n]["kind"] == "obligation":
            keep.update(_neighbours(graph, n, "bearer"))
    sub = nx.DiGraph()
    sub.graph.update(graph.graph)
    sub.graph["focus"] = node
    for n, d in graph.nodes(data=True):
        if n in keep:
            sub.add_node(n, **d)
    for s, t, d in graph.edges(data=True):
        if s in keep and t in keep:
            sub.add_edge(s, t, **d)
    return sub


# ---------------------------------------------------------------------------
# Exports: GraphML, GEXF, DOT
# ---------------------------------------------------------------------------


def _stringified(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose every attribute is a string (what the GraphML and GEXF writers accept), in the same order."""
    out = nx.DiGraph()
    out.graph.update({str(k): str(v) for k, v in graph.graph.items()})
    for n, d in graph.nodes(data=True):
        out.add_node(str(n), **{str(k): "" if v is None else str(v) for k, v in d.items()})
    for s, t, d in graph.edges(data=True):
        out.add_edge(str(s), str(t), **{str(k): "" if v is None else str(v) for k, v in d.items()})
    return out


def to_graphml(graph: nx.DiGraph) -> bytes:
    buffer = io.BytesIO()
    # the plain-XML writer, so that the bytes do not depend on whether lxml is installed
    nx.readwrite.graphml.write_graphml_xml(_stringified(graph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_gexf(graph: nx.DiGraph) -> bytes:
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:  # today's date would make every export differ
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(_stringified(graph))
    return str(writer).encode("utf-8")


def _dot_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{k}={_dot_quote(v)}" for k, v in attrs.items())


def to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT text, written here: every ID is quoted, so IRIs survive intact.

    (networkx's ``write_dot`` needs pydot or pygraphviz; pydot 4 turns a node
    named ``https://w3id.org/rsf/CE1`` into node ``https`` with port
    ``//w3id.org/rsf/CE1``, merging every IRI into one node.)
    """
    out = [
        f"// {graph.graph.get('name', 'responsible-sharing traceability graph')}",
        "// Each edge points from a term to what it rests on; render with: dot -Tsvg graph.dot -o graph.svg",
        "digraph rsf {",
        '  graph [rankdir="RL", ranksep="1.2", nodesep="0.08", fontname="DejaVu Sans"];',
        '  node [shape="box", style="rounded,filled", fontname="DejaVu Sans", fontsize="10"];',
        '  edge [color="#00000055", arrowsize="0.5"];',
    ]
    for kind in KINDS:
        members = [n for n, k in graph.nodes(data="kind") if k == kind]
        if not members:
            continue
        out.append(f"  // {KIND_NAMES[kind]}")
        out.append("  subgraph " + _dot_quote(f"layer_{kind}") + " {")
        out.append('    rank="same";')
        for n in members:
            d = graph.nodes[n]
            attrs = {"label": "\n".join(_label_lines(d, many_obligations=False)), "fillcolor": _tint(COLOURS[kind]),
                     "color": COLOURS[kind]}
            attrs.update({k: str(v) for k, v in d.items() if k != "label"})
            attrs["rsf_label"] = d.get("label", "")
            if n == graph.graph.get("focus"):
                attrs["penwidth"] = "2.5"
            out.append(f"    {_dot_quote(n)} [{_dot_attrs(attrs)}];")
        out.append("  }")
    for s, t, d in graph.edges(data=True):
        # no edge "label": Graphviz would print the relation on every one of the ~240 edges
        attrs = {k: str(v) for k, v in d.items() if k != "label"}
        if d.get("basis") == "rsf:ProjectInterpretation":
            attrs["style"] = "dashed"
        out.append(f"  {_dot_quote(s)} -> {_dot_quote(t)} [{_dot_attrs(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------

#: one colour per layer (colour-blind-safe hues), with a light tint as box fill
COLOURS = {
    "provision": "#7f6a3a",
    "right": "#b2182b",
    "principle": "#d6700a",
    "element": "#1b7837",
    "obligation": "#2166ac",
    "shape": "#5a5a5a",
    "finding": "#c51b7d",
    "policy": "#35978f",
    "role": "#762a83",
}
FONT_SIZE = 7.5
HEADER_SIZE = 10.5
#: above this many obligations, obligations are labelled by notation only
MANY_OBLIGATIONS = 30
_WRAP = {"provision": 16, "right": 26, "principle": 30, "element": 28, "obligation": 44, "shape": 30,
         "finding": 40, "policy": 32, "role": 26}


def _tint(colour: str, amount: float = 0.84) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _label_lines(d: dict[str, str], *, many_obligations: bool) -> list[str]:
    kind = d["kind"]
    notation, label = d.get("notation", ""), d.get("label", "")
    if kind == "provision":
        text = notation or label
    elif kind == "right":
        text = label[:1].upper() + label[1:]
    elif kind == "obligation" and many_obligations:
        return [f"{notation} ({d.get('modality', '').upper()})" if d.get("modality") else notation]
    elif kind == "shape":
        return [notation.removeprefix("rsfsh:")]
    elif kind == "finding":
        text = label if len(label) <= 80 else label[:79] + "…"
    elif kind == "policy":
        text = label
    else:
        text = f"{notation} {label}" if notation and notation != label else label
    return textwrap.wrap(text, _WRAP[kind], break_long_words=True, break_on_hyphens=False) or [""]


def _header(kind: str, count: int) -> str:
    return f"{KIND_NAMES[kind]} ({count})"


def _crossings(order_a: list[str], order_b: list[str], pairs: list[tuple[str, str]]) -> int:
    pa = {n: i for i, n in enumerate(order_a)}
    pb = {n: i for i, n in enumerate(order_b)}
    segments = sorted((pa[a], pb[b]) for a, b in pairs if a in pa and b in pb)
    count = 0
    for i, (a1, b1) in enumerate(segments):
        for a2, b2 in segments[i + 1:]:
            if a2 > a1 and b2 < b1:
                count += 1
    return count


def _order_columns(graph: nx.DiGraph, columns: list[str], members: dict[str, list[str]]) -> dict[str, list[str]]:
    """Order each column to reduce crossings: barycentre sweeps, best of a few rounds."""
    undirected = graph.to_undirected(as_view=True)
    column_of = {n: c for c in columns for n in members[c]}
    index = {c: i for i, c in enumerate(columns)}
    tiebreak = {n: _node_key(graph.nodes[n]["kind"], graph.nodes[n], n) for n in graph}

    def pairs_between(a: str, b: str) -> list[tuple[str, str]]:
        return [(u, v) for u in members[a] for v in undirected[u] if column_of.get(v) == b]

    def total(orders: dict[str, list[str]]) -> int:
        return sum(_crossings(orders[a], orders[b], pairs_between(a, b)) for a, b in zip(columns, columns[1:]))

    def reorder(orders: dict[str, list[str]], column: str, side: int) -> None:
        """Sort ``column`` by the mean position of its neighbours on one side (-1 left, +1 right)."""
        def barycentre(n: str) -> float:
            positions = []
            for v in undirected[n]:
                c = column_of.get(v)
                if c is not None and (index[c] - index[column]) * side > 0:
                    positions.append((orders[c].index(v) + 0.5) / len(orders[c]))
            return math.fsum(positions) / len(positions) if positions else -1.0
        keyed = {n: barycentre(n) for n in orders[column]}
        if all(v < 0 for v in keyed.values()):
            return
        current = {n: (i + 0.5) / len(orders[column]) for i, n in enumerate(orders[column])}
        orders[column] = sorted(orders[column], key=lambda n: (keyed[n] if keyed[n] >= 0 else current[n], tiebreak[n]))

    orders = {c: list(members[c]) for c in columns}
    best, best_score = {c: list(o) for c, o in orders.items()}, total(orders)
    # the spine above the obligations may be reordered from both sides; obligations
    # stay grouped by core element, and the columns after them follow them
    upper = [c for c in columns if c in ("provision", "right", "principle", "element")]
    for _ in range(4):
        for c in columns[1:]:
            reorder(orders, c, -1)
        for c in reversed(upper[:-1]):
            reorder(orders, c, +1)
        for c in columns[1:]:
            reorder(orders, c, -1)
        score = total(orders)
        if score < best_score:
            best, best_score = {c: list(o) for c, o in orders.items()}, score
    return best


@dataclass
class _Box:
    x: float
    y: float
    width: float
    height: float
    lines: list[str]


def _measure(lines: list[str], size: float, weight: str = "normal") -> float:
    """Width in inches of the widest line, in matplotlib's own DejaVu Sans metrics."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = _measure.renderer  # type: ignore[attr-defined]
    if renderer is None:
        renderer = _measure.renderer = RendererAgg(10, 10, 72)  # type: ignore[attr-defined]
    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    return max(renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines) / 72


_measure.renderer = None  # type: ignore[attr-defined]


def _place(desired: list[float | None], heights: list[float], gap: float, top: float) -> list[float]:
    """Centres as near the desired ones as the order allows, never overlapping, none above ``top``.

    Nodes are taken in order; a node that would overlap the block above it
    joins that block, and a block sits where its members want it on average
    (nodes without a wish go along with their block).
    """
    blocks: list[dict] = []
    for i, (want, h) in enumerate(zip(desired, heights)):
        block = {"nodes": [i], "offsets": [h / 2], "height": h, "sum": 0.0, "count": 0}
        if want is not None:
            block["sum"], block["count"] = want - h / 2, 1
        blocks.append(block)
        while len(blocks) > 1:
            above, below = blocks[-2], blocks[-1]
            above_top = above["sum"] / above["count"] if above["count"] else None
            below_top = below["sum"] / below["count"] if below["count"] else None
            if below_top is not None and above_top is not None and above_top + above["height"] + gap <= below_top:
                break
            shift = above["height"] + gap
            above["nodes"] += below["nodes"]
            above["offsets"] += [o + shift for o in below["offsets"]]
            above["height"] = shift + below["height"]
            above["sum"] += below["sum"] - shift * below["count"]
            above["count"] += below["count"]
            blocks.pop()
    ys = [0.0] * len(heights)
    floor = top
    for block in blocks:
        start = block["sum"] / block["count"] if block["count"] else floor
        start = max(start, floor)
        for node, offset in zip(block["nodes"], block["offsets"]):
            ys[node] = start + offset
        floor = start + block["height"] + gap
    return ys


def layout(graph: nx.DiGraph) -> tuple[list[str], dict[str, list[str]], dict[str, _Box], float, float]:
    """Columns, their ordered members, one box per node (inches, y down) and the drawing's width and height."""
    columns = [k for k in KINDS if any(d == k for _, d in graph.nodes(data="kind"))]
    members = {c: [n for n, k in graph.nodes(data="kind") if k == c] for c in columns}
    many = len(members.get("obligation", [])) > MANY_OBLIGATIONS
    orders = _order_columns(graph, columns, members)
    line_height = FONT_SIZE * 1.22 / 72
    pad_y, pad_x, gap = 0.05, 0.08, 0.07
    lines = {n: _label_lines(graph.nodes[n], many_obligations=many) for n in graph}
    heights = {n: len(lines[n]) * line_height + 2 * pad_y for n in graph}
    widths = {
        c: max(max(_measure(lines[n], FONT_SIZE) for n in members[c]) + 2 * pad_x,
               _measure([_header(c, len(members[c]))], HEADER_SIZE, "bold") + 0.1)
        for c in columns
    }
    column_gap = 1.3 if graph.number_of_edges() > 40 else 1.0
    top = 0.0

    def stacked(c: str) -> float:
        return sum(heights[n] for n in orders[c]) + gap * (len(orders[c]) - 1)

    anchor = max(columns, key=lambda c: (stacked(c), -KINDS.index(c)))
    span = max(stacked(c) for c in columns)
    ys: dict[str, float] = {}
    # the tallest column is spread evenly; the others sit beside the neighbours they join
    step_extra = (span - stacked(anchor)) / max(len(orders[anchor]) - 1, 1)
    y = top
    for n in orders[anchor]:
        ys[n] = y + heights[n] / 2
        y += heights[n] + gap + step_extra
    undirected = graph.to_undirected(as_view=True)
    index = {c: i for i, c in enumerate(columns)}
    placed = {anchor}
    for c in sorted(columns, key=lambda c: (abs(index[c] - index[anchor]), index[c])):
        if c in placed:
            continue
        desired: list[float | None] = []
        for n in orders[c]:
            near = [ys[v] for v in undirected[n] if v in ys and graph.nodes[v]["kind"] in placed]
            desired.append(math.fsum(near) / len(near) if near else None)  # fsum: same result in any neighbour order
        column_ys = _place(desired, [heights[n] for n in orders[c]], gap, top)
        ys.update(zip(orders[c], column_ys))
        placed.add(c)
    height = max(ys[n] + heights[n] / 2 for n in graph) - top
    boxes: dict[str, _Box] = {}
    x = 0.0
    for i, c in enumerate(columns):
        if i and c == "role" and graph.number_of_edges() > 40:
            x += 0.6  # room for the many bearer links to fan out
        for n in orders[c]:
            boxes[n] = _Box(x + widths[c] / 2, ys[n], widths[c], heights[n], lines[n])
        x += widths[c] + column_gap
    return columns, orders, boxes, x - column_gap, height


def _legend_columns(labels: list[str], available: float) -> tuple[int, float]:
    """How many legend columns fit in ``available`` inches (at most 6, at least 2), and the legend's width."""
    def width_with(ncol: int) -> float:
        rows = -(-len(labels) // ncol)
        columns = [labels[i:i + rows] for i in range(0, len(labels), rows)]
        # per column: handle (2.2 em), pad (0.8 em), text, spacing (2 em); 8 pt type
        return sum(_measure(col, 8) + 5.0 * 8 / 72 for col in columns) + 0.3

    for ncol in range(min(len(labels), 6), 1, -1):
        if width_with(ncol) <= available:
            return ncol, width_with(ncol)
    return 2, width_with(2)


def draw(graph: nx.DiGraph, fmt: str = "png", *, title: str | None = None, dpi: int = 110) -> bytes:
    """A layered picture of ``graph`` (PNG or SVG bytes): provisions, rights,
    principles, core elements, obligations (then shapes, findings, policies
    when present) and roles, left to right, coloured by layer, with a legend."""
    if fmt not in ("png", "svg"):
        raise UsageError(f"pictures are png or svg, not {fmt!r}")
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patches import FancyBboxPatch, Patch, PathPatch
        from matplotlib.path import Path as MPath
    except ImportError:
        raise DrawingUnavailableError(
            "drawing a PNG or SVG picture needs matplotlib, which is not installed; "
            "install it with: pip install 'responsible-sharing[graph]' "
            "(GraphML, GEXF and DOT need nothing more)"
        ) from None
    if graph.number_of_nodes() == 0:
        raise UsageError("the graph is empty: there is nothing to draw")

    columns, orders, boxes, width, height = layout(graph)
    focus_node = graph.graph.get("focus")
    heading = title or ("Responsible-sharing traceability: what rests on what"
                        + (f" — around {display_name(graph, focus_node)}" if focus_node else ""))
    notes = ["Each obligation derives from a core element, which serves principles, which are grounded in human rights "
             "recognised in international law; each obligation names the actor roles that bear it."]
    if len(orders.get("obligation", [])) > MANY_OBLIGATIONS:
        notes.append("Obligations are shown by notation and modality; `rsf explain O-CE1-01` gives the text of one, "
                     "`rsf graph --focus CE1 --format png` draws a core element with its obligations in full.")
    bases = {b for _, _, b in graph.edges(data="basis")}
    legend = [(c, KIND_NAMES[c]) for c in columns] + [
        (key, label) for key, label, basis in (
            ("stated", "link stated by the Framework", "rsf:StatedByFramework"),
            ("interpretation", "link that is this project's interpretation", "rsf:ProjectInterpretation"),
            ("unrecorded", "link with no basis recorded (derives from, borne by, checks)", ""),
        ) if basis in bases]
    margin_x, footer = 0.35, 0.85
    header = 0.80 + 0.16 * len(notes)
    text_width = max([_measure([heading], 13, "bold")] + [_measure([n], 8.5) for n in notes]) + 0.3
    ncol, legend_width = _legend_columns([label for _, label in legend], max(width + 2 * margin_x, text_width))
    fig_w = max(width + 2 * margin_x, text_width, legend_width)
    fig_h = height + header + footer

    rc = {"svg.hashsalt": "responsible-sharing", "svg.fonttype": "none", "font.family": "DejaVu Sans",
          "path.simplify": False}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(fig_w, fig_h), dpi=dpi, facecolor="white")
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-margin_x, fig_w - margin_x)
        ax.set_ylim(height + footer, -header)
        ax.set_axis_off()

        column_of = {n: c for c in columns for n in orders[c]}
        index = {c: i for i, c in enumerate(columns)}
        for s, t, d in graph.edges(data=True):
            if d.get("relation") == "concerns" and any(r == "sourceShape" for _, _, r in graph.out_edges(s, data="relation")):
                continue  # the shape it came from already leads to the obligation
            a, b = (s, t) if index[column_of[s]] < index[column_of[t]] else (t, s)
            ba, bb = boxes[a], boxes[b]
            x1, x2 = ba.x + ba.width / 2, bb.x - bb.width / 2
            dx = (x2 - x1) * 0.5
            path = MPath([(x1, ba.y), (x1 + dx, ba.y), (x2 - dx, bb.y), (x2, bb.y)],
                         [MPath.MOVETO, MPath.CURVE4, MPath.CURVE4, MPath.CURVE4])
            on_focus = focus_node in (s, t)
            # bearer links are many and cross each other: the lightest of all
            bearer = d.get("relation") == "bearer"
            ax.add_patch(PathPatch(
                path, facecolor="none", edgecolor=COLOURS["role" if bearer else graph.nodes[a]["kind"]],
                alpha=0.75 if on_focus else (0.22 if bearer else 0.4),
                linewidth=(1.1 if on_focus else 0.6) * (1.8 if d.get("basis") == "rsf:StatedByFramework" else 1),
                linestyle=(0, (3, 2)) if d.get("basis") == "rsf:ProjectInterpretation" else "solid", zorder=1,
            ))
        for n in graph:
            box, kind = boxes[n], graph.nodes[n]["kind"]
            emphasis = n == focus_node
            ax.add_patch(FancyBboxPatch(
                (box.x - box.width / 2, box.y - box.height / 2), box.width, box.height,
                boxstyle="round,pad=0,rounding_size=0.04", facecolor=_tint(COLOURS[kind]),
                edgecolor=COLOURS[kind], linewidth=2.2 if emphasis else 0.7, zorder=2,
            ))
            ax.text(box.x, box.y, "\n".join(box.lines), ha="center", va="center", fontsize=FONT_SIZE,
                    linespacing=1.05, fontweight="bold" if emphasis else "normal", zorder=3)
        for c in columns:
            first = boxes[orders[c][0]]
            ax.text(first.x, -0.22, _header(c, len(orders[c])), ha="center", va="bottom",
                    fontsize=HEADER_SIZE, fontweight="bold", color=COLOURS[c])
        ax.text(-margin_x + 0.15, -header + 0.12, heading, ha="left", va="top", fontsize=13, fontweight="bold")
        for i, note in enumerate(notes):
            ax.text(-margin_x + 0.15, -header + 0.40 + 0.16 * i, note, ha="left", va="top", fontsize=8.5, color="#333333")
        handles = []
        for key, label in legend:
            if key in COLOURS:
                handles.append(Patch(facecolor=_tint(COLOURS[key]), edgecolor=COLOURS[key], label=label))
            else:
                handles.append(Line2D([], [], color="#555555", linewidth=1.6 if key == "stated" else 0.8, label=label,
                                      linestyle=(0, (3, 2)) if key == "interpretation" else "solid"))
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 0.0), bbox_transform=fig.transFigure,
                  ncol=ncol, fontsize=8, frameon=False, handlelength=2.2, borderaxespad=0.6)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=dpi)
    return buffer.getvalue()


def export(graph: nx.DiGraph, fmt: str) -> bytes:
    """``graph`` in one of :data:`FORMATS`, as bytes."""
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "gexf":
        return to_gexf(graph)
    if fmt == "dot":
        return to_dot(graph).encode("utf-8")
    if fmt in ("png", "svg"):
        return draw(graph, fmt)
    raise UsageError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "KINDS",
    "DrawingUnavailableError",
    "Impact",
    "ImpactedFinding",
    "ImpactedObligation",
    "NodeInfo",
    "build_graph",
    "draw",
    "export",
    "focus",
    "impact",
    "resolve",
    "to_dot",
    "to_gexf",
    "to_graphml",
]
