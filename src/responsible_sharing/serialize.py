"""Serialising RDF so that the same graph always gives the same bytes.

rdflib labels blank nodes at random and, for RDF/XML and JSON-LD, writes
namespaces and nodes in hash order. Here blank nodes get canonical labels
(rdflib.compare), triples are added in sorted order, and the RDF/XML and
JSON-LD writers' output is put in a stable order afterwards.
"""

from __future__ import annotations

import json
import re

from rdflib import Graph
from rdflib.compare import to_canonical_graph

#: format name on the command line -> rdflib serializer
FORMATS = {"ttl": "turtle", "xml": "xml", "jsonld": "json-ld", "nt": "nt"}

_XML_NODE = "\n  <rdf:Description"
_XML_PROPERTY = re.compile(r"\n    (?=<)")


def canonical_copy(graph: Graph, canonical: bool = True) -> Graph:
    """The same triples, inserted in sorted order, with canonical blank-node labels unless told not to."""
    canonical = to_canonical_graph(graph) if canonical else graph
    ordered = Graph()
    for prefix, ns in sorted(graph.namespaces()):
        ordered.bind(prefix, ns, override=True)
    for triple in sorted(canonical):
        ordered.add(triple)
    return ordered


def serialize_stable(graph: Graph, fmt: str, *, canonical: bool = True) -> bytes:
    """``graph`` in one of :data:`FORMATS`, byte-for-byte reproducible.

    Blank nodes are relabelled canonically (rdflib's ``to_canonical_graph``).
    That grows fast with the number of blank nodes; a caller whose blank-node
    labels are already deterministic passes ``canonical=False``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(sorted(FORMATS))}")
    ordered = canonical_copy(graph, canonical)
    text = ordered.serialize(format=FORMATS[fmt])
    if fmt == "nt":
        text = "\n".join(sorted(line for line in text.splitlines() if line)) + "\n"
    elif fmt == "xml":
        text = _stable_rdfxml(text)
    elif fmt == "jsonld":
        text = json.dumps(_stable_json(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


def _stable_rdfxml(text: str) -> str:
    """Sort rdflib's plain RDF/XML: namespace declarations, nodes, and properties within a node.

    The splits are safe: inside literals '<' is always escaped, so a line
    starting with '<' is always markup.
    """
    head, _, rest = text.partition("\n>\n")
    body, _, tail = rest.rpartition("</rdf:RDF>")
    header_lines = head.splitlines()
    opening = [line for line in header_lines if not line.strip().startswith("xmlns")]
    namespaces = sorted(line for line in header_lines if line.strip().startswith("xmlns"))
    nodes = [chunk for chunk in ("\n" + body.rstrip("\n")).split(_XML_NODE) if chunk.strip()]
    sorted_nodes = []
    for node in nodes:
        parts = _XML_PROPERTY.split(node)
        if len(parts) > 2:  # opening tag, properties..., closing tag on the last part
            last = parts[-1]
            closing_at = last.rfind("\n  </rdf:Description>")
            props = parts[1:-1] + [last[:closing_at]]
            node = "\n    ".join([parts[0], *sorted(props)]) + last[closing_at:]
        sorted_nodes.append(node)
    body = "".join(_XML_NODE + node for node in sorted(sorted_nodes))
    return "\n".join(opening + namespaces) + "\n>" + body + "\n</rdf:RDF>" + tail


def _stable_json(value: object, in_list: bool = False) -> object:
    """Sort JSON-LD arrays (sets in RDF) recursively, leaving @list arrays (ordered) as they are."""
    if isinstance(value, dict):
        return {key: _stable_json(item, in_list=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_stable_json(item) for item in value]
        return items if in_list else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value
