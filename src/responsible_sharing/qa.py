"""`rsf ontology check`: is the ontology consistent, complete and traceable?

Three independent checks, each defined in data rather than code:

1. HermiT (through owlready2): the ontology is consistent and no class is
   unsatisfiable;
2. the SHACL rules of ``shapes/ontology-qa.ttl``, run over the ontology itself;
3. the stored queries ``queries/qa-*.rq``: each row a query returns is a
   finding at the query's ``level``. A query runs over the ontology, plus what
   its header's ``data`` line names besides: ``shapes`` (every
   ``shapes/**/*.ttl``), ``external`` (the offline extracts in the ontology
   folder's ``external/``).

The shapes and queries are the shipped ones, or a working copy's
(:class:`QAData`), so that a shape or rule being written is checked with the
ontology it belongs to. A level profile (:func:`read_level_profile`, the idea
of ROBOT's ``report --profile``) lets an ontologist change a rule's level or
ignore it.
"""

from __future__ import annotations

import dataclasses
import difflib
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from . import queries
from .namespaces import RSFSH
from .ontology import LoadedOntology, load_ontology, term_name
from .reasoner import ReasonerResult, run_hermit
from .rdfio import parse_into
from .errors import InputError
from .resources import data_dir, shipped_path, working_copy

QA_SHAPES_FILE = "ontology-qa.ttl"
_LEVEL_BY_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
#: levels at which `rsf ontology check` reports the ontology as not clean
FAILING_LEVELS = ("error", "warning")
#: the levels a profile may give a rule; "ignore" drops its findings
PROFILE_LEVELS = ("error", "warning", "info", "ignore")
#: rules that are not QA shapes or queries
_BUILT_IN_RULES = ("catalog", "consistency", "satisfiability")


@dataclass(frozen=True)
class QAData:
    """The shapes and QA queries a check reads: a working copy's folders, or the shipped ones (``None``)."""

    shapes: Path | None = None
    queries: Path | None = None

    @classmethod
    def of_working_copy(cls, root: Path) -> QAData:
        folders = working_copy(root)
        return cls(shapes=folders["shapes"], queries=folders["queries"])

    def qa_shapes(self) -> Graph:
        if self.shapes is None:
            return Graph().parse(data=(data_dir("shapes") / QA_SHAPES_FILE).read_bytes(), format="turtle")
        return parse_into(Graph(), self.shapes / QA_SHAPES_FILE)

    def policy_shape_files(self) -> list[Path]:
        """Every shapes file but the QA shapes (which check the ontology, not policies)."""
        with nullcontext(self.shapes) if self.shapes is not None else shipped_path("shapes") as folder:
            return sorted(p for p in folder.rglob("*.ttl") if p.name != QA_SHAPES_FILE)

    def qa_queries(self) -> list[queries.StoredQuery]:
        if self.queries is None:
            return [queries.stored_query(name) for name in queries.stored_query_names(prefix="qa-")]
        found = []
        for path in sorted(self.queries.glob("qa-*.rq")):
            text = path.read_text(encoding="utf-8")
            found.append(queries.StoredQuery(name=path.stem, text=text, header=queries.parse_header(text)))
        return found


@dataclass(frozen=True, order=True)
class QAFinding:
    level: str
    term: str
    rule: str
    message: str
    check: str = ""
    rule_label: str = ""
    term_name: str = ""
    file: str = ""


@dataclass
class QAReport:
    ontology: LoadedOntology
    reasoner: ReasonerResult | None
    findings: list[QAFinding] = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(1 for finding in self.findings if finding.level == level)

    @property
    def clean(self) -> bool:
        return not any(finding.level in FAILING_LEVELS for finding in self.findings)


def check_ontology(directory: Path | None = None, *, reasoner: bool = True, data: QAData | None = None,
                   levels: dict[str, str] | None = None) -> QAReport:
    """Run every ontology check; ``directory`` defaults to the shipped ontology, ``data`` to the shipped
    shapes and QA queries. ``levels`` (rule -> level, see :func:`read_level_profile`) overrides rules' levels."""
    data = data or QAData()
    loaded = load_ontology(directory)
    report = QAReport(ontology=loaded, reasoner=run_hermit(loaded.graph) if reasoner else None)
    report.findings.extend(_import_findings(loaded))
    if report.reasoner is not None:
        report.findings.extend(_reasoner_findings(loaded, report.reasoner))
    report.findings.extend(_shacl_findings(loaded, data.qa_shapes()))
    report.findings.extend(_query_findings(loaded, data))
    if levels:
        report.findings = [dataclasses.replace(f, level=levels.get(f.rule, f.level)) for f in report.findings]
        report.findings = [f for f in report.findings if f.level != "ignore"]
    report.findings.sort()
    return report


def qa_rules(data: QAData | None = None) -> list[str]:
    """The names of every QA rule: the built-in checks, the QA shapes' rules and the QA queries."""
    data = data or QAData()
    shapes = data.qa_shapes()
    named = {str(s).removeprefix(str(RSFSH)) for kind in (SH.NodeShape, SH.PropertyShape)
             for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return sorted(set(_BUILT_IN_RULES) | named | {q.name for q in data.qa_queries()})


def read_level_profile(path: Path, rules: list[str]) -> dict[str, str]:
    """A level profile: one ``LEVEL RULE`` pair a line (``#`` starts a comment), as ROBOT's report profiles.

    Raises :class:`InputError` naming the file and line of an unknown level or rule.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the level profile ({getattr(err, 'strerror', None) or err})") from None
    levels: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 2:
            raise InputError(f"{path}:{number}: expected a level and a rule name, e.g. `warning qa-term-definition`")
        level, rule = words[0].lower(), words[1]
        if level not in PROFILE_LEVELS:
            raise InputError(f"{path}:{number}: unknown level {words[0]!r}; use one of {', '.join(PROFILE_LEVELS)}")
        if rule not in rules:
            close = difflib.get_close_matches(rule, rules, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise InputError(f"{path}:{number}: no QA rule named {rule!r}; {hint}`rsf ontology check --list-rules` lists them")
        levels[rule] = level
    return levels


def _finding(loaded: LoadedOntology, term: Node, **fields: str) -> QAFinding:
    file = loaded.defined_in.get(term) if isinstance(term, URIRef) else None
    return QAFinding(
        term=str(term) if isinstance(term, URIRef) else "",
        term_name=term_name(loaded.graph, term),
        file=file.name if file else "",
        **fields,
    )


def _import_findings(loaded: LoadedOntology) -> list[QAFinding]:
    return [
        QAFinding(
            level="error",
            term=iri,
            term_name=iri,
            rule="catalog",
            rule_label="every import resolves to a shipped file",
            check="catalog",
            message="this owl:imports IRI has no entry in catalog-v001.xml; it was not fetched",
        )
        for iri in loaded.unresolved_imports
    ]


def _reasoner_findings(loaded: LoadedOntology, result: ReasonerResult) -> list[QAFinding]:
    if not result.consistent:
        said = f" HermiT says: {result.explanation}" if result.explanation else ""
        return [
            QAFinding(
                level="error",
                term="",
                term_name="the ontology",
                rule="consistency",
                rule_label="HermiT finds the ontology consistent",
                check="reasoner",
                message=(
                    "is inconsistent: no model satisfies its axioms. Look for a term typed with two "
                    "disjoint classes, often through a property value outside the property's range "
                    f"(such as a principle given as an obligation's bearer).{said}"
                ),
            )
        ]
    return [
        _finding(
            loaded,
            URIRef(iri),
            level="error",
            rule="satisfiability",
            rule_label="HermiT finds no unsatisfiable class",
            check="reasoner",
            message="is unsatisfiable: no individual can be a member of this class",
        )
        for iri in result.unsatisfiable
    ]


def _rule_shape(shapes: Graph, shape: Node) -> Node:
    """The nearest IRI-named shape: a property shape's parent if it is anonymous."""
    if isinstance(shape, URIRef):
        return shape
    parent = shapes.value(None, SH.property, shape)
    return parent if parent is not None else shape


def _shacl_findings(loaded: LoadedOntology, shapes: Graph) -> list[QAFinding]:
    _, results, _ = shacl_validate(loaded.graph, shacl_graph=shapes, inference="none")
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        rule = _rule_shape(shapes, results.value(result, SH.sourceShape))
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        findings.append(
            _finding(
                loaded,
                focus,
                level=_LEVEL_BY_SEVERITY.get(results.value(result, SH.resultSeverity), "error"),
                rule=str(rule).removeprefix(str(RSFSH)),
                rule_label=str(shapes.value(rule, RDFS.label) or ""),
                check="shacl",
                message=_shorten(loaded.graph, messages[0] if messages else "does not satisfy the rule"),
            )
        )
    return findings


def _shorten(graph: Graph, message: str) -> str:
    """Write full IRIs in a message as prefixed names."""
    for prefix, namespace in sorted(graph.namespaces(), key=lambda pn: -len(str(pn[1]))):
        if prefix:
            message = message.replace(str(namespace), f"{prefix}:")
    return message


#: what a word of a QA query's ``data`` header adds to the ontology the query always runs on
QUERY_DATA = ("ontology", "shapes", "external")


def query_data(loaded: LoadedOntology, needs: str, data: QAData | None = None) -> Graph:
    """The data a QA query runs on: the ontology, plus the policy shapes and/or extracts ``needs`` names."""
    words = set(needs.replace(",", " ").split())
    unknown = words - set(QUERY_DATA)
    if unknown:
        raise ValueError(f"unknown data {sorted(unknown)} in a QA query header; known: {', '.join(QUERY_DATA)}")
    if not words - {"ontology"}:
        return loaded.graph
    graph = Graph()
    for triple in loaded.graph:
        graph.add(triple)
    if "shapes" in words:
        for path in (data or QAData()).policy_shape_files():
            parse_into(graph, path)
    if "external" in words:
        for path in sorted((loaded.directory / "external").glob("*.ttl")):
            parse_into(graph, path)
    return graph


def _query_findings(loaded: LoadedOntology, data: QAData) -> list[QAFinding]:
    findings = []
    graphs: dict[str, Graph] = {}
    for query in data.qa_queries():
        needs = query.header.get("data", "")
        if needs not in graphs:
            graphs[needs] = query_data(loaded, needs, data)
        for row in graphs[needs].query(query.text):
            value = row.value
            findings.append(
                _finding(
                    loaded,
                    row.entity,
                    level=query.level or "error",
                    rule=query.name,
                    rule_label=query.title,
                    check="sparql",
                    message=_shorten(loaded.graph, str(value) if isinstance(value, Literal) else f"{row.property} {value}"),
                )
            )
    return findings


def render_text(report: QAReport) -> str:
    """The report as a person reads it."""
    loaded = report.ontology
    lines = [
        f"Ontology check: {loaded.directory}",
        f"  {len(loaded.files)} modules, {len(loaded.graph)} triples merged through {loaded.directory.name}/catalog-v001.xml",
        "",
    ]
    if report.reasoner is None:
        lines.append("Reasoner (HermiT): skipped (--no-reasoner)")
    elif not report.reasoner.consistent:
        lines.append("Reasoner (HermiT): INCONSISTENT")
    else:
        unsat = len(report.reasoner.unsatisfiable)
        lines.append(f"Reasoner (HermiT): consistent; {unsat or 'no'} unsatisfiable class{'es' if unsat != 1 else ''}")
    by_check = {check: sum(1 for f in report.findings if f.check == check) for check in ("shacl", "sparql")}
    lines.append(f"Rules (SHACL, shapes/{QA_SHAPES_FILE}): {_plural(by_check['shacl'], 'finding')}")
    lines.append(f"Queries (queries/qa-*.rq): {_plural(by_check['sparql'], 'finding')}")
    for finding in report.findings:
        where = f" ({finding.file})" if finding.file else ""
        lines += [
            "",
            f"{finding.level.upper():7} {finding.term_name}{where}",
            f"        rule {finding.rule}: {finding.rule_label}",
            f"        {finding.message}",
        ]
    lines += [
        "",
        f"Result: {_plural(report.count('error'), 'error')}, {_plural(report.count('warning'), 'warning')}"
        + (" - clean" if report.clean else " - not clean"),
    ]
    return "\n".join(lines) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
