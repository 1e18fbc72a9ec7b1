"""`rsf docs`: the model as a static HTML site that people can browse offline.

One page per term of the ontology (rights, provisions, principles, core
elements, obligations, roles, source clauses, the other individuals, classes
and properties), per IRI-named policy shape and per stored query, with an
index grouped by kind and a search page. Every link of the spine is shown
from both ends with its basis (stated by the Framework or a GA4GH policy, or
this project's interpretation) and the source of the term at the other end.

The facts come from where ``rsf explain`` takes them: the stored queries
``term-links``, ``trace-to-rights`` and ``obligations-under`` and the
obligation traces. The queries run on pyoxigraph, once per term (rdflib's
engine takes about a second per term; the site has several hundred).

Pages are rendered with jinja2 templates shipped in the package. The search
index is a JavaScript file loaded by a ``<script>`` tag, because browsers
refuse ``fetch()`` of local files: the site works from ``file://``. The same
model gives the same bytes: nothing depends on time, hash order or the
machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from rdflib import OWL, RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from . import __version__
from .errors import OutputError, UsageError
from .namespaces import RSF, RSFSH
from .ontology import ONTOLOGY_IRI, LoadedOntology, load_ontology
from .profile import access_models
from .queries import StoredQuery, stored_query, stored_query_names
from .rdfio import parse_into
from .resources import shipped_path
from .serialize import serialize_stable
from .sparql import OxigraphEngine
from .trace import LAYER_LABELS, ObligationTrace, build_traces, natural_key, term
from .validate import POLICY_SHAPES_DIR, render_path

#: written into every page; a folder whose index.html carries it may be replaced with --force
GENERATOR = "rsf docs"
_STATIC = ("site.css", "site.js")
_RESERVED = {"index.html", "search.html", "search-index.js", *_STATIC}

#: groups on the index, spine first; other classes of individuals follow in label order
_GROUP_ORDER = ("HumanRight", "LegalProvision", "LegalInstrument", "Principle", "CoreElement", "Obligation",
                "ActorRole", "shape", "query", "Aim", "PurposeGoal", "GovernanceFramework", "GA4GHPolicy",
                "SourceClause")
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)
#: what a term page shows in its own sections, not again among the other facts
_SHOWN = {RDF.type, RDFS.label, SKOS.notation, SKOS.definition, SKOS.scopeNote, RDFS.comment, DCTERMS.source,
          RSF.sourceSection, RSF.notCheckableReason, OWL.deprecated}
#: kinds whose page lists the obligations below them (stored query obligations-under)
_HAS_OBLIGATIONS_BELOW = {RSF.CoreElement, RSF.Principle, RSF.HumanRight, RSF.ActorRole}


@dataclass(frozen=True)
class Ref:
    """A reference on a page: a page of the site, an outside address, or plain text when neither."""

    text: str
    href: str = ""
    title: str = ""

    @property
    def external(self) -> bool:
        return self.href.startswith(("http://", "https://"))


@dataclass
class Page:
    """One page of the site: its file, how the index and the search name it, and what its template shows."""

    file: str
    group: str
    group_label: str
    notation: str
    label: str
    definition: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.notation} {self.label}" if self.notation and self.notation != self.label else self.label


def build_site(output: Path, ontology_dir: Path | None = None, *, replace: bool = False) -> int:
    """Write the documentation site of the ontology in ``ontology_dir`` (default: the shipped one) to ``output``.

    The site is built in a folder beside ``output`` and renamed into place, so
    a failure leaves no half site. An existing non-empty ``output`` is refused
    unless it holds a site written by ``rsf docs`` and ``replace`` is true.
    Returns the number of pages written.
    """
    _check_target(output, replace)
    files = render_site(ontology_dir)
    _write_folder(output, files)
    return sum(1 for name in files if name.endswith(".html"))


def render_site(ontology_dir: Path | None = None) -> dict[str, bytes]:
    """Every file of the site, by file name, in a stable order."""
    model = _SiteModel(load_ontology(ontology_dir))
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("responsible_sharing", "templates/site"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    common = {"version": __version__, "ontology": model.ontology_header(), "generator": GENERATOR}
    pages = model.pages()
    files: dict[str, bytes] = {}
    for page in pages:
        files[page.file] = env.get_template(page.template).render(page=page, **common, **page.context).encode("utf-8")
    files["index.html"] = env.get_template("index.html").render(groups=_groups(pages), **common).encode("utf-8")
    files["search.html"] = env.get_template("search.html").render(**common).encode("utf-8")
    files["search-index.js"] = _search_index(pages)
    folder = resources.files("responsible_sharing") / "templates" / "site"
    for name in _STATIC:
        files[name] = (folder / name).read_bytes()
    return dict(sorted(files.items()))


def _groups(pages: list[Page]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for page in pages:
        groups.setdefault(page.group, {"id": f"group-{page.group}", "label": page.group_label, "pages": []})
        groups[page.group]["pages"].append(page)
    return list(groups.values())


def _search_index(pages: list[Page]) -> bytes:
    """The search entries as a script that sets ``RSF_SEARCH_INDEX`` (a script tag works on file://, fetch does not)."""
    entries = [{"file": p.file, "notation": p.notation, "label": p.label, "kind": p.group_label,
                "definition": p.definition} for p in pages]
    payload = json.dumps(entries, ensure_ascii=True, indent=0, sort_keys=True)
    return f"window.RSF_SEARCH_INDEX = {payload};\n".encode("ascii")


# ---------------------------------------------------------------------------
# Writing the folder
# ---------------------------------------------------------------------------


def _check_target(output: Path, replace: bool) -> None:
    """Refuse to write over a file, or over a folder that holds anything but an earlier site (and then only with --force)."""
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output}: this is a file, not a folder; name a new or empty folder for the site")
    above = next((p for p in output.absolute().parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise UsageError(f"-o {output}: {above} is a file, not a folder; name a folder for the site elsewhere")
    if not output.is_dir() or not any(output.iterdir()):
        return
    if not _holds_site(output):
        raise UsageError(f"-o {output}: the folder is not empty and does not hold a site written by rsf docs; "
                         "name a new or empty folder (rsf docs never deletes other files)")
    if not replace:
        raise UsageError(f"-o {output}: the folder already holds a site; give --force to replace it, "
                         "or name another folder")


def _holds_site(folder: Path) -> bool:
    index = folder / "index.html"
    try:
        head = index.read_bytes()[:2048] if index.is_file() else b""
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}'.encode() in head


def _write_folder(output: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a new folder beside ``output`` and swap it into place."""
    parent = output.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".building", dir=parent))
    except OSError as err:
        raise OutputError(f"-o {output}: cannot create the site's folder in {parent} ({err.strerror or err}); "
                          "check that you may write there") from None
    try:
        for name, data in files.items():
            (building / name).write_bytes(data)
        building.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; give the mode a plain mkdir would
        _swap_into_place(building, output)
    except OSError as err:
        shutil.rmtree(building, ignore_errors=True)
        raise OutputError(f"-o {output}: cannot write the site ({err.strerror or err}); nothing was changed") from None
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _swap_into_place(building: Path, output: Path) -> None:
    """Rename ``building`` to ``output``; an earlier site there is moved aside first and removed after."""
    if not output.exists():
        building.rename(output)
        return
    old = building.with_name(building.name.replace(".building", ".old"))
    output.rename(old)
    try:
        building.rename(output)
    except OSError:
        old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# ---------------------------------------------------------------------------
# The model behind the pages
# ---------------------------------------------------------------------------


def _file_name(local: str, prefix: str, taken: set[str]) -> str:
    """A file name from a local name, safe on any file system and unique ignoring case."""
    stem = prefix + (re.sub(r"[^A-Za-z0-9._-]", "_", local).lstrip(".") or "_")
    name, n = f"{stem}.html", 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}-{n}.html"
    taken.add(name.lower())
    return name


class _SiteModel:
    """The ontology, the policy shapes and the stored queries, read once and turned into page contexts."""

    def __init__(self, loaded: LoadedOntology) -> None:
        self.loaded = loaded
        self.graph = loaded.graph
        self.shapes, self.shape_files = _load_shapes()
        self.descriptions = {shape: self._description(shape) for shape in self._paged_shapes()}
        #: named shape -> the other named shapes it applies (sh:node, sh:qualifiedValueShape …) at any depth
        self.uses = {shape: sorted({o for o in description.objects() if o in self.descriptions and o != shape}, key=str)
                     for shape, description in self.descriptions.items()}
        self._refs: dict[tuple[str, bool], Ref] = {}
        self._written: dict[Node, list[Ref]] = {}
        self.sparql = OxigraphEngine(self.graph)
        self.traces = build_traces(self.graph)
        self.queries = [stored_query(name) for name in stored_query_names()]
        self.files: dict[str, str] = {}
        taken = {name.lower() for name in _RESERVED}
        for node, prefix in self._paged_terms():
            self.files[str(node)] = _file_name(str(node).removeprefix(str(RSF)), prefix, taken)
        for shape in self.descriptions:
            self.files[str(shape)] = _file_name(str(shape).removeprefix(str(RSFSH)), "shape-", taken)
        for query in self.queries:
            self.files[f"query:{query.name}"] = _file_name(query.name, "query-", taken)

    # -- which terms get a page -------------------------------------------------

    def _paged_terms(self) -> list[tuple[URIRef, str]]:
        """Every IRI of the rsf: namespace that the ontology types, but its module headers."""
        out = []
        for node in sorted({s for s in self.graph.subjects(RDF.type, None) if isinstance(s, URIRef)}, key=str):
            if not str(node).startswith(str(RSF)) or (node, RDF.type, OWL.Ontology) in self.graph:
                continue
            types = set(self.graph.objects(node, RDF.type))
            prefix = "class-" if OWL.Class in types else "property-" if types & set(_PROPERTY_TYPES) else ""
            out.append((node, prefix))
        return out

    def _description(self, shape: URIRef) -> Graph:
        """The shape and the blank nodes it is made of, with the prefixes of the shapes files."""
        description = self.shapes.cbd(shape)
        for prefix, namespace in self.shapes.namespaces():
            description.bind(prefix, namespace, override=True)
        return description

    def _paged_shapes(self) -> list[URIRef]:
        nodes = {s for t in _SHAPE_TYPES for s in self.shapes.subjects(RDF.type, t) if isinstance(s, URIRef)}
        return sorted(nodes, key=lambda s: natural_key(str(s)))

    # -- references ---------------------------------------------------------------

    def ref(self, node: Node, *, short: bool = False) -> Ref:
        """A reference to a term: its page when the site has one, else its address or its text.

        ``short`` names a term by its notation alone, where a list of many would be long.
        """
        if isinstance(node, Literal):
            return Ref(str(node))
        key = (str(node), short)
        if key not in self._refs:
            self._refs[key] = self._new_ref(node, short)
        return self._refs[key]

    def _new_ref(self, node: Node, short: bool) -> Ref:
        iri = str(node)
        if iri in self.files:
            if node in self.descriptions:
                return Ref(self._curie(iri), self.files[iri], self._shape_name(URIRef(iri)))
            t = term(self.graph, node)
            if short and t.notation:
                return Ref(t.notation, self.files[iri], t.label)
            # "open open access" reads better as "open access"
            text = t.label if t.label.lower().startswith(t.notation.lower()) else t.name
            return Ref(text, self.files[iri], t.label)
        if isinstance(node, URIRef) and iri.startswith(("http://", "https://")):
            return Ref(self._curie(iri), iri, iri)
        return Ref(self._curie(iri) if isinstance(node, URIRef) else "(an anonymous node)")

    def _curie(self, iri: str) -> str:
        for names in (self.graph.namespace_manager, self.shapes.namespace_manager):
            curie = names.normalizeUri(URIRef(iri))
            if not curie.startswith("<"):
                return curie
        return iri

    def _kind(self, node: URIRef) -> URIRef | None:
        """The class a term is shown under: an rsf: class first, else any other class it has."""
        types = sorted((t for t in self.graph.objects(node, RDF.type) if isinstance(t, URIRef)
                        and t != OWL.NamedIndividual), key=lambda t: (not str(t).startswith(str(RSF)), str(t)))
        return types[0] if types else None

    def _text(self, node: Node, prop: URIRef, graph: Graph | None = None) -> str:
        """The value of ``prop``, English first, the same one every time."""
        values = sorted((graph or self.graph).objects(node, prop),
                        key=lambda v: (getattr(v, "language", None) not in ("en", None), str(v)))
        return str(values[0]) if values else ""

    def _sources(self, node: Node) -> list[Ref]:
        """Where a term is written: a clause's citation, an obligation's clauses, or a section and address."""
        if node not in self._written:
            self._written[node] = self._new_sources(node)
        return self._written[node]

    def _new_sources(self, node: Node) -> list[Ref]:
        if (node, RDF.type, RSF.SourceClause) in self.graph:
            document = self.graph.value(node, RSF.clauseOf)
            citation = ", ".join(x for x in (self._text(document, RDFS.label) if document else "",
                                              self._text(node, RSF.locator)) if x)
            return [Ref(citation, self.files.get(str(node), ""))] + self._addresses(node)
        trace = self.traces.get(str(node))
        if trace is not None:
            return [Ref(s.citation, self.files.get(s.clause, "")) for s in trace.statements]
        section = self._text(node, RSF.sourceSection)
        return ([Ref(section)] if section else []) + self._addresses(node)

    def _addresses(self, node: Node) -> list[Ref]:
        return [Ref(str(u), str(u), "the source text") for u in sorted(self.graph.objects(node, DCTERMS.source))
                if isinstance(u, URIRef)]

    def _basis(self, basis: Node | None) -> dict[str, Any] | None:
        if basis is None:
            return None
        return {"ref": self.ref(basis), "css": str(basis).removeprefix(str(RSF))}

    def _shape_name(self, shape: URIRef) -> str:
        return self._text(shape, SH.name, self.shapes) or self._curie(str(shape))

    def ontology_header(self) -> dict[str, str]:
        header = ONTOLOGY_IRI
        return {"iri": str(header), "title": self._text(header, DCTERMS.title) or "responsible-sharing ontology",
                "version": self._text(header, OWL.versionInfo)}

    # -- pages ----------------------------------------------------------------------

    def pages(self) -> list[Page]:
        chains = self._chains()
        pages = [self._term_page(node, chains.get(str(node), [])) for node, _ in self._paged_terms()]
        pages += [self._shape_page(shape, chains) for shape in self.descriptions]
        pages += [self._query_page(query) for query in self.queries]
        order = {g: i for i, g in enumerate(_GROUP_ORDER)}
        tail = {"class": 2, "property": 3}
        return sorted(pages, key=lambda p: (order.get(p.group, len(order) + tail.get(p.group, 1)),
                                            p.group_label.lower(), natural_key(p.notation or p.label), p.file))

    def _term_page(self, node: URIRef, chains: list[dict[str, Any]]) -> Page:
        t = term(self.graph, node)
        types = set(self.graph.objects(node, RDF.type))
        kind = self._kind(node)
        if OWL.Class in types:
            group, group_label = "class", "class"
        elif types & set(_PROPERTY_TYPES):
            group, group_label = "property", "property"
        else:
            group = str(kind).removeprefix(str(RSF)) if kind is not None else "other"
            group_label = (self._text(kind, RDFS.label) or self._curie(str(kind))) if kind is not None else "other terms"
        definition = self._text(node, SKOS.definition) or self._text(node, RDFS.comment)
        context: dict[str, Any] = {
            "iri": str(node),
            "kind": self.ref(kind) if kind is not None else None,
            "group_id": f"group-{group}",
            "deprecated": (node, OWL.deprecated, Literal(True)) in self.graph,
            "notes": self._notes(node, definition),
            "section": self._text(node, RSF.sourceSection),
            "addresses": self._addresses(node),
            "module": self.loaded.defined_in[node].name if node in self.loaded.defined_in else "",
            "facts": self._facts(node),
            "obligation": self._obligation(node),
            "chains": chains,
            "below": self._obligations_below(node, kind),
            "below_title": "Obligations borne by this role" if kind == RSF.ActorRole else "Obligations below this term",
            "links": self._links(node) if group not in ("class", "property") else [],
            "members": [self.ref(m) for m in self._sorted(self.graph.subjects(RDF.type, node))] if group == "class" else [],
        }
        return Page(self.files[str(node)], group, group_label, t.notation, t.label, definition, "term.html", context)

    def _sorted(self, nodes: Iterable[Node]) -> list[Node]:
        return sorted(set(nodes), key=lambda n: (natural_key(self._text(n, SKOS.notation) or self._text(n, RDFS.label) or str(n)), str(n)))

    def _notes(self, node: URIRef, definition: str) -> list[str]:
        notes = [str(n) for n in sorted(self.graph.objects(node, SKOS.scopeNote))]
        notes += [str(c) for c in sorted(self.graph.objects(node, RDFS.comment)) if str(c) != definition]
        reason = self._text(node, RSF.notCheckableReason)
        return notes + ([f"Not machine-checkable: {reason}"] if reason else [])

    def _facts(self, node: URIRef) -> list[dict[str, Any]]:
        """The term's other statements, e.g. a clause's locator, a role's matches in DPV, a property's range.

        The ontology's own object properties are left out: the links section shows them with their basis.
        """
        values: dict[Node, list[Ref]] = defaultdict(list)
        for prop, value in self.graph.predicate_objects(node):
            if prop in _SHOWN or (prop, RDF.type, OWL.ObjectProperty) in self.graph and str(prop).startswith(str(RSF)):
                continue
            values[prop].append(self._value(value))
        return [{"property": self.ref(prop), "refs": sorted(refs, key=lambda r: natural_key(r.text))}
                for prop, refs in sorted(values.items(), key=lambda kv: self._curie(str(kv[0])))]

    def _value(self, value: Node) -> Ref:
        if isinstance(value, (URIRef, Literal)):
            return self.ref(value)
        if (value, RDF.first, None) in self.graph:
            return Ref("(a list: " + ", ".join(self.ref(v).text for v in Collection(self.graph, value)) + ")")
        return Ref("(an anonymous class or restriction)")

    def _rows(self, name: str, bindings: dict[str, Node] | None = None) -> list[dict[str, Node | None]]:
        result = self.sparql.query(stored_query(name).text, bindings or {})
        return [dict(zip(result.variables, row)) for row in result.rows]

    def _links(self, node: URIRef) -> list[dict[str, Any]]:
        """The term's links both ways (stored query term-links), grouped by direction and property."""
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in self._rows("term-links", {"term": node}):
            other = row["other"]
            assert other is not None and row["property"] is not None
            groups[(str(row["direction"]), str(row["property"]))].append({
                "other": self.ref(other),
                "basis": self._basis(row["basis"]),
                "note": str(row["note"] or ""),
                "sources": self._sources(other),
                "key": natural_key(str(row["otherNotation"] or row["otherLabel"] or other)),
            })
        out = []
        for (direction, prop), rows in sorted(groups.items(), key=lambda kv: (kv[0][0] != "out", kv[0][1])):
            out.append({"direction": direction, "property": self.ref(URIRef(prop)),
                        "rows": sorted(rows, key=lambda r: (r["key"], r["other"].href))})
        return out

    def _chains(self) -> dict[str, list[dict[str, Any]]]:
        """From each obligation, core element and principle up to the rights (stored query trace-to-rights)."""
        chains: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self._rows("trace-to-rights"):
            right = row["right"]
            assert right is not None
            chains[str(row["term"])].append({
                "element": self.ref(row["element"]) if row["element"] is not None else None,
                "serves": self._basis(row["servesBasis"]), "rank": str(row["servesRank"] or ""),
                "serves_note": str(row["servesNote"] or ""),
                "principle": self.ref(row["principle"]) if row["principle"] is not None else None,
                "upholds": self._basis(row["upholdsBasis"]), "upholds_note": str(row["upholdsNote"] or ""),
                "right": self.ref(right),
                "grounded": self._basis(row["groundedBasis"]), "grounded_note": str(row["groundedNote"] or ""),
                "provisions": [self.ref(p, short=True) for p in self._sorted(self.graph.objects(right, RSF.recognisedIn))],
            })
        return chains

    def _obligations_below(self, node: URIRef, kind: URIRef | None) -> list[dict[str, Any]]:
        if kind not in _HAS_OBLIGATIONS_BELOW:
            return []
        below: dict[str, dict[str, Any]] = {}
        for row in self._rows("obligations-under", {"term": node}):
            obligation = row["obligation"]
            assert obligation is not None and row["bearer"] is not None
            entry = below.setdefault(str(obligation), {"obligation": self.ref(obligation), "modality": str(row["modality"]),
                                                       "bearers": [], "key": natural_key(str(row["notation"]))})
            entry["bearers"].append(self.ref(row["bearer"], short=True))
        for entry in below.values():
            entry["bearers"].sort(key=lambda r: natural_key(r.text))
        return sorted(below.values(), key=lambda e: e["key"])

    def _obligation(self, node: URIRef) -> dict[str, Any] | None:
        """What only an obligation has: its clauses, bearers, checking shapes and the kinds of sharing it arises under."""
        trace = self.traces.get(str(node))
        if trace is None:
            return None
        return {
            "modality": trace.modality,
            "layer": LAYER_LABELS[trace.layer],
            "checkable": trace.machine_checkable,
            "statements": [{
                "clause": self.ref(URIRef(s.clause), short=True), "citation": s.citation, "layer": LAYER_LABELS[s.layer],
                "paraphrase": self._text(URIRef(s.clause), SKOS.definition), "addresses": self._addresses(URIRef(s.clause)),
            } for s in trace.statements],
            "bearers": [self.ref(URIRef(b.iri)) for b in trace.bearers],
            "shapes": [{"shape": self.ref(shape), "name": self._shape_name(shape),
                        "severity": self._severity(shape), "message": self._text(shape, SH.message, self.shapes)}
                       for shape in sorted(self.shapes.subjects(RSF.checks, node), key=lambda s: natural_key(str(s)))],
            "sharing": self._sharing(trace),
        }

    def _sharing(self, trace: ObligationTrace) -> list[dict[str, Any]]:
        """For each access model, open first: whether the obligation arises, and why not where it does not."""
        out = []
        for model in access_models(self.graph):
            rule = trace.inapplicable_under.get(str(model))
            out.append({
                "model": self.ref(model),
                "arises": rule is None,
                "reason": rule.reason if rule else "",
                "unless": {"property": self.ref(URIRef(rule.provided[0])), "value": rule.provided[1]}
                if rule and rule.provided else None,
            })
        return out

    def _severity(self, shape: Node) -> str:
        severity = self.shapes.value(shape, SH.severity)
        return str(severity).removeprefix(str(SH)) if severity is not None else ""

    def _shape_page(self, shape: URIRef, chains: dict[str, list[dict[str, Any]]]) -> Page:
        checked = self.shapes.value(shape, RSF.checks)
        context = {
            "iri": str(shape),
            "group_id": "group-shape",
            "severity": self._severity(shape),
            "message": self._text(shape, SH.message, self.shapes),
            "fix": self._text(shape, RSF.fixHint, self.shapes),
            "path": render_path(self.shapes, self.shapes.value(shape, SH.path), self.shapes),
            "targets": [self.ref(c) for c in sorted(self.shapes.objects(shape, SH.targetClass))],
            "checks": self.ref(checked) if checked is not None else None,
            "chains": chains.get(str(checked), []),
            "weaker_of": [self.ref(s) for s in sorted(self.shapes.objects(shape, RSF.weakerFindingOf))],
            "uses": [self.ref(s) for s in self.uses[shape]],
            "used_by": [self.ref(s) for s, used in self.uses.items() if shape in used],
            "file": self.shape_files.get(shape, ""),
            "turtle": serialize_stable(self.descriptions[shape], "ttl").decode("utf-8").strip(),
        }
        name = self._shape_name(shape)
        return Page(self.files[str(shape)], "shape", "policy shape", self._curie(str(shape)), name,
                    context["message"] or name, "shape.html", context)

    def _query_page(self, query: StoredQuery) -> Page:
        header = query.header
        fields = [(key, header[key]) for key in ("parameters", "columns", "example", "level") if header.get(key)]
        context = {"name": query.name, "description": header.get("description", ""), "fields": fields,
                   "text": query.text, "group_id": "group-query"}
        return Page(self.files[f"query:{query.name}"], "query", "stored query", query.name, query.title,
                    header.get("description", ""), "query.html", context)


def _load_shapes() -> tuple[Graph, dict[URIRef, str]]:
    """The shipped policy shapes, and the file each IRI-named shape is written in."""
    shapes = Graph()
    files: dict[URIRef, str] = {}
    with shipped_path("shapes") as folder:
        for path in sorted((folder / POLICY_SHAPES_DIR).glob("*.ttl")):
            module = parse_into(Graph(), path)
            for shape in module.subjects(RDF.type, None):
                if isinstance(shape, URIRef):
                    files.setdefault(shape, f"shapes/{POLICY_SHAPES_DIR}/{path.name}")
            shapes += module
            for prefix, ns in module.namespaces():
                shapes.bind(prefix, ns, override=False)
    return shapes, files
