"""Loading the ontology: its modules, their imports, and the merged graph.

The top file ``rsf.ttl`` imports the modules by IRI. ``catalog-v001.xml`` (the
OASIS XML catalog format that Protégé reads) maps each IRI to a file beside it.
Imports are followed through the catalog only; an IRI the catalog does not map
is reported and never fetched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from .errors import InputSyntaxError, ResourceError
from .rdfio import parse_into
from .resources import shipped_path
from .serialize import serialize_stable

ONTOLOGY_IRI = URIRef("https://w3id.org/rsf/ontology")
CATALOG_FILE = "catalog-v001.xml"
TOP_FILE = "rsf.ttl"
_CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


@dataclass
class LoadedOntology:
    """The merged ontology and where each of its parts came from."""

    graph: Graph
    directory: Path
    files: list[Path] = field(default_factory=list)
    #: subject IRI -> module file in which it is typed, for pointing users at a file
    defined_in: dict[URIRef, Path] = field(default_factory=dict)
    #: import IRIs that the catalog does not map (never fetched)
    unresolved_imports: list[str] = field(default_factory=list)


def read_catalog(directory: Path) -> dict[str, Path]:
    """Map import IRIs to files, from ``catalog-v001.xml`` in ``directory``."""
    path = directory / CATALOG_FILE
    if not path.is_file():
        raise ResourceError(f"{path}: no XML catalog; the ontology folder needs {CATALOG_FILE} to resolve imports")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise InputSyntaxError(path, f"XML syntax error: {err.msg}", err.position[0]) from None
    mapping: dict[str, Path] = {}
    inside = directory.resolve()
    for entry in root.iter(f"{_CATALOG_NS}uri"):
        name, uri = entry.get("name"), entry.get("uri")
        if name and uri:
            target = directory / uri
            if not target.resolve().is_relative_to(inside):
                raise InputSyntaxError(path, f"the catalog maps {name} to {uri}, outside the ontology folder "
                                       f"{directory}; rsf reads modules from that folder only: copy the module "
                                       "into it and map a relative path")
            mapping[name] = target
    return mapping


def load_ontology(directory: Path | None = None) -> LoadedOntology:
    """Load ``rsf.ttl`` and every module it imports, through the catalog.

    With no ``directory`` the ontology shipped in the package is loaded.
    """
    if directory is None:
        with shipped_path("ontology") as shipped:
            return _load(shipped)
    return _load(Path(directory))


def _load(directory: Path) -> LoadedOntology:
    top = directory / TOP_FILE
    if not top.is_file():
        raise ResourceError(f"{directory}: no {TOP_FILE}; point at the ontology/ folder that holds it")
    catalog = read_catalog(directory)
    merged = Graph()
    loaded = LoadedOntology(graph=merged, directory=directory)
    queue: list[Path] = [top]
    seen: set[Path] = set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if not path.is_file():
            raise ResourceError(f"{path}: listed in {CATALOG_FILE} but missing")
        module = parse_into(Graph(), path)
        loaded.files.append(path)
        for subject in module.subjects(RDF.type, None):
            if isinstance(subject, URIRef):
                loaded.defined_in.setdefault(subject, path)
        for imported in sorted(module.objects(None, OWL.imports)):
            target = catalog.get(str(imported))
            if target is None:
                loaded.unresolved_imports.append(str(imported))
            else:
                queue.append(target)
        for triple in module:
            merged.add(triple)
        for prefix, ns in module.namespaces():
            merged.bind(prefix, ns, override=False)
    _drop_module_headers(merged)
    return loaded


def _drop_module_headers(graph: Graph) -> None:
    """Keep one owl:Ontology header (the top one) and no owl:imports."""
    graph.remove((None, OWL.imports, None))
    for header in list(graph.subjects(RDF.type, OWL.Ontology)):
        if header != ONTOLOGY_IRI:
            graph.remove((header, None, None))


def export_ontology(fmt: str, directory: Path | None = None) -> bytes:
    """The merged ontology in a format of :data:`serialize.FORMATS`, the same bytes every time."""
    return serialize_stable(load_ontology(directory).graph, fmt)


def term_name(graph: Graph, term: Node) -> str:
    """Notation and English label of a term, the way a person refers to it."""
    if not isinstance(term, URIRef):
        return "(an anonymous node)"
    notation = graph.value(term, SKOS.notation)
    labels = sorted(lbl for lbl in graph.objects(term, RDFS.label) if getattr(lbl, "language", None) in ("en", None))
    parts = [str(notation)] if notation is not None else []
    if labels:
        parts.append(f'"{labels[0]}"')
    return " ".join(parts) if parts else graph.namespace_manager.normalizeUri(term)
