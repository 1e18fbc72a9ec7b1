"""Reading policy files: untrusted input, read without touching the network.

Policies arrive as files, folders or standard input, in any RDF syntax rdflib
reads. This is the one reader every command uses for the user's RDF. Before a
byte reaches a parser it refuses what could hurt or mislead
(:mod:`~responsible_sharing.input_guards`): input over a size limit (standard
input too, read in chunks), text that is not UTF-8, RDF/XML with a DOCTYPE
(the door to external entities and entity bombs), JSON-LD context references
at any depth (never loaded; our own context IRI is mapped to the shipped
file) and JSON nested too deeply. After parsing it warns about ``owl:imports``
(never followed) and about statements on our own terms, and it finds every
``rsf:DataSharingPolicy`` with the file and line where it is written; a
policy offered in access tiers is read as one policy per tier
(:mod:`~responsible_sharing.tiers`).

Turtle, N-Triples, TriG and N-Quads are parsed by pyoxigraph into its
in-memory store, about 25 times faster than rdflib; the policies stay there
until an engine needs them. A file pyoxigraph rejects is parsed again by
rdflib, so that a syntax error is worded as for every other syntax; what
only rdflib would let through (an IRI with a space) is refused with
pyoxigraph's reason, since no engine or store could take it. RDF/XML and
JSON-LD are parsed by rdflib.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, BNode, Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from .errors import InputError, InputSyntaxError
from .input_guards import (
    keep_markup_literals_unparsed,
    literals_as_written,
    make_safe,
    no_document_loading,
    read_limited,
)
from .namespaces import RSF
from .oxterms import XSD_STRING, from_ox, to_ox
from .rdfio import FORMAT_BY_SUFFIX, QUAD_FORMATS, guess_format, parse_bytes_into
from .tiers import find_tiers, tier_statements

DEFAULT_MAX_MB = 10.0
#: declared prefixes beyond which only those in use are bound (see :meth:`PolicyInput.bound_prefixes`)
MAX_BOUND_PREFIXES = 200
STDIN = "-"
#: the syntaxes pyoxigraph parses for us (rdflib's names)
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
_TYPE = ox.NamedNode(str(RDF.type))
_POLICY = ox.NamedNode(str(RSF.DataSharingPolicy))
_IMPORTS = ox.NamedNode(str(OWL.imports))
keep_markup_literals_unparsed()

@dataclass(frozen=True)
class PolicyOrigin:
    """Where a policy is written: file and, where it can be found, line."""

    source: str
    line: int | None
    #: for an access tier: the policy it inherits from (its IRI, or a blank node's label)
    tier_of: str | None = None


@dataclass
class PolicyInput:
    """Everything read from the user's files, merged into one graph (a pyoxigraph store).

    :attr:`graph` gives the same triples as an rdflib graph, built on first
    use; :meth:`objects` and :meth:`value` read single statements without it.
    """

    store: ox.Store = field(default_factory=ox.Store)
    sources: list[str] = field(default_factory=list)
    policies: dict[Node, PolicyOrigin] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: (prefix, namespace) as the files declare them, first file first
    prefixes: list[tuple[str, str]] = field(default_factory=list)
    #: what access tiers inherit from their policies (:mod:`~responsible_sharing.tiers`), added by :meth:`apply_tiers`
    tier_statements: list[ox.Quad] = field(default_factory=list)

    def apply_tiers(self) -> None:
        """Add what each access tier inherits, for validation; the store holds the files' own statements until then.

        Kept apart so that ``rsf load`` stores, and queries read, what the user wrote.
        """
        if self.tier_statements:
            self.store.extend(self.tier_statements)
            self.tier_statements = []
            self.__dict__.pop("graph", None)  # a graph built before is stale

    @cached_property
    def graph(self) -> Graph:
        """The policies as an rdflib graph, built on first use."""
        return self.to_graph()

    def to_graph(self) -> Graph:
        """A new rdflib graph of the policies, with the files' prefixes."""
        graph = Graph()
        for prefix, namespace in self.bound_prefixes():
            graph.bind(prefix, namespace, override=False)
        with quiet_literal_warnings():
            for quad in self.store:
                graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))  # type: ignore[arg-type]
        return graph

    @cached_property
    def namespace_manager(self) -> NamespaceManager:
        """Prefixes for showing IRIs, those of the files first."""
        names = Graph()
        for prefix, namespace in self.bound_prefixes():
            names.bind(prefix, namespace, override=False)
        return names.namespace_manager

    def bound_prefixes(self) -> list[tuple[str, str]]:
        """The prefixes worth binding in an rdflib graph: all, or with very many only those in use.

        rdflib binds a prefix in time proportional to those already bound, so
        a file declaring tens of thousands would take minutes; past
        :data:`MAX_BOUND_PREFIXES` only the namespaces the data uses are bound
        (at most that many), and other IRIs are shown in full.
        """
        if len(self.prefixes) <= MAX_BOUND_PREFIXES:
            return self.prefixes
        used = {_namespace_of(iri) for iri in self._iris()}
        return [pair for pair in self.prefixes if pair[1] in used][:MAX_BOUND_PREFIXES]

    def _iris(self) -> Iterator[str]:
        for quad in self.store:
            for term in (quad.subject, quad.predicate, quad.object):
                if isinstance(term, ox.NamedNode):
                    yield term.value
                elif isinstance(term, ox.Literal):
                    yield term.datatype.value

    def objects(self, subject: Node, predicate: URIRef) -> Iterator[Node]:
        """The objects of ``subject predicate ?o``, as rdflib terms."""
        for quad in self.store.quads_for_pattern(to_ox(subject), to_ox(predicate), None, ox.DefaultGraph()):
            if isinstance(quad.object, ox.Literal) and quad.object.datatype.value != XSD_STRING:
                with quiet_literal_warnings():
                    yield from_ox(quad.object)  # type: ignore[misc]
            else:
                yield from_ox(quad.object)  # type: ignore[misc]

    def value(self, subject: Node, predicate: URIRef) -> Node | None:
        return next(self.objects(subject, predicate), None)

    def ntriples(self) -> bytes:
        """All the triples as N-Triples, for an engine that reads them itself."""
        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def _namespace_of(iri: str) -> str:
    """The IRI up to its last ``#``, ``/`` or ``:``, where a prefix's namespace usually ends."""
    return iri[: max(iri.rfind("#"), iri.rfind("/"), iri.rfind(":")) + 1]


@dataclass(frozen=True)
class GraphChunk:
    """Some named graphs of one N-Quads or TriG file, as N-Quads: the unit of streamed input."""

    source: str
    data: bytes
    graphs: int


#: statements one named graph may hold per megabyte of the size limit when a file is read graph by graph
#: (an N-Quads statement of a policy takes about 100 bytes)
STATEMENTS_PER_MB = 10_000


def stream_graphs(path: str, graphs_per_chunk: int, max_mb: float = DEFAULT_MAX_MB) -> Iterator[GraphChunk]:
    """Read a big N-Quads or TriG file as a stream, ``graphs_per_chunk`` named graphs at a time.

    Memory is bounded by a chunk, not by the file, so the size limit applies
    to each named graph instead, counted in statements
    (:data:`STATEMENTS_PER_MB`). Each named graph must hold whole policies and
    its quads must be written together (as a store dump writes them); a graph
    that comes back after another is refused. A blank node used in two graphs
    that end up in different chunks becomes two blank nodes.
    """
    fmt = guess_format(Path(path))
    if fmt not in QUAD_FORMATS:
        raise InputError(f"{path}: only N-Quads and TriG files can be read graph by graph; this is {fmt}")
    finished: set[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = set()
    current: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None
    quads: list[ox.Quad] = []
    graphs, in_graph, most = 0, 0, int(max_mb * STATEMENTS_PER_MB)
    # no renaming here: pyoxigraph would keep a map of every blank node in the file (chunks are renamed when read)
    parser = ox.parse(path=path, format=_OX_FORMATS[fmt], base_iri=Path(path).resolve().as_uri())
    try:
        for quad in parser:
            name = quad.graph_name
            if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
                raise InputSyntaxError(path, f"graph {name}: {TRIPLE_TERM_REFUSAL}")
            if name != current:
                if current is not None:
                    finished.add(current)
                    graphs += 1
                if name in finished:
                    raise InputError(
                        f"{path}: the statements of graph {name} are not written together (it comes back after "
                        "another graph), so the file cannot be read graph by graph; sort it by graph or drop --per-graph")
                if graphs >= graphs_per_chunk:
                    yield GraphChunk(path, ox.serialize(quads, format=ox.RdfFormat.N_QUADS), graphs)
                    quads, graphs = [], 0
                current, in_graph = name, 0
            in_graph += 1
            if in_graph > most:
                raise InputError(f"{path}: graph {name} holds more than {most} statements, more than --max-size "
                                 f"{max_mb:g} MB allows one graph ({STATEMENTS_PER_MB} statements a megabyte) when "
                                 "the file is read graph by graph; raise --max-size if the graph is meant to be this big")
            quads.append(quad)
    except SyntaxError as err:
        raise InputSyntaxError(path, f"{fmt} syntax error: {_ox_reason(err)}", err.lineno) from None
    except OSError as err:
        raise InputError(f"{path}: cannot read the file: {err.strerror}") from None
    if quads:
        yield GraphChunk(path, ox.serialize(quads, format=ox.RdfFormat.N_QUADS), graphs + 1)


def expand_paths(arguments: list[str]) -> list[str]:
    """Files to read: files as given, folders searched for RDF files (sorted), ``-`` as is."""
    found: list[str] = []
    for argument in arguments:
        if argument == STDIN:
            found.append(STDIN)
            continue
        path = Path(argument)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMAT_BY_SUFFIX)
            if not files:
                raise InputError(f"{path}: the folder holds no RDF files ({', '.join(sorted(FORMAT_BY_SUFFIX))})")
            found.extend(str(p) for p in files)
        elif path.is_file():
            found.append(str(path))
        else:
            raise InputError(f"{path}: no such file or folder")
    for name in found:
        _require_utf8_name(name)
    return found


def _require_utf8_name(name: str) -> None:
    """Refuse a file name that is not UTF-8: the reports (JSON, SARIF, HTML) name every file in UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(name).decode("utf-8", "backslashreplace")
        raise InputError(f"{shown}: the file name is not UTF-8, and rsf's reports name each file in UTF-8; "
                         "rename the file (convmv -f latin1 -t utf8 converts names)") from None


def read_policies(
    arguments: list[str | GraphChunk],
    *,
    max_mb: float = DEFAULT_MAX_MB,
    stdin_format: str = "turtle",
    require_policy: bool = True,
) -> PolicyInput:
    """Read every policy file named in ``arguments`` into one graph.

    Raises :class:`InputError` or :class:`InputSyntaxError` (exit code 2) for
    anything that cannot be validated, naming the file and, where the parser
    knows it, the line.
    """
    result = PolicyInput()
    paths = expand_paths([a for a in arguments if isinstance(a, str)])
    for source in [*paths, *(a for a in arguments if isinstance(a, GraphChunk))]:
        _read_one(source, result, max_mb, stdin_format)
    if require_policy:
        require_policies(result.policies, result.sources, result.warnings)
    return result


def require_policies(policies: dict, sources: list[str], warnings: list[str]) -> None:
    """Refuse input with no policy in it: it must never be reported as conforming."""
    if not policies:
        where = ", ".join(dict.fromkeys(sources))
        notes = "".join(f"\n  note: {w}" for w in warnings if "no rsf:DataSharingPolicy" not in w)
        raise InputError(
            f"{where}: no data-sharing policy found. A policy is a resource typed rsf:DataSharingPolicy "
            f"(https://w3id.org/rsf/DataSharingPolicy); see docs/policy-model.md.{notes}"
        )


def read_input_bytes(source: str, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    """The bytes of one file (or ``-``, standard input), refused once they pass ``max_mb``."""
    limit = int(max_mb * 1024 * 1024)
    if source == STDIN:
        return read_limited(sys.stdin.buffer, limit, "<stdin>")
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                f"{path}: {size / 1024 / 1024:.1f} MB is over the input limit of {max_mb:g} MB; "
                "if the file is what you mean to validate, raise the limit with --max-size MB"
            )
        with path.open("rb") as handle:  # read against the limit: a device or FIFO has no size
            return read_limited(handle, limit, str(path))
    except OSError as err:
        raise InputError(f"{path}: cannot read the file: {err.strerror}") from None


def _read_one(source: str | GraphChunk, result: PolicyInput, max_mb: float, stdin_format: str) -> None:
    if isinstance(source, GraphChunk):  # a chunk's size is bounded by its graphs
        data, fmt, name = source.data, "nquads", source.source
    else:
        fmt = stdin_format if source == STDIN else guess_format(Path(source))
        data = read_input_bytes(source, max_mb)
        name = "<stdin>" if source == STDIN else str(Path(source))
    if not data.strip():
        raise InputError(f"{name}: the file is empty; there is no policy to validate")
    quads, prefixes = read_rdf(data, name if source != STDIN else STDIN, fmt, result.warnings)
    result.sources.append(name)
    _note_imports(quads, name, result.warnings)
    _note_collisions(quads, name, result.warnings)
    typed = {q.subject for q in quads if q.predicate == _TYPE and q.object == _POLICY}
    if not typed:
        result.warnings.append(f"{name}: no rsf:DataSharingPolicy in this file; its statements are read as context")
    tiers = find_tiers(quads, typed)  # type: ignore[arg-type]
    policies = sorted((typed - set(tiers.values())) | set(tiers), key=lambda n: n.value)
    # lines are found in the text as written; a chunk's N-Quads are not the file's lines
    lines = {} if isinstance(source, GraphChunk) or not policies else subject_lines(
        data.decode("utf-8", errors="replace"), prefixes)
    for node in policies:
        policy = from_ox(node)
        if policy not in result.policies:
            line = lines.get(node.value) if isinstance(node, ox.NamedNode) else None
            parent = tiers.get(node)  # type: ignore[call-overload]
            tier_of = None if parent is None else (parent.value if isinstance(parent, ox.NamedNode) else f"_:{parent.value}")
            result.policies[policy] = PolicyOrigin(name, line, tier_of)  # type: ignore[index]
    result.store.extend(q if q.graph_name == ox.DefaultGraph() else ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    result.tier_statements.extend(tier_statements(quads, tiers))
    known = set(result.prefixes)
    result.prefixes.extend(pair for pair in prefixes.items() if pair not in known)


def read_rdf(data: bytes, name: str, fmt: str, warnings: list[str]) -> tuple[list[ox.Quad], dict[str, str]]:
    """The quads and prefixes of one file's bytes, read safely: nothing is fetched, no other file is read.

    RDF/XML with a DOCTYPE is refused (a DTD can pull in external entities);
    JSON-LD contexts are never loaded (ours is mapped to the shipped file,
    others are dropped with a warning in ``warnings``); text syntaxes must be
    UTF-8. See :mod:`~responsible_sharing.input_guards`.
    """
    text = make_safe(data, name, fmt, warnings)
    with no_document_loading(name), literals_as_written():
        return parse_quads(text, name, fmt)


def parse_quads(text: bytes | str, name: str, fmt: str) -> tuple[list[ox.Quad], dict[str, str]]:
    """The quads of one file and its prefixes: pyoxigraph where it reads the syntax, rdflib otherwise.

    A file pyoxigraph rejects is parsed again by rdflib only to report the
    error as for every other syntax; if rdflib would accept it (it lets
    through IRIs with spaces, for one), pyoxigraph's error stands, since no
    engine or store could take such data.
    """
    base = Path(name).resolve().as_uri() if name != STDIN else "urn:rsf:stdin"
    if fmt in _OX_FORMATS:
        try:
            parser = ox.parse(input=text, format=_OX_FORMATS[fmt], base_iri=base, rename_blank_nodes=True)
            quads = list(parser)
        except SyntaxError as err:
            with quiet_literal_warnings():
                parse_bytes_into(Graph(), text, name, fmt)
            raise InputSyntaxError(name, f"{fmt} syntax error: {_ox_reason(err)}", err.lineno) from None
        if any(isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple) for q in quads):
            raise InputSyntaxError(name, TRIPLE_TERM_REFUSAL, _first_line_with(text, ("<<", "{|")))
        return quads, dict(parser.prefixes)
    graph = Graph()
    with quiet_literal_warnings():
        parse_bytes_into(graph, text, name, fmt)
    quads = [_quad(triple, name) for triple in graph]
    return quads, {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}


#: why a file using RDF 1.2 triple terms is refused, and what to write instead
TRIPLE_TERM_REFUSAL = (
    "the file uses an RDF 1.2 triple term (<<( ... )>>, a << ... >> reifier or a {| ... |} annotation); "
    "rsf reads RDF 1.1, which SHACL validates, so state the fact as ordinary triples "
    "(a statement about a statement can be a node of its own, e.g. a prov:Entity)")


def _first_line_with(text: bytes | str, tokens: tuple[str, ...]) -> int | None:
    """The line where one of ``tokens`` first appears in ``text``, if one does."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    found = [at for at in (raw.find(token.encode("utf-8")) for token in tokens) if at >= 0]
    return raw.count(b"\n", 0, min(found)) + 1 if found else None


def _quad(triple: tuple[Node, Node, Node], name: str) -> ox.Quad:
    """One statement rdflib parsed, as a pyoxigraph quad; what no RDF store could hold is refused."""
    subject, predicate, _ = triple
    if not isinstance(subject, (URIRef, BNode)) or not isinstance(predicate, URIRef):
        raise InputSyntaxError(name, f"the value {str(subject)[:80]!r} stands where a subject or property must "
                               "be (a JSON-LD @reverse or key with a plain value?); subjects and properties "
                               "are IRIs or blank nodes")
    try:
        return ox.Quad(*(to_ox(node) for node in triple))  # type: ignore[misc]
    except ValueError as err:
        bad = [str(node) for node in triple if isinstance(node, URIRef) and not _valid_iri(node)]
        what = f"<{bad[0]}> is not a valid IRI" if bad else "a statement cannot be read as RDF"
        raise InputSyntaxError(name, f"{what} ({err}); percent-encode spaces and other characters "
                               "IRIs may not hold") from None


def _valid_iri(node: URIRef) -> bool:
    try:
        ox.NamedNode(str(node))
    except ValueError:
        return False
    return True


def _ox_reason(err: SyntaxError) -> str:
    """pyoxigraph's message without its own location prefix (the file and line are given beside it)."""
    message = err.msg or str(err)
    where, _, reason = message.partition(": ")
    column = f" (column {err.offset})" if err.offset else ""
    reason = (reason if where.startswith("Parser error") and reason else message) + column
    if "invalid iri" in reason.lower():
        reason += "; percent-encode characters an IRI may not hold (a space is %20)"
    return reason


@contextmanager
def quiet_literal_warnings() -> Iterator[None]:
    """Keep rdflib from printing tracebacks for ill-typed literals (``"six weeks"^^xsd:duration``).

    Such a value is the user's to fix, and the shapes report it as a finding
    naming the property; a Python traceback on the terminal would only alarm.
    """
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        logger.setLevel(level)


def _note_imports(quads: Iterable[ox.Quad], name: str, warnings: list[str]) -> None:
    for target in sorted({q.object.value for q in quads if q.predicate == _IMPORTS}):
        warnings.append(f"{name}: owl:imports {target} was not followed (rsf never reads the network); "
                        "pass the imported file as another argument if it holds part of the policy")


def _note_collisions(quads: Iterable[ox.Quad], name: str, warnings: list[str]) -> None:
    ours = sorted({q.subject.value for q in quads
                   if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(RSF))})
    if ours:
        listed = ", ".join(ours[:5]) + (" …" if len(ours) > 5 else "")
        warnings.append(
            f"{name}: states facts about {len(ours)} term(s) in the responsible-sharing namespace ({listed}); "
            "validation uses the shipped ontology for them. Give your own resources IRIs in your own namespace."
        )


_SUBJECT = re.compile(r'\s*(<[^>\s]*>|"[^"]*"|[A-Za-z_]?[\w.-]*:[^\s;,()\[\]]*)')
_WRITTEN_ID = re.compile(r'"@?id"\s*:\s*"([^"]*)"|rdf:about="([^"]*)"')


def subject_lines(text: str, prefixes: dict[str, str]) -> dict[str, int]:
    """IRI -> the first line where it is written as a subject (Turtle), an ``@id`` (JSON-LD) or ``rdf:about``.

    One pass over the text, whatever the number of policies or prefixes: a
    best effort that finds where each named policy starts.
    """
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        written = [m.group(1) or m.group(2) for m in _WRITTEN_ID.finditer(line)]
        subject = _SUBJECT.match(line)
        if subject:
            written.append(subject.group(1).strip('"'))
        for token in written:
            found.setdefault(_expand(token, prefixes), number)
    return found


def _expand(token: str, prefixes: dict[str, str]) -> str:
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    prefix, colon, local = token.partition(":")
    if colon and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return token
