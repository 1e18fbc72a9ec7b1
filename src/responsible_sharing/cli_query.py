"""``rsf query`` and ``rsf load``: the stored SPARQL queries on local files or a server."""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path

import click
import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .cli_options import (
    answer_size_option,
    endpoint_option,
    megabytes_option,
    progress_bar,
    quiet_option,
    seconds_option,
    size_option,
    store_option,
    timeout_option,
)
from .endpoint import EndpointClient
from .errors import UsageError
from .formats.rdf import report_graph
from .ontology import load_ontology
from .oxterms import from_ox
from .namespaces import RSF
from .input_guards import decode_utf8
from .local_query import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, QueryLimits, answer_locally
from .policy_input import (
    DEFAULT_MAX_MB,
    STDIN,
    expand_paths,
    quiet_literal_warnings,
    read_input_bytes,
    read_policies,
    read_rdf,
)
from .output import check_output, emit, refuse_overwriting_an_input
from .query_output import GRAPH_FORMATS, PREFIXES, TABULAR, render
from .queries import StoredQuery, parse_header, stored_query, stored_query_names
from .rdfio import guess_format, parse_into
from .resources import shipped_path
from .serialize import serialize_stable
from .sparql import (
    EndpointEngine,
    Engine,
    OxigraphEngine,
    QueryError,
    RdflibEngine,
    check_query,
    put_graph,
)
from .store_validation import POLICY_GRAPHS, source_graph, source_record, store_url_for, without
from .terms import resolve_term
from .validate import engine as validation_engine
from .validate import validate_input

_PARAMETER = re.compile(r"\?(\w+)\s*\((\w+)\)")
GRAPH_BASE = "https://w3id.org/rsf/graph/"


def declared_parameters(query: StoredQuery) -> dict[str, str]:
    """``name -> type`` from the header's ``parameters:`` field, e.g. ``?term (IRI)``."""
    return {name: kind.lower() for name, kind in _PARAMETER.findall(query.header.get("parameters", ""))}


def _load_query(name_or_file: str, max_mb: float) -> StoredQuery:
    """A SPARQL file, read within the size limit and only as UTF-8, or the name of a stored query."""
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.is_file() or path.name != name_or_file:
        text = decode_utf8(read_input_bytes(name_or_file, max_mb), str(path), "a SPARQL query")
        text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
        return StoredQuery(name=str(path), text=text, header=parse_header(text))
    return stored_query(name_or_file)


def _term(value: str, kind: str, ontology: Graph | None) -> Node:
    if kind in ("string", "literal", "text"):
        return Literal(value)
    if kind == "integer":
        try:
            return Literal(int(value))
        except ValueError:
            raise UsageError(f"{value!r} is not an integer") from None
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return _iri(text[1:-1], value)
    if "://" in text or text.startswith(("urn:", "mailto:")):
        return _iri(text, value)
    prefix, _, local = text.partition(":")
    if local and prefix in PREFIXES:
        return _iri(PREFIXES[prefix] + local, value)
    if ontology is not None:
        return URIRef(resolve_term(ontology, text).iri)  # a notation (CE5) or a label; UnknownTermError if none
    raise UsageError(f"{value!r} is not an IRI; give a full IRI or a prefixed name ({', '.join(sorted(PREFIXES))})")


def _iri(text: str, value: str) -> URIRef:
    """``text`` as an IRI, if it is one by RFC 3987 (pyoxigraph's check; rdflib lets spaces and ``>`` through)."""
    try:
        pyoxigraph.NamedNode(text)
    except ValueError as err:
        raise UsageError(f"--param value {value!r} is not a valid IRI ({err}); percent-encode spaces and "
                         "other characters an IRI may not hold (a space is %20)") from None
    return URIRef(text)


def bind_parameters(query: StoredQuery, params: tuple[str, ...], ontology: Graph | None) -> dict[str, Node]:
    declared = declared_parameters(query)
    bindings: dict[str, Node] = {}
    for item in params:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?")
        if not sep:
            raise UsageError(f"--param {item!r}: write it as name=value")
        if declared and name not in declared:
            known = ", ".join(f"{n} ({k})" for n, k in declared.items()) or "none"
            raise UsageError(f"{query.name} has no parameter {name!r}; its parameters: {known}")
        bindings[name] = _term(value, declared.get(name, "iri"), ontology)
    return bindings


def all_shapes() -> Graph:
    """The policy shapes and the ontology QA shapes, as queries see them."""
    graph = Graph()
    for triple in validation_engine().shapes:
        graph.add(triple)
    with shipped_path("shapes") as shapes:
        parse_into(graph, shapes / "ontology-qa.ttl")
    return graph


#: with --engine auto, local data bigger than this (all --data files together) goes to pyoxigraph
AUTO_OXIGRAPH_MB = 1.0


def choose_engine(name: str, data: tuple[Path, ...]) -> str:
    """``rdflib`` or ``oxigraph``: ``auto`` picks pyoxigraph for big data, where it is much faster."""
    if name != "auto":
        return name
    size = sum(path.stat().st_size for path in data)
    return "oxigraph" if size > AUTO_OXIGRAPH_MB * 1024 * 1024 else "rdflib"


def _read_data(path: Path, warnings: list[str], max_mb: float) -> list[pyoxigraph.Quad]:
    """One --data file, read as policies are (nothing fetched, the size limit), its named graphs merged."""
    quads, _ = read_rdf(read_input_bytes(str(path), max_mb), str(path), guess_format(path), warnings)
    return [pyoxigraph.Quad(q.subject, q.predicate, q.object) for q in quads]


def _read_all(data: tuple[Path, ...], warnings: list[str] | None, max_mb: float) -> list[pyoxigraph.Quad]:
    return [quad for path in data for quad in _read_data(path, [] if warnings is None else warnings, max_mb)]


def oxigraph_dataset(data: tuple[Path, ...], warnings: list[str] | None = None,
                     max_mb: float = DEFAULT_MAX_MB) -> OxigraphEngine:
    """The ontology and shapes plus the user's files, in a pyoxigraph store.

    The files never become an rdflib graph, so big data loads in seconds.
    """
    quads = _read_all(data, warnings, max_mb)  # the user's files first: a refusal costs nothing else
    engine = OxigraphEngine(local_dataset(()))
    engine.store.extend(quads)
    return engine


def local_dataset(data: tuple[Path, ...], warnings: list[str] | None = None, max_mb: float = DEFAULT_MAX_MB) -> Graph:
    """The ontology and shapes, plus the user's files, in one graph (named graphs merged).

    The files are read as policies are: nothing is fetched from the network;
    what was not fetched is said in ``warnings``.
    """
    quads = _read_all(data, warnings, max_mb)  # the user's files first: a refusal costs nothing else
    graph = Graph()
    for triple in load_ontology().graph:
        graph.add(triple)
    for triple in all_shapes():
        graph.add(triple)
    for quad in quads:
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))  # type: ignore[arg-type]
    return graph


def _local_engine(name: str, data: tuple[Path, ...], max_mb: float) -> Engine:
    """The engine ``name`` (or the one ``auto`` picks) over the ontology, the shapes and the ``--data`` files."""
    notes: list[str] = []
    engine: Engine
    with quiet_literal_warnings():  # an ill-typed literal in the data is not the query's problem
        if choose_engine(name, data) == "oxigraph":
            engine = oxigraph_dataset(data, notes, max_mb)
        else:
            engine = RdflibEngine(local_dataset(data, notes, max_mb))
    for note in sorted(set(notes)):
        click.echo(f"warning: {note}", err=True)
    return engine


def register(cli: click.Group) -> None:
    """Add ``query`` and ``load`` to the ``rsf`` command group."""

    @cli.command()
    @click.argument("query_name", metavar="NAME|FILE", required=False)
    @click.option("--list", "list_queries", is_flag=True, help="List the stored queries with what each answers.")
    @click.option("--data", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="RDF file to query besides the ontology and shapes (repeatable): policies, reports (Turtle, TriG, N-Quads, …).")
    @click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                  help="Bind a query parameter (repeatable). IRIs as <…>, full IRIs, prefixed names (rsf:CE5) or a notation (CE5).")
    @click.option("--format", "fmt", type=click.Choice(TABULAR + GRAPH_FORMATS), default=None,
                  help="table (default for SELECT/ASK), csv, tsv, json, xml (W3C result formats); turtle for CONSTRUCT.")
    @click.option("--engine", "engine_name", type=click.Choice(["auto", "rdflib", "oxigraph"]), default="auto", show_default=True,
                  help="Embedded engine for local data. auto: pyoxigraph when the --data files add up to more than "
                  f"{AUTO_OXIGRAPH_MB:g} MB (much faster there, the same answers on the stored queries), rdflib otherwise.")
    @endpoint_option("Ask a SPARQL 1.1 endpoint (http or https) instead (load data there with `rsf load`).")
    @timeout_option
    @answer_size_option
    @click.option("--allow-service", is_flag=True, help="Allow queries that call SERVICE (sends data to other servers).")
    @size_option
    @seconds_option("--query-timeout", "query_timeout", DEFAULT_SECONDS, "Stop a query on local data that runs longer (exit 2).")
    @megabytes_option("--max-memory", "max_memory", DEFAULT_MEMORY_MB,
                      "Stop a query on local data that needs more memory than this beyond the loaded data (exit 2).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here (atomically).")
    def query(query_name: str | None, list_queries: bool, data: tuple[Path, ...], params: tuple[str, ...],
              fmt: str | None, engine_name: str, endpoint: str | None, timeout: float, max_answer_mb: float,
              allow_service: bool, max_mb: float, query_timeout: float, max_memory: float, output: Path | None) -> None:
        """Run a stored query (by NAME, see --list) or a SPARQL file.

        The ontology and the shapes are always part of the local data; add
        policies and validation reports with --data. Parameters are bound by
        the engine (or, for pyoxigraph and an endpoint, a VALUES block opening
        the WHERE clause), never pasted
        into the query text. Nothing goes to the network unless you give
        --endpoint. A query on local data runs in a separate process that is
        stopped when it passes --query-timeout or --max-memory. Exit 0 on
        success, 2 for a bad query, parameter or endpoint, or a query stopped
        at a bound.
        """
        if list_queries:
            lines = []
            for name in stored_query_names():
                q = stored_query(name)
                lines.append(f"{name}\n    {q.title}\n    {q.header.get('description', '')}")
                if q.header.get("parameters"):
                    lines.append(f"    parameters: {q.header['parameters']}")
            click.echo("\n".join(lines))
            return
        if not query_name:
            raise UsageError("give a stored query NAME or a .rq FILE (rsf query --list shows the stored ones)")
        check_output(output)
        refuse_overwriting_an_input(output, [*data, Path(query_name)])
        stored = _load_query(query_name, max_mb)
        ontology = load_ontology().graph if params else None  # for parameters given as a notation or label
        bindings = bind_parameters(stored, params, ontology)
        if endpoint:
            form = check_query(stored.text, allow_service=allow_service, source=stored.name)
            if data:
                raise UsageError("--data is for local queries; load files into the endpoint with `rsf load`")
            engine = EndpointEngine(endpoint, EndpointClient(timeout, max_answer_mb))
            with quiet_literal_warnings():
                result = engine.query(stored.text, bindings)
                chosen = fmt or ("turtle" if form in ("CONSTRUCT", "DESCRIBE") else "table")
                payload = render(result, chosen)
        else:
            payload = answer_locally(_local_engine(engine_name, data, max_mb), stored, bindings, fmt=fmt,
                                     allow_service=allow_service, limits=QueryLimits(query_timeout, max_memory))
        emit(payload, output)

    @cli.command()
    @click.argument("policies", nargs=-1, metavar="[POLICY...]")
    @endpoint_option("The server's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query.", required=True)
    @store_option("Its Graph Store Protocol endpoint. Default: the query URL with /query replaced by /store (Oxigraph's layout).")
    @click.option("--no-reports", is_flag=True, help="Load the policies only; do not validate them and load their reports.")
    @timeout_option
    @answer_size_option
    @quiet_option
    def load(policies: tuple[str, ...], endpoint: str, store: str | None, no_reports: bool, timeout: float,
             max_answer_mb: float, quiet: bool) -> None:
        """Push the ontology, the shapes, policies and their validation reports
        into a SPARQL 1.1 store, each in its own named graph (replaced if it
        exists), so the stored queries can be asked there with
        `rsf query NAME --endpoint URL`.

        \b
        Named graphs:
          https://w3id.org/rsf/graph/ontology, …/graph/shapes
          https://w3id.org/rsf/graph/policy/<file>, …/graph/report/<file>
          https://w3id.org/rsf/graph/source/<file>: the file's path from here
            and the line of each policy, so `rsf validate --endpoint` can
            point at them
        A report graph holds the results and their trace links; the labels of
        the terms it names are in the ontology graph, never stored twice. Start
        the server so that queries see the union of the graphs, e.g.
        oxigraph serve --location DIR --union-default-graph. Every file is
        read and checked before anything is written. A progress bar shows
        on a terminal.
        """
        store_url = store_url_for(endpoint, store)
        client = EndpointClient(timeout, max_answer_mb)
        notes: list[str] = []
        graphs = store_graphs(list(policies), notes, reports=not no_reports, quiet=quiet)  # all read before anything is written
        for note in dict.fromkeys(notes):
            click.echo(f"warning: {note}", err=True)
        with progress_bar(len(graphs), "loading", quiet) as advance:
            for name, turtle in graphs:
                put_graph(client, store_url, name, turtle)
                advance(1)
        click.echo(f"loaded {len(graphs)} named graphs into {store_url}")
        if not _sees_union(endpoint, client):
            click.echo("note: the endpoint's default graph does not show the named graphs just loaded, so the stored "
                       "queries will find nothing there; start the server with its union default graph on "
                       "(oxigraph serve --union-default-graph; see docs/store.md)", err=True)


def store_graphs(arguments: list[str], warnings: list[str], *, reports: bool,
                 quiet: bool = False) -> list[tuple[str, bytes]]:
    """(named graph, Turtle) for the ontology, the shapes and each policy file (its report, where it came from), all read first.

    Policies go through the reader every command uses; a file that cannot
    be read or holds no policy stops the load before the store is touched;
    what the reader warns about is added to ``warnings``.
    """
    ontology = load_ontology().graph
    # a store gives blank nodes labels of its own, so canonical ones would only cost time (seconds for the shapes)
    graphs = [(GRAPH_BASE + "ontology", serialize_stable(ontology, "ttl", canonical=False)),
              (GRAPH_BASE + "shapes", serialize_stable(all_shapes(), "ttl", canonical=False))]
    names = graph_names(arguments)
    with progress_bar(len(names), "reading", quiet) as advance:
        for source, name in names.items():
            data = read_policies([source])
            warnings.extend(data.warnings)
            graph = POLICY_GRAPHS + name
            graphs.append((graph, serialize_stable(data.graph, "ttl", canonical=False)))
            lines = {str(p): o.line for p, o in data.policies.items() if isinstance(p, URIRef) and o.line}
            record = source_record(graph, _as_seen(source, name), lines)
            graphs.append((str(source_graph(graph)), serialize_stable(record, "ttl", canonical=False)))
            if reports:
                report = without(report_graph(validate_input(data)), ontology)  # labels live in the ontology graph
                graphs.append((GRAPH_BASE + "report/" + name, serialize_stable(report, "ttl", canonical=False)))
            advance(1)
    return graphs


def graph_names(arguments: list[str]) -> dict[str, str]:
    """Each file to load -> its name in the store: the path as given when relative, never a machine's absolute path.

    A file given by an absolute path (or one with ``..``) is named from the
    folder or file argument it came from: ``/home/me/policies/a.ttl`` given as
    ``/home/me/policies`` is ``policies/a.ttl``.
    """
    names: dict[str, str] = {}
    for argument in arguments:
        for source in expand_paths([argument]):
            path = Path(source)
            if source == STDIN:
                name = "stdin"
            elif path.is_absolute() or ".." in path.parts:
                name = path.relative_to(Path(argument).parent).as_posix()
            else:
                name = path.as_posix()
            name = urllib.parse.quote(name, safe="/")
            if name in names.values():
                raise UsageError(f"{source}: two files would be stored as the same graph {GRAPH_BASE}policy/{name}; "
                                 "load them in separate runs or rename one")
            names[source] = name
    return names


def _as_seen(source: str, name: str) -> str:
    """A file's path from the folder ``rsf load`` runs in: what a finding will name, never an absolute path."""
    if source == STDIN:
        return "<stdin>"
    try:
        return Path(os.path.relpath(os.path.abspath(source))).as_posix()
    except ValueError:  # on another drive (Windows): its name in the store, from the argument it came from
        return urllib.parse.unquote(name)


def _sees_union(endpoint: str, client: EndpointClient) -> bool:
    """Whether the endpoint's default graph shows the ontology graph just loaded (a union default graph)."""
    probe = f"ASK {{ <{RSF.DataSharingPolicy}> ?p ?o }}"
    return bool(EndpointEngine(endpoint, client).query(probe, {}).boolean)


__all__ = ["QueryError", "bind_parameters", "declared_parameters", "local_dataset", "register"]
