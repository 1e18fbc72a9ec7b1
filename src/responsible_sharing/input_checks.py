"""No silent passes: input that cannot mean what it says is an error or a finding.

The SHACL shapes check what a policy states; this module checks that what it
states can be read at all, for every statement in the input (whatever node it
is on, and whichever obligations the profile keeps):

* an ``rsf:issuerRole``, ``rsf:accessModel`` or ``rsf:delegatedObligation``
  value that is not a role, access model, obligation, core element or group of
  obligations of the ontology would silently change the profile, so it is an
  :class:`~responsible_sharing.errors.InputError` (exit 2) naming the file,
  the value and the nearest known terms (:func:`check_profile_terms`);
* a literal whose text is not in the lexical space of its datatype
  (``"yes"^^xsd:boolean``, ``"30 days"^^xsd:duration``, ``"P6W"``: XML Schema
  durations have no weeks) is a violation finding: the value means nothing;
* an IRI in the ``rsf:`` namespace that the ontology does not define (a
  misspelt property or class) is a warning finding naming the nearest term;
* a DUO or DPV IRI that the vocabulary does not define is a violation
  finding: the shipped DUO extract holds every DUO term, and
  ``ontology/external/dpv-terms.txt`` every DPV 2.2 term name;
* a policy to which no checked obligation applies is a violation finding
  (:func:`nothing_checked`): a report that checked nothing must not pass.

The lexical forms are those of XML Schema 1.1 Part 2, checked here in Python
rather than by ``sh:datatype`` so that the findings are the same whichever
SHACL engine runs, and on every property, not only those a shape looks at.
Everything is deterministic: findings are sorted, suggestions come from
:mod:`difflib` over sorted candidates.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS, XSD
from rdflib.term import Node

from .errors import InputError
from .namespaces import RSF, RSFSH
from .oxterms import from_ox
from .resources import shipped_path
from .terms import nearest

DUO_PREFIX = "http://purl.obolibrary.org/obo/DUO_"
DPV_NAMESPACE = "https://w3id.org/dpv#"
#: sub-namespaces of ours that are not ontology terms
_NOT_TERMS = (str(RSFSH), "https://w3id.org/rsf/queries/", "https://w3id.org/rsf/report-schema/")


@dataclass(frozen=True)
class Check:
    """One kind of input check: its identifier (SARIF rule, JSON ``check``), IRI, severity and fix."""

    id: str
    title: str
    severity: str

    @property
    def iri(self) -> str:
        return f"{RSFSH}input/{self.id}"


CHECKS = {c.id: c for c in (
    Check("ill-typed-literal", "A value is not a valid literal of its datatype", "violation"),
    Check("unknown-rsf-term", "A term in the rsf: namespace that the ontology does not define", "warning"),
    Check("unknown-duo-term", "A DUO IRI that the Data Use Ontology does not define", "violation"),
    Check("unknown-dpv-term", "A DPV IRI that the Data Privacy Vocabulary does not define", "violation"),
    Check("nothing-checked", "No checked obligation applies to the policy", "violation"),
)}


@dataclass(frozen=True)
class Problem:
    """Something in the input that cannot mean what it says, before it is tied to a policy."""

    check: str
    subject: Node
    predicate: URIRef
    value: Node
    message: str
    fix: str
    #: the statement as it is in the store (to drop an ill-typed one before the shapes run)
    quad: ox.Quad | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class InputFinding:
    """A :class:`Problem` reported on one policy (or a policy checked against nothing)."""

    policy: str
    source: str
    line: int | None
    check: str
    severity: str
    message: str
    fix: str
    #: the node the statement is on, its property and value, as a reader sees them
    subject: str
    path: str
    value: str
    focus: Node | None = None
    predicate: URIRef | None = None
    value_node: Node | None = None

    @property
    def rule(self) -> str:
        return f"input-{self.check}"

    @property
    def title(self) -> str:
        return CHECKS[self.check].title

    @property
    def iri(self) -> str:
        return CHECKS[self.check].iri

    def sort_key(self) -> tuple[object, ...]:
        return (self.policy, self.check, self.subject, self.path, self.value)


# ---------------------------------------------------------------------------
# Lexical forms (XML Schema 1.1 Part 2)
# ---------------------------------------------------------------------------

_TZ = r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?([1-9]\d{3,}|0\d{3})"
_DATE = re.compile(rf"{_YEAR}-(\d\d)-(\d\d){_TZ}")
_DATETIME = re.compile(rf"{_YEAR}-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?{_TZ}")
_PATTERNS = {
    XSD.boolean: re.compile(r"true|false|1|0"),
    XSD.integer: re.compile(r"[+-]?\d+"),
    XSD.int: re.compile(r"[+-]?\d+"),
    XSD.long: re.compile(r"[+-]?\d+"),
    XSD.nonNegativeInteger: re.compile(r"(\+?\d+|-0+)"),
    XSD.positiveInteger: re.compile(r"\+?0*[1-9]\d*"),
    XSD.decimal: re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD.double: re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN"),
    XSD.float: re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN"),
    XSD.duration: re.compile(r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"),
    XSD.dayTimeDuration: re.compile(r"-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"),
    XSD.yearMonthDuration: re.compile(r"-?P(?=\d)(\d+Y)?(\d+M)?"),
    XSD.gYear: re.compile(rf"{_YEAR}{_TZ}"),
}
_HINTS = {
    XSD.boolean: "write true or false (in JSON-LD, true or false without quotes)",
    XSD.duration: 'write an ISO 8601 duration such as "P30D" (30 days), "PT72H" (72 hours) or "P10Y"; '
                  "XML Schema durations have no weeks, so six weeks is P42D, not P6W",
    XSD.date: 'write the date as YYYY-MM-DD, e.g. "2025-01-15"',
    XSD.dateTime: 'write the date and time as YYYY-MM-DDThh:mm:ss, e.g. "2025-01-15T09:30:00Z"',
}


def _valid_date(match: re.Match[str]) -> bool:
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if not 1 <= month <= 12:
        return False
    leap = calendar.isleap(abs(year)) if year != 0 else True
    days = 29 if month == 2 and leap else calendar.monthrange(2001, month)[1]
    return 1 <= day <= days


def well_typed(lexical: str, datatype: str) -> bool | None:
    """Whether ``lexical`` is in the lexical space of ``datatype``; None for a datatype not checked here."""
    text = " ".join(lexical.split())  # XML Schema collapses white space before reading these types
    dt = URIRef(datatype)
    if dt == XSD.date:
        match = _DATE.fullmatch(text)
        return bool(match) and _valid_date(match)  # type: ignore[arg-type]
    if dt == XSD.dateTime:
        match = _DATETIME.fullmatch(text)
        if not match or not _valid_date(match):
            return False
        hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6))
        midnight = hour == 24 and minute == 0 and second == 0 and not (match.group(7) or "").strip(".0")
        return (hour < 24 or midnight) and minute < 60 and second < 60
    pattern = _PATTERNS.get(dt)
    return None if pattern is None else bool(pattern.fullmatch(text))


# ---------------------------------------------------------------------------
# What the ontology and the vocabularies define
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The names rsf knows: our own terms, DUO's and DPV's."""

    rsf: dict[str, URIRef]
    #: lower-cased local name, label or notation -> the rsf term it names
    rsf_names: dict[str, str]
    duo: frozenset[str]
    dpv: frozenset[str]


@lru_cache(maxsize=4)
def vocabulary(ontology: Graph) -> Vocabulary:
    defined = {str(s): s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(RSF))}
    names: dict[str, str] = {}
    for iri in sorted(defined):
        local = iri[len(str(RSF)):]
        names.setdefault(local.lower(), iri)
        for prop in (RDFS.label, SKOS.notation):
            for value in ontology.objects(URIRef(iri), prop):
                names.setdefault(str(value).lower(), iri)
    with shipped_path("ontology") as folder:
        duo_graph = Graph().parse(folder / "external" / "duo-subset.ttl", format="turtle")
        dpv_text = (folder / "external" / "dpv-terms.txt").read_text(encoding="utf-8")
    duo = frozenset(str(s) for s in duo_graph.subjects() if str(s).startswith(DUO_PREFIX))
    dpv = frozenset(DPV_NAMESPACE + line.strip() for line in dpv_text.splitlines()
                    if line.strip() and not line.startswith("#"))
    return Vocabulary(defined, names, duo, dpv)


def _short(iri: str) -> str:
    for prefix, namespace in (("rsf:", str(RSF)), ("dpv:", DPV_NAMESPACE), ("obo:", "http://purl.obolibrary.org/obo/")):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return f"<{iri}>"


def _named(ontology: Graph, iri: str) -> str:
    label = ontology.value(URIRef(iri), RDFS.label)
    notation = ontology.value(URIRef(iri), SKOS.notation)
    extra = ", ".join(str(x) for x in (label, notation) if x is not None)
    return f"{_short(iri)} ({extra})" if extra else _short(iri)


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

#: property -> what its values are called; the classes they must be individuals of are the property's
#: rdfs:range in the ontology (a class or an owl:unionOf of classes)
PROFILE_TERMS = {
    RSF.issuerRole: "an actor role",
    RSF.accessModel: "an access model",
    RSF.delegatedObligation: "an obligation, a core element or a group of obligations",
}


def range_classes(ontology: Graph, prop: URIRef) -> list[URIRef]:
    """The classes of ``prop``'s ``rdfs:range``, a union's members one by one."""
    classes: list[URIRef] = []
    for range_ in ontology.objects(prop, RDFS.range):
        members = ontology.value(range_, OWL.unionOf)
        classes.extend(Collection(ontology, members) if members is not None else [range_])  # type: ignore[arg-type]
    return sorted(c for c in classes if isinstance(c, URIRef))


def check_profile_terms(ontology: Graph, data, locate) -> None:  # type: ignore[no-untyped-def]
    """Refuse a value of a property that decides what is checked (``rsf:issuerRole``,
    ``rsf:accessModel``, ``rsf:delegatedObligation``) that is not a term of its range.

    Such a value would silently change which obligations are asked. Checked on
    every node (a policy, an access tier, a delegation …). ``locate(node)``
    names the file the node is read from. Raises :class:`InputError` listing
    every such value, with the nearest known terms.
    """
    errors: list[str] = []
    for prop, what in PROFILE_TERMS.items():
        classes = range_classes(ontology, prop)
        known = sorted({str(s) for cls in classes for s in ontology.subjects(RDF.type, cls)})
        names: dict[str, str] = {}
        for iri in known:
            names.setdefault(_local(iri).lower(), iri)
            for p in (RDFS.label, SKOS.notation):
                for v in ontology.objects(URIRef(iri), p):
                    names.setdefault(str(v).lower(), iri)
        # a class of ours is explained with its members; another vocabulary's class by its rsf members
        explained = sorted({_local(str(cls)) if str(cls).startswith(str(RSF)) else _local(str(member))
                            for cls in classes for member in ontology.subjects(RDF.type, cls)})
        explain = ", ".join(f"`rsf explain {name}`" for name in explained)
        for quad in data.store.quads_for_pattern(None, ox.NamedNode(str(prop)), None, ox.DefaultGraph()):
            value = quad.object
            if isinstance(value, ox.NamedNode) and value.value in known:
                continue
            written = value.value
            local = _local(written) if isinstance(value, ox.NamedNode) else written
            shown = _short(written) if isinstance(value, ox.NamedNode) else f'the text "{written}"'
            close = nearest(local, names)
            hint = ("did you mean " + " or ".join(_named(ontology, c) for c in close) + "? See") if close else "see"
            literal = " (a value must be the term's IRI, not text)" if not isinstance(value, ox.NamedNode) else ""
            subject = from_ox(quad.subject)
            on = f" on {_short(str(subject))}" if isinstance(subject, URIRef) else ""
            errors.append(f"{locate(subject)}: {_short(str(prop))} {shown}{on} is not {what} of the "
                          f"responsible-sharing ontology{literal}; {hint} {explain} for the choices")
    if errors:
        raise InputError("\n".join(sorted(set(errors))))


def _local(iri: str) -> str:
    """The last segment of an IRI (after its final / or #)."""
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def find_problems(ontology: Graph, store: ox.Store) -> list[Problem]:
    """Every statement in ``store`` that cannot mean what it says (see the module's documentation)."""
    vocab = vocabulary(ontology)
    problems: set[Problem] = set()
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        terms = [(predicate, "property")]
        if isinstance(subject, ox.NamedNode):
            terms.append((subject, "subject"))
        if isinstance(obj, ox.NamedNode):
            terms.append((obj, "value"))
        elif isinstance(obj, ox.Literal):
            if well_typed(obj.value, obj.datatype.value) is False:
                dt = _compact_xsd(obj.datatype.value)
                problems.add(Problem(
                    "ill-typed-literal", from_ox(subject), URIRef(predicate.value), from_ox(obj),  # type: ignore[arg-type]
                    f'{_short(predicate.value)} has the value "{obj.value}", which is not a valid {dt}; '
                    "it states nothing until it is corrected",
                    _HINTS.get(URIRef(obj.datatype.value), f"write a valid {dt} value, or drop the datatype"), quad))
            terms.append((obj.datatype, "datatype"))
        for term, role in terms:
            problem = _unknown(vocab, ontology, term.value, role, subject, predicate, obj)
            if problem is not None:
                problems.add(problem)
    return sorted(problems, key=lambda p: (p.check, str(p.subject), str(p.predicate), str(p.value)))


def _compact_xsd(iri: str) -> str:
    return "xsd:" + iri[len(str(XSD)):] if iri.startswith(str(XSD)) else f"<{iri}>"


_WATCHED = (str(RSF), DUO_PREFIX, DPV_NAMESPACE)


def _unknown(vocab: Vocabulary, ontology: Graph, iri: str, role: str, subject, predicate, obj) -> Problem | None:  # type: ignore[no-untyped-def]
    if not iri.startswith(_WATCHED) or iri in vocab.rsf or iri in vocab.duo or iri in vocab.dpv:
        return None  # the common case, decided without building terms
    at = (from_ox(subject), URIRef(predicate.value), from_ox(obj))
    if iri.startswith(str(RSF)) and not iri.startswith(_NOT_TERMS):
        local = iri[len(str(RSF)):]
        close = [c for c in nearest(local, vocab.rsf_names) if c != iri]
        if local[:1].islower():  # a property: prefer properties
            close = sorted(close, key=lambda c: not c[len(str(RSF)):][:1].islower())
        hint = "did you mean " + " or ".join(_named(ontology, c) for c in close[:3]) + "?" if close else \
            "no defined term is close; see docs/policy-model.md for the terms a policy uses"
        return Problem("unknown-rsf-term", *at, f"{_short(iri)} (used as a {role}) is not defined by the "  # type: ignore[arg-type]
                       "responsible-sharing ontology, so no check reads it", hint)
    if iri.startswith(DUO_PREFIX):
        close = difflib.get_close_matches(iri, sorted(vocab.duo), n=3, cutoff=0.8)
        hint = ("did you mean " + " or ".join(_short(c) for c in close) + "? " if close else "") + \
            "DUO terms are DUO_ and seven digits, e.g. obo:DUO_0000042 (general research use)"
        return Problem("unknown-duo-term", *at, f"{_short(iri)} (used as a {role}) is not a term of the Data "  # type: ignore[arg-type]
                       "Use Ontology (DUO), so the condition it seems to state means nothing", hint)
    if iri.startswith(DPV_NAMESPACE):
        names = {c[len(DPV_NAMESPACE):].lower(): c for c in vocab.dpv}
        close = nearest(iri[len(DPV_NAMESPACE):], names)
        hint = ("did you mean " + " or ".join(_short(c) for c in close) + "? " if close else "") + \
            "DPV terms are listed at https://w3id.org/dpv"
        return Problem("unknown-dpv-term", *at, f"{_short(iri)} (used as a {role}) is not a term of the Data "  # type: ignore[arg-type]
                       "Privacy Vocabulary (DPV 2.2), so the measure or basis it seems to state means nothing", hint)
    return None


def drop_ill_typed(store: ox.Store, problems: Iterable[Problem]) -> None:
    """Remove the ill-typed statements: a value that is not a value states nothing.

    Every SHACL engine then sees the same data (pySHACL fails ``sh:datatype``
    on an ill-typed literal, as the SHACL specification says; pyrudof does not
    look at lexical forms), so the findings do not depend on the engine: the
    property counts as not stated, and the input finding says why.
    """
    for problem in problems:
        if problem.check == "ill-typed-literal" and problem.quad is not None:
            store.remove(problem.quad)


def owners(store: ox.Store, node: Node, policies: Iterable[Node]) -> list[Node]:
    """The policies from which ``node`` is reached by following statements forwards (the node itself included)."""
    from .oxterms import to_ox

    wanted = set(policies)
    seen = {node}
    queue = [node]
    found: set[Node] = set()
    while queue:
        current = queue.pop()
        if current in wanted:
            found.add(current)
        for quad in store.quads_for_pattern(None, None, to_ox(current), ox.DefaultGraph()):
            parent = from_ox(quad.subject)
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)
    return sorted(found, key=str)


def nothing_checked(asked: Iterable[str], checked: Iterable[str]) -> bool:
    """Whether none of the obligations ``asked`` of a policy has a check (``checked``: obligations with a shape)."""
    return not set(asked) & set(checked)


def render_node(names, node: Node | None) -> str:  # type: ignore[no-untyped-def]
    """A node as a reader sees it, with the files' prefixes."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        return "[a node without an IRI]"
    try:
        return names.normalizeUri(node)
    except Exception:
        return f"<{node}>"


def iter_checks() -> Iterator[Check]:
    return iter(CHECKS.values())


__all__ = ["CHECKS", "Check", "InputFinding", "Problem", "check_profile_terms", "find_problems", "nothing_checked",
           "owners", "well_typed"]
