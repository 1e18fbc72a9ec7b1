"""Validating data-sharing policies: SHACL results, each traced to a right.

pySHACL runs the shipped policy shapes over the user's data with, as
background, only what the shapes walk: the DPV concept hierarchy
(``skos:broader``) from the offline DPV extract. No inference is run; the
ontology itself is never reported on. Each SHACL result then becomes a
:class:`Finding` with the obligation its shape checks (``rsf:checks``) and that
obligation's chain to the human rights, and is kept only if the obligation
applies to the policy's profile.

pySHACL is the reference engine; pyrudof (``shacl_engine="pyrudof"``) gives
the same findings faster and reads the policies as N-Triples straight from
the pyoxigraph store they were parsed into. Many files are validated in
batches, in worker processes, so that memory is bounded by a batch.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SH, SKOS, NamespaceManager
from rdflib.util import from_n3
from rdflib.term import Node

from .errors import UsageError
from .input_checks import CHECKS, InputFinding, Problem, check_profile_terms, drop_ill_typed, find_problems, nothing_checked, owners, render_node
from .input_guards import literals_as_written
from .namespaces import RSF
from .ontology import load_ontology
from .policy_input import DEFAULT_MAX_MB, STDIN, quiet_literal_warnings, GraphChunk, PolicyInput, PolicyOrigin, expand_paths, read_policies, require_policies, stream_graphs
from .profile import Profile, build_profile
from .rdfio import parse_into
from .resources import shipped_path
from .terms import resolve_term
from .trace import SOURCE_CHOICES, ObligationTrace, build_traces, natural_key

SEVERITIES = ("violation", "warning", "info")
_SEVERITY_NAME = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
POLICY_SHAPES_DIR = "policy"
BACKGROUND_FILE = "external/dpv-subset.ttl"


@dataclass(frozen=True)
class Finding:
    """One SHACL result on a policy, with the obligation and rights behind it."""

    policy: str
    source: str
    line: int | None
    severity: str
    message: str
    shape: str
    path: str
    value: str
    fix: str
    trace: ObligationTrace
    #: the SHACL result's own terms, for the RDF report: focus node, value, constraint component
    focus: Node | None = None
    value_node: Node | None = None
    component: str = ""

    def sort_key(self) -> tuple[object, ...]:
        element = self.trace.elements[0].notation if self.trace.elements else ""
        return (self.policy, natural_key(element), natural_key(self.trace.obligation.notation), self.shape, self.value)


@dataclass
class PolicyReport:
    policy: str
    title: str
    origin: PolicyOrigin
    profile: Profile
    findings: list[Finding] = field(default_factory=list)
    #: what the input cannot mean as written, or that nothing was checked (see input_checks)
    input_findings: list[InputFinding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        """Findings of ``severity``, those on the input included."""
        return sum(1 for f in (*self.findings, *self.input_findings) if f.severity == severity)

    @property
    def conforms(self) -> bool:
        """No finding of any kind (SHACL's sense of "conforms")."""
        return not self.findings and not self.input_findings


@dataclass
class Report:
    """The result of validating one or more policies."""

    policies: list[PolicyReport]
    warnings: list[str]
    traces: dict[str, ObligationTrace]

    @property
    def findings(self) -> list[Finding]:
        return [f for p in self.policies for f in p.findings]

    @property
    def input_findings(self) -> list[InputFinding]:
        return [f for p in self.policies for f in p.input_findings]

    @property
    def conforms(self) -> bool:
        return all(p.conforms for p in self.policies)

    def count(self, severity: str) -> int:
        return sum(p.count(severity) for p in self.policies)

    def fails(self, fail_on: str) -> bool:
        """Whether any finding (input findings included) is at or above ``fail_on`` (violation > warning > info)."""
        if fail_on == "none":
            return False
        levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        return any(f.severity in levels for f in (*self.findings, *self.input_findings))


@dataclass(frozen=True)
class Engine:
    """Shapes, background and traces, loaded once and reused for every policy."""

    ontology: Graph
    shapes: Graph
    background: Graph
    traces: dict[str, ObligationTrace]
    #: shape IRI -> obligation IRI it checks
    checks: dict[str, str]
    fixes: dict[str, str]
    #: shape IRI -> its sh:message, and its sh:path as a reader sees it
    messages: dict[str, str]
    paths: dict[str, str]


@lru_cache(maxsize=1)
def engine() -> Engine:
    """The shipped shapes and ontology, parsed once per process."""
    ontology = load_ontology().graph
    shapes = Graph()
    with shipped_path("shapes") as folder:
        for path in sorted((folder / POLICY_SHAPES_DIR).glob("*.ttl")):
            parse_into(shapes, path)
    background = Graph()
    with shipped_path("ontology") as folder:
        extract = Graph()
        parse_into(extract, folder / BACKGROUND_FILE)
    for triple in extract.triples((None, SKOS.broader, None)):
        background.add(triple)
    checks = {str(s): str(o) for s, o in shapes.subject_objects(RSF.checks)}
    fixes = {str(s): str(o) for s, o in shapes.subject_objects(RSF.fixHint)}
    messages = {shape: str(shapes.value(URIRef(shape), SH.message) or "") for shape in checks}
    paths = {shape: render_path(shapes, shapes.value(URIRef(shape), SH.path), shapes) for shape in checks}
    return Engine(ontology, shapes, background, build_traces(ontology), checks, fixes, messages, paths)


def run_shapes(data: Graph, shapes: Graph | None = None) -> Graph:
    """Run the policy shapes (or ``shapes``) over ``data`` plus the background; the SHACL report graph."""
    merged = Graph()
    for triple in data:
        merged.add(triple)
    return _run_pyshacl(merged, shapes if shapes is not None else engine().shapes)


def _run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    """pySHACL over ``data``, to which the background is added (so ``data`` must be a copy of the user's).

    The background goes into the data rather than into pySHACL's
    ``ont_graph``: without inference pySHACL copies only RDFS/OWL axioms from
    ``ont_graph``, and the shapes need DPV's ``skos:broader`` links.
    """
    for triple in engine().background:
        data.add(triple)
    _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_infos=True, allow_warnings=True)
    return results


def targeted_shapes(targets: dict[str, set[Node]]) -> Graph:
    """The policy shapes with each shape aimed (sh:targetNode) only at the policies whose profile asks it.

    Without this every shape runs on every policy and pySHACL spends most of
    its time building results that the profiles then drop; the findings are
    the same either way.
    """
    eng = engine()
    shapes = Graph()
    for triple in eng.shapes:
        shapes.add(triple)
    for shape in eng.checks:
        shapes.remove((URIRef(shape), SH.targetClass, RSF.DataSharingPolicy))
        for policy in targets.get(shape, ()):
            shapes.add((URIRef(shape), SH.targetNode, policy))
    return shapes


#: files per batch: one pySHACL run, and the unit of work of a worker process
BATCH_FILES = 200
#: files that --per-graph reads as a stream of named graphs
STREAMED_SUFFIXES = (".nq", ".nquads", ".trig")


def validate(
    arguments: list[str],
    *,
    roles: list[str] | None = None,
    access_model: str | None = None,
    max_mb: float | None = None,
    stdin_format: str = "turtle",
    jobs: int = 1,
    batch_files: int = BATCH_FILES,
    progress: Callable[[int], None] | None = None,
    shacl_engine: str = "pyshacl",
    per_graph: bool = False,
    source_layer: str = "all",
) -> Report:
    """Validate the policies in ``arguments`` (files, folders, ``-`` for stdin).

    ``roles`` and ``access_model`` (IRI, notation or label) override what each
    policy states about itself. Many files are validated in batches of
    ``batch_files``, so memory is bounded by a batch, not by the collection;
    with ``jobs`` > 1 the batches run in that many worker processes. Findings
    are the same either way; a policy must then be written within one batch
    (files are read together only within a batch). With ``per_graph``,
    N-Quads and TriG files are read as a stream, ``batch_files`` named graphs
    per batch (see :func:`~responsible_sharing.policy_input.stream_graphs`).
    ``progress`` is called with the number of files (or graphs) done after
    each batch. ``source_layer`` is ``"all"`` (obligations stated in the
    Framework or in the GA4GH policies) or ``"framework"`` (the Framework's
    own text only). Raises an :class:`~responsible_sharing.errors.RsfError` for
    input that cannot be validated.
    """
    options: dict[str, object] = {"stdin_format": stdin_format, "require_policy": False}
    if max_mb is not None:
        options["max_mb"] = max_mb
    batches = _batches(arguments, batch_files, per_graph, max_mb)
    first = list(islice(batches, 2))  # one batch is validated here: starting workers would cost more
    work = ((batch, options, roles, access_model, shacl_engine, source_layer) for batch in chain(first, batches))
    parts: list[tuple[list[PolicyReport], list[str], list[str]]] = []
    shared: dict[tuple, Profile] = {}
    parallel = jobs > 1 and len(first) > 1
    with _worker_pool(jobs) if parallel else nullcontext() as pool:
        if pool is None:
            results: Iterator[tuple] = ((item, _validate_batch(item)) for item in work)
        else:
            results = _in_order(pool, _validate_batch, work, window=2 * jobs)
        for (batch, *_), (reports, notes, sources) in results:
            parts.append((_share(reports, shared), notes, sources))
            if progress:
                progress(_size(batch))
    policies = [p for part in parts for p in part[0]]
    warnings = sorted({w for part in parts for w in part[1]})
    require_policies({p.policy: p for p in policies}, [s for part in parts for s in part[2]], warnings)
    seen: dict[str, str] = {}
    for p in policies:
        if p.policy in seen and seen[p.policy] != p.origin.source:
            warnings.append(f"{p.policy} is described in {seen[p.policy]} and {p.origin.source}, which were "
                            "validated in different batches; validate those files together (or raise --batch-files)")
        seen.setdefault(p.policy, p.origin.source)
    policies.sort(key=lambda r: (r.origin.source, r.origin.line or 0, r.policy))
    return Report(policies, warnings, engine().traces)


Batch = list[str | GraphChunk]


def _batches(arguments: list[str], batch_files: int, per_graph: bool, max_mb: float | None) -> Iterator[Batch]:
    """Files in batches of ``batch_files``; with ``per_graph``, each chunk of a quad file is a batch of its own."""
    sources = expand_paths(arguments)
    streamed = {s for s in sources if per_graph and s != STDIN and Path(s).suffix.lower() in STREAMED_SUFFIXES}
    files = [s for s in sources if s not in streamed]
    if not files and not streamed:
        yield []
    for start in range(0, len(files), batch_files):
        yield list(files[start : start + batch_files])
    for path in sorted(streamed):
        for chunk in stream_graphs(path, batch_files, DEFAULT_MAX_MB if max_mb is None else max_mb):
            yield [chunk]


def _size(batch: Batch) -> int:
    return sum(item.graphs if isinstance(item, GraphChunk) else 1 for item in batch)


#: how often a worker checks that its parent is still there
_PARENT_CHECK_SECONDS = 0.5


@contextmanager
def _worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """``jobs`` worker processes that never outlive the run.

    On any exception, Ctrl-C and SIGTERM included, the workers are
    terminated; ``ProcessPoolExecutor``'s own exit would wait for every
    batch already handed out, minutes after the user asked to stop.
    """
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker)
    try:
        yield pool
        pool.shutdown()
    except BaseException:
        workers = list((pool._processes or {}).values())  # Python 3.14's pool.terminate_workers() does this
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join()
        raise


def _start_worker() -> None:
    """Set up a worker: it leaves Ctrl-C and hangups to the parent, which stops it, and dies on SIGTERM.

    Ctrl-C and a closed terminal signal every process of the terminal's
    group; only the parent answers them. SIGTERM gets back its default action
    in case the worker was forked with the parent's handler. A parent killed
    outright (SIGKILL, the out-of-memory killer) cannot stop its workers, so
    each worker watches its parent and stops when it is gone.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_stop_without, args=(os.getppid(),), daemon=True).start()
    engine()


def _stop_without(parent: int) -> None:
    """Stop this worker once ``parent`` is gone (the worker is then adopted by another process)."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


def _in_order(pool: ProcessPoolExecutor, function: Callable, items: Iterator, window: int) -> Iterator[tuple]:
    """(item, function(item)) in the order of ``items``, with at most ``window`` items in flight.

    ``ProcessPoolExecutor.map`` would take every item at once; bounded, a
    streamed input is read only as fast as the workers validate it.
    """
    pending: deque = deque()
    for item in items:
        pending.append((item, pool.submit(function, item)))
        if len(pending) >= window:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


def _share(policies: list[PolicyReport], profiles: dict[tuple, Profile]) -> list[PolicyReport]:
    """Make the policies of a batch share one trace per obligation and one object per distinct profile.

    A batch from a worker process arrives with its own copies of both; kept
    as they are, tens of thousands of policies would hold as many copies of
    the same few dozen traces and profiles.
    """
    traces = engine().traces
    for report in policies:
        prof = report.profile
        key = (prof.roles, prof.roles_from, prof.access_models, prof.access_model_from, prof.applicable,
               tuple(prof.excluded.items()), tuple(prof.delegated.items()), prof.source_layer)
        report.profile = profiles.setdefault(key, prof)
        report.findings = [f if f.trace is traces[f.trace.obligation.iri] else replace(f, trace=traces[f.trace.obligation.iri])
                           for f in report.findings]
    return policies


def _validate_batch(
    item: tuple[Batch, dict, list[str] | None, str | None, str, str],
) -> tuple[list[PolicyReport], list[str], list[str]]:
    sources, options, roles, access_model, shacl_engine, source_layer = item
    data = read_policies(sources, **options)  # type: ignore[arg-type]
    if not data.policies:
        return [], data.warnings, data.sources
    report = validate_input(data, roles=roles, access_model=access_model, shacl_engine=shacl_engine,
                            source_layer=source_layer)
    return report.policies, report.warnings, data.sources


@dataclass(frozen=True)
class RawResult:
    """A top-level SHACL result as any engine gives it, before profiles and traces."""

    focus: Node
    shape: str
    severity: URIRef
    value: Node | None
    component: str


#: policies checked by one pySHACL run: its report text grows with the square of the results, so a file of
#: thousands of policies with many findings each is checked a group at a time
PYSHACL_GROUP = 50


def _pyshacl_results(data: PolicyInput, targets: dict[str, set[Node]]) -> list[RawResult]:
    graph = data.to_graph()
    policies = sorted({p for nodes in targets.values() for p in nodes}, key=str)
    groups = [set(policies[start : start + PYSHACL_GROUP]) for start in range(0, len(policies), PYSHACL_GROUP)]
    found: list[RawResult] = []
    for group in groups or [set()]:
        aimed = {shape: nodes & group for shape, nodes in targets.items()}
        found.extend(_pyshacl_group(graph, aimed))
    return found


def _pyshacl_group(graph: Graph, targets: dict[str, set[Node]]) -> list[RawResult]:
    results = _run_pyshacl(graph, targeted_shapes(targets))
    # only the report's own results: pySHACL also types the nested sh:detail results
    return [
        RawResult(
            focus=results.value(r, SH.focusNode),  # type: ignore[arg-type]
            shape=str(results.value(r, SH.sourceShape)),
            severity=results.value(r, SH.resultSeverity),  # type: ignore[arg-type]
            value=results.value(r, SH.value),
            component=str(results.value(r, SH.sourceConstraintComponent) or ""),
        )
        for r in results.objects(None, SH.result)
    ]


def _rudof_term(text: str | None, names: NamespaceManager) -> Node | None:
    """pyrudof's plain-string terms: IRIs bare, blank nodes as _:label, literals in Turtle form."""
    if text is None:
        return None
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        return from_n3(text, nsm=names)
    return URIRef(text)


@lru_cache(maxsize=1)
def _rudof_untargeted() -> str:
    """The policy shapes as N-Triples, without the targets of the shapes that check obligations."""
    return targeted_shapes({}).serialize(format="nt")


def _rudof_shapes(targets: dict[str, set[Node]]) -> str:
    """As :func:`targeted_shapes`, written as N-Triples without building a graph.

    A shape aimed at a policy without an IRI keeps its class target: a blank
    node in the shapes graph would not name the one in the data. The profiles
    drop what it finds on the other policies.
    """
    lines = [_rudof_untargeted()]
    for shape, policies in sorted(targets.items()):
        if any(isinstance(p, BNode) for p in policies):
            lines.append(f"<{shape}> <{SH.targetClass}> <{RSF.DataSharingPolicy}> .\n")
        else:
            lines.extend(f"<{shape}> <{SH.targetNode}> <{policy}> .\n" for policy in sorted(policies))
    return "".join(lines)


@lru_cache(maxsize=1)
def _rudof_background() -> str:
    return engine().background.serialize(format="nt")


def _pyrudof_results(data: PolicyInput, targets: dict[str, set[Node]]) -> list[RawResult]:
    """pyrudof reads the policies as N-Triples straight from the store: they never become an rdflib graph."""
    try:
        import pyrudof
    except ImportError:
        raise UsageError("--engine pyrudof needs the pyrudof package: pip install 'responsible-sharing[fast]'") from None
    session = pyrudof.Rudof(pyrudof.RudofConfig())
    session.read_shacl(_rudof_shapes(targets), format=pyrudof.ShaclFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    triples = data.ntriples().decode("utf-8") + _rudof_background()
    session.read_data(triples, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    report = session.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
    names = NamespaceManager(Graph(), bind_namespaces="core")
    with literals_as_written(), quiet_literal_warnings():  # a value as written, as pySHACL reports it
        return [
            RawResult(
                focus=_rudof_term(e.focus_node, names),  # type: ignore[arg-type]
                shape=str(e.source_shape),
                severity=SH[str(e.severity)],
                value=_rudof_term(e.value, names),
                component=str(e.constraint_component or ""),
            )
            for e in report.violations
        ]


#: SHACL engines: pySHACL is the reference; pyrudof is offered because it gives the same findings
SHACL_ENGINES: dict[str, Callable[[PolicyInput, dict[str, set[Node]]], list[RawResult]]] = {"pyshacl": _pyshacl_results, "pyrudof": _pyrudof_results}


def validate_input(
    data: PolicyInput,
    *,
    roles: list[str] | None = None,
    access_model: str | None = None,
    shacl_engine: str = "pyshacl",
    source_layer: str = "all",
) -> Report:
    """Validate policies already read with :func:`read_policies`."""
    if source_layer not in SOURCE_CHOICES:
        raise UsageError(f"unknown source layer {source_layer!r}; choose one of: {', '.join(SOURCE_CHOICES)}")
    eng = engine()
    role_iris = [URIRef(resolve_term(eng.ontology, r, (RSF.ActorRole,)).iri) for r in roles or []]
    model_iri = URIRef(resolve_term(eng.ontology, access_model, (RSF.AccessModel,)).iri) if access_model else None
    reports: dict[Node, PolicyReport] = {}
    data.apply_tiers()
    check_profile_terms(eng.ontology, data, lambda node: _source_of(data, node))
    with literals_as_written(), quiet_literal_warnings():
        problems = find_problems(eng.ontology, data.store)
    drop_ill_typed(data.store, problems)
    warnings = list(data.warnings)
    unnamed: dict[str, int] = {}
    for policy, origin in data.policies.items():
        if isinstance(policy, BNode):
            unnamed[origin.source] = unnamed.get(origin.source, 0) + 1
        profile = build_profile(eng.ontology, eng.traces, data, policy, roles=role_iris, access_model=model_iri,
                                source_layer=source_layer)
        ordinal = unnamed.get(origin.source, 0)
        reports[policy] = PolicyReport(_node_id(policy, origin, ordinal), _title(data, policy), origin, profile)
    targets: dict[str, set[Node]] = {}
    for policy, report in reports.items():
        asked = set(report.profile.applicable)
        for shape, obligation in eng.checks.items():
            if obligation in asked:
                targets.setdefault(shape, set()).add(policy)
    raw = SHACL_ENGINES[shacl_engine](data, targets)
    for result in raw:
        obligation = eng.checks.get(result.shape)
        report = reports.get(result.focus)
        if report is None or obligation is None or obligation not in report.profile.applicable:
            continue
        finding = Finding(
            policy=report.policy,
            source=report.origin.source,
            line=report.origin.line,
            severity=_SEVERITY_NAME[result.severity],
            message=eng.messages[result.shape],
            shape=result.shape,
            path=eng.paths[result.shape],
            value=_render_value(data.namespace_manager, result.value),
            fix=eng.fixes.get(result.shape, ""),
            trace=eng.traces[obligation],
            focus=result.focus,
            value_node=result.value,
            component=result.component,
        )
        report.findings.append(finding)
    warnings += _input_findings(data, reports, problems, set(eng.checks.values()))
    ordered = sorted(reports.values(), key=lambda r: (r.origin.source, r.origin.line or 0, r.policy))
    for report in ordered:
        report.findings = sorted(set(report.findings), key=Finding.sort_key)
        report.input_findings = sorted(set(report.input_findings), key=InputFinding.sort_key)
    return Report(ordered, sorted(set(warnings)), eng.traces)


def _source_of(data: PolicyInput, node: Node) -> str:
    """The file a node is read from: that of the policies that reach it, else every file read."""
    found = owners(data.store, node, data.policies)
    sources = [data.policies[p].source for p in found] or data.sources
    return ", ".join(dict.fromkeys(sources))


def _input_findings(data: PolicyInput, reports: dict[Node, PolicyReport], problems: list[Problem],
                    checked: set[str]) -> list[str]:
    """Put each input problem on the policies that reach it; the warnings for those no policy reaches."""
    names = data.namespace_manager
    warnings: list[str] = []
    # a tiered policy's own statements are reported through each tier's inherited copy, once
    parents = {r.origin.tier_of for r in reports.values() if r.origin.tier_of}
    for problem in problems:
        if isinstance(problem.subject, URIRef) and str(problem.subject) in parents \
                or isinstance(problem.subject, BNode) and f"_:{problem.subject}" in parents:
            continue
        found = owners(data.store, problem.subject, reports)
        if not found:
            warnings.append(f"{', '.join(dict.fromkeys(data.sources))}: on {render_node(names, problem.subject)}, "
                            f"which no policy reaches: {problem.message} ({problem.fix})")
        for policy in found:
            report = reports[policy]
            report.input_findings.append(InputFinding(
                policy=report.policy, source=report.origin.source, line=report.origin.line, check=problem.check,
                severity=CHECKS[problem.check].severity, message=problem.message, fix=problem.fix,
                subject=render_node(names, problem.subject), path=render_node(names, problem.predicate),
                value=render_node(names, problem.value), focus=problem.subject, predicate=problem.predicate,
                value_node=problem.value))
    for policy, report in reports.items():
        if nothing_checked(report.profile.applicable, checked):
            report.input_findings.append(InputFinding(
                policy=report.policy, source=report.origin.source, line=report.origin.line, check="nothing-checked",
                severity=CHECKS["nothing-checked"].severity,
                message=f"No obligation that rsf can check applies to this policy's profile "
                        f"({report.profile.summary()}; {len(report.profile.applicable)} apply, "
                        f"{len(report.profile.excluded)} left out), so nothing was checked and the report cannot "
                        "say the policy conforms",
                fix="check the policy's rsf:issuerRole and rsf:accessModel (and --role, --access-model, --sources): "
                    "the profile above says why each obligation was left out; `rsf explain ActorRole` lists the roles",
                subject=render_node(names, policy), path="", value="", focus=policy))
    return warnings


def _node_id(node: Node, origin: PolicyOrigin, ordinal: int) -> str:
    if isinstance(node, BNode):
        return f"[unnamed policy {ordinal} in {origin.source}]"
    return str(node)


def _title(data: PolicyInput, policy: Node) -> str:
    titles = sorted(str(t) for t in data.objects(policy, DCTERMS.title))
    return titles[0] if titles else ""


def _compact(names: NamespaceManager, node: Node) -> str:
    try:
        return names.normalizeUri(node)  # type: ignore[arg-type]
    except Exception:
        return f"<{node}>"


def render_path(shapes: Graph, path: Node | None, results: Graph) -> str:
    """A SHACL property path as a reader sees it, e.g. ``rsf:riskAssessment / rsf:reviewInterval``."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _compact(shapes.namespace_manager, path)
    graph = results if (path, None, None) in results else shapes
    if (path, RDF.first, None) in graph:
        return " / ".join(render_path(shapes, p, graph) for p in Collection(graph, path))
    for kind, template in ((SH.alternativePath, "({})"), (SH.zeroOrMorePath, "{}*"),
                           (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?"), (SH.inversePath, "^{}")):
        inner = graph.value(path, kind)
        if inner is not None:
            if kind == SH.alternativePath:
                return template.format(" | ".join(render_path(shapes, p, graph) for p in Collection(graph, inner)))
            return template.format(render_path(shapes, inner, graph))
    return "[path]"


def _render_value(names: NamespaceManager, value: Node | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, BNode):
        return "[a node without an IRI]"
    return _compact(names, value)


__all__ = ["Finding", "PolicyReport", "Report", "SEVERITIES", "engine", "read_policies", "validate", "validate_input"]
