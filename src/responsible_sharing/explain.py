"""`rsf explain TERM`: what a term means and where it sits on the spine.

The term is named in any way :mod:`~responsible_sharing.terms` resolves. For
any term: its definition and source. Going up: the chain through core
elements and principles to the human rights (and the provisions that carry
them), each link with its basis. Going down: the obligations below the term
and who bears them. For an obligation also: the clauses it is stated in and
their layer (the Framework or a GA4GH policy), its bearers, the shapes that
check it (with their severity, finding and fix hint) and when a policy's
profile leaves it out. The chain comes from
stored queries in ``queries/``; an obligation's own facts from its trace.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SH, SKOS

from . import queries
from .ontology import term_name
from .profile import access_models
from .terms import TermEntry, term_index
from .trace import FRAMEWORK_LAYER, LAYER_LABELS, Statement, build_traces

RSF = "https://w3id.org/rsf/"
NO_BASIS = "basis not recorded"
#: the traces of every obligation, built once per ontology (explaining one obligation needs only its own)
_traces = lru_cache(maxsize=2)(build_traces)

#: links that the chain, right or obligation sections already show
_SHOWN_IN_CHAIN = ("serves", "upholds", "groundedIn", "derivesFrom", "recognisedIn", "guidedBy", "bearer", "statedIn")
#: the classes whose members are explained with their place on the spine: links, chain up to the rights, obligations below
SPINE_CLASSES = frozenset(f"{RSF}{name}" for name in (
    "HumanRight", "LegalInstrument", "LegalProvision", "GovernanceFramework", "GA4GHPolicy", "SourceClause", "Aim",
    "PurposeGoal", "Principle", "CoreElement", "ActorRole", "Obligation", "Modality"))


def _label(graph: Graph, node: object) -> str:
    """The English label of a term, from the ontology (not from code)."""
    if node is None:
        return ""
    labels = sorted(str(l) for l in graph.objects(URIRef(str(node)), RDFS.label) if getattr(l, "language", None) in ("en", None))
    return labels[0] if labels else str(node).removeprefix(RSF)


@dataclass(frozen=True)
class Link:
    direction: str
    property: str
    other: str
    other_name: str
    basis: str
    note: str


@dataclass(frozen=True)
class Chain:
    element: str
    principle: str
    serves_basis: str
    serves_rank: str
    serves_note: str
    right: str
    upholds_basis: str
    upholds_note: str
    grounded_basis: str
    grounded_note: str


@dataclass(frozen=True)
class CheckingShape:
    """A policy shape that checks an obligation, as a finding of it would read."""

    iri: str
    prefixed_name: str
    name: str
    #: violation, warning or info
    severity: str
    #: the finding's message when a policy fails it
    message: str
    fix_hint: str
    #: a shape of a retired obligation, kept but no longer run
    deactivated: bool


@dataclass
class ObligationFacts:
    """What only an obligation has: where it is stated, who bears it, what checks it, when it is left out."""

    layer: str
    statements: list[Statement]
    #: the actor roles that bear it, as "R05 data custodian"
    bearers: list[str]
    shapes: list[CheckingShape]
    #: why a policy's profile leaves the obligation out, one entry per circumstance
    dropped_when: list[str]
    #: (access model label, "applies" or why it does not arise) for every kind of sharing, open first
    sharing: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ObligationSummary:
    iri: str
    notation: str
    label: str
    modality: str
    bearers: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    iri: str
    kind: str
    kind_label: str
    name: str
    definition: str
    sources: list[str]
    source_section: str
    notes: list[str]
    links: list[Link]
    chains: list[Chain]
    #: right IRI -> the provisions that carry it, by notation
    provisions: dict[str, list[str]]
    obligations: list[ObligationSummary]
    #: (framework, right, basis) for the rights the Framework says guide it as a whole
    guiding_rights: list[tuple[str, str, str]]
    names: dict[str, str]
    obligation: ObligationFacts | None = None
    #: for a class (ActorRole, AccessModel …): its members, as "notation label <IRI>"
    members: list[str] = field(default_factory=list)


def explain_class(graph: Graph, cls: URIRef) -> Explanation:
    """A class: its definition and its members (the terms a policy may use as values of its kind)."""
    members = []
    for member in sorted(graph.subjects(RDF.type, cls), key=lambda m: (str(graph.value(m, SKOS.notation) or ""), str(m))):
        notation = graph.value(member, SKOS.notation)
        members.append(" ".join(x for x in (str(notation or ""), _label(graph, member), f"<{member}>") if x))
    definition = graph.value(cls, SKOS.definition) or graph.value(cls, RDFS.comment) or ""
    return Explanation(iri=str(cls), kind="Class", kind_label="class", name=_label(graph, cls),
                       definition=str(definition), sources=sorted(str(s) for s in graph.objects(cls, DCTERMS.source)),
                       source_section="", notes=[], links=[], chains=[], provisions={}, obligations=[],
                       guiding_rights=[], names={}, members=members)


def explain_vocabulary_term(graph: Graph, entry: TermEntry) -> Explanation:
    """A term of the policy vocabulary or of a vocabulary extract (DUO, DPV …): its kind and definition and,
    for a group of obligations, its members."""
    term = URIRef(entry.iri)
    members = []
    for member in sorted(graph.objects(term, SKOS.member), key=lambda m: _notation_key(str(graph.value(m, SKOS.notation) or m))):
        notation = graph.value(member, SKOS.notation)
        members.append(" ".join(x for x in (str(notation or ""), _label(graph, member), f"<{member}>") if x))
    notes = [str(n) for n in sorted(graph.objects(term, RDFS.comment)) if str(n) != entry.definition]
    return Explanation(iri=entry.iri, kind="Term", kind_label=entry.kind, name=entry.label or entry.ident,
                       definition=entry.definition, sources=sorted(str(s) for s in graph.objects(term, DCTERMS.source)),
                       source_section="", notes=notes, links=[], chains=[], provisions={}, obligations=[],
                       guiding_rights=[], names={}, members=members)


def explain(graph: Graph, needle: str, shapes: Graph | None = None) -> Explanation:
    """Explain the term ``needle`` names; ``shapes`` (the policy shapes) lets an obligation list what checks it.

    Raises :class:`~responsible_sharing.errors.UnknownTermError` when ``needle`` names no term or several.
    """
    entry = term_index(graph).resolve(needle)
    term = URIRef(entry.iri)
    on_spine = sorted(entry.types & SPINE_CLASSES)
    if not on_spine:
        if str(OWL.Class) in entry.types and entry.local_name:
            return explain_class(graph, term)
        return explain_vocabulary_term(graph, entry)
    term_class = URIRef(on_spine[0])
    kind = str(term_class).removeprefix(RSF)

    def basis_text(basis: object) -> str:
        return _label(graph, basis) if basis is not None else NO_BASIS
    names: dict[str, str] = {}

    def name(node: object) -> str:
        key = str(node)
        if key not in names:
            names[key] = term_name(graph, node) if isinstance(node, URIRef) else key
        return names[key]

    links = [
        Link(str(r.direction), str(r.property).removeprefix(RSF), str(r.other), name(r.other), basis_text(r.basis), str(r.note or ""))
        for r in queries.run(graph, "term-links", {"term": term})
    ]
    chains = [
        Chain(
            element=str(r.element or ""),
            principle=str(r.principle),
            serves_basis=basis_text(r.servesBasis) if r.element is not None else "",
            serves_rank=str(r.servesRank or ""),
            serves_note=str(r.servesNote or ""),
            right=str(r.right),
            upholds_basis=basis_text(r.upholdsBasis) if r.element is not None else "",
            upholds_note=str(r.upholdsNote or ""),
            grounded_basis=basis_text(r.groundedBasis),
            grounded_note=str(r.groundedNote or ""),
        )
        for r in queries.run(graph, "trace-to-rights", {"term": term})
    ]
    for chain in chains:
        for node in (chain.element, chain.principle, chain.right):
            if node:
                name(URIRef(node))
    rights = sorted({c.right for c in chains} | ({str(term)} if kind == "HumanRight" else set()))
    provisions = {
        right: sorted(
            str(r.otherNotation or r.otherLabel or r.other)
            for r in queries.run(graph, "term-links", {"term": URIRef(right)})
            if str(r.property) == f"{RSF}recognisedIn"
        )
        for right in rights
    }
    obligations: dict[str, ObligationSummary] = {}
    if kind != "Obligation":
        for r in queries.run(graph, "obligations-under", {"term": term}):
            summary = obligations.setdefault(
                str(r.obligation), ObligationSummary(str(r.obligation), str(r.notation), str(r.label), str(r.modality))
            )
            summary.bearers.append(str(r.bearerLabel))
    guiding = [
        (name(r.framework), name(r.right), basis_text(r.basis))
        for r in queries.run(graph, "framework-guiding-rights")
    ] if chains else []
    notes = [str(n) for n in sorted(graph.objects(term, SKOS.scopeNote))]
    reason = graph.value(term, URIRef(f"{RSF}notCheckableReason"))
    if reason is not None:
        notes.append(f"Not machine-checkable: {reason}")
    return Explanation(
        iri=str(term),
        kind=kind,
        kind_label=_label(graph, term_class),
        name=name(term),
        definition=str(graph.value(term, SKOS.definition) or ""),
        sources=sorted(str(s) for s in graph.objects(term, DCTERMS.source)),
        source_section=str(graph.value(term, URIRef(f"{RSF}sourceSection")) or ""),
        notes=notes,
        links=links,
        chains=chains,
        provisions=provisions,
        obligations=sorted(obligations.values(), key=lambda o: _notation_key(o.notation)),
        guiding_rights=guiding,
        names=names,
        obligation=_obligation_facts(graph, term, shapes) if kind == "Obligation" else None,
    )


def _obligation_facts(graph: Graph, term: URIRef, shapes: Graph | None) -> ObligationFacts:
    trace = _traces(graph)[str(term)]
    dropped = [f"the issuer holds none of its bearer roles ({', '.join(b.label for b in trace.bearers)})"]
    sharing = []
    for model in access_models(graph):
        rule = trace.inapplicable_under.get(str(model))
        if rule is None:
            sharing.append((_label(graph, model), "applies"))
            continue
        if rule.provided is None:
            sharing.append((_label(graph, model), f"does not arise: {rule.reason}"))
            dropped.append(f"the access model is {_label(graph, model)}: {rule.reason}")
            continue
        fact = "{} {}".format(graph.namespace_manager.normalizeUri(URIRef(rule.provided[0])), rule.provided[1])
        sharing.append((_label(graph, model), f"applies unless the policy states {fact}, when it does not arise: {rule.reason}"))
        dropped.append(f"the access model is {_label(graph, model)} and the policy states {fact}: {rule.reason}")
    if trace.layer != FRAMEWORK_LAYER:
        dropped.append("only the Framework's own text is checked (--sources framework): no clause of the Framework states it")
    return ObligationFacts(
        layer=trace.layer,
        statements=list(trace.statements),
        bearers=[b.name for b in trace.bearers],
        shapes=_checking_shapes(shapes, term) if shapes is not None else [],
        dropped_when=dropped,
        sharing=sharing,
    )


def _checking_shapes(shapes: Graph, obligation: URIRef) -> list[CheckingShape]:
    """The shapes that check ``obligation``, with what a finding of each says and how to fix it."""
    found = []
    for shape in sorted(shapes.subjects(URIRef(f"{RSF}checks"), obligation), key=str):
        severity = shapes.value(shape, SH.severity)
        found.append(CheckingShape(
            iri=str(shape),
            prefixed_name=shapes.namespace_manager.normalizeUri(shape),
            name=str(shapes.value(shape, SH.name) or ""),
            severity=str(severity).removeprefix(str(SH)).lower() if severity is not None else "",
            message=str(shapes.value(shape, SH.message) or ""),
            fix_hint=str(shapes.value(shape, URIRef(f"{RSF}fixHint")) or ""),
            deactivated=shapes.value(shape, SH.deactivated) == Literal(True),
        ))
    return found


def _notation_key(notation: str) -> tuple[object, ...]:
    """Sort O-CE2-01 before O-CE10-01."""
    parts = notation.replace("-", " ").replace("CE", "CE ").split()
    return tuple(int(p) if p.isdigit() else p for p in parts)


def render_text(ex: Explanation) -> str:
    out = [ex.name, f"  {ex.kind_label}  <{ex.iri}>", ""]
    if ex.definition:
        out += [f"  {ex.definition}", ""]
    if ex.kind == "Class":
        out.append(f"Members ({len(ex.members)}):")
        out += [f"  {m}" for m in ex.members] or ["  (none)"]
        out.append("")
        return "\n".join(out)
    if ex.kind == "Term":
        out += [f"  {note}" for note in ex.notes] + ([""] if ex.notes else [])
        out += [f"  Source: {source}" for source in ex.sources] + ([""] if ex.sources else [])
        if ex.members:
            out.append(f"Members ({len(ex.members)}):")
            out += [f"  {m}" for m in ex.members] + [""]
        return "\n".join(out)
    for source in ex.sources:
        section = f" ({ex.source_section})" if ex.source_section else ""
        out.append(f"  Source: {source}{section}")
    for note in ex.notes:
        out.append(f"  Note: {note}")
    out.append("")

    outgoing = [l for l in ex.links if l.direction == "out" and l.property not in _SHOWN_IN_CHAIN]
    if outgoing:
        out.append("Links:")
        for link in outgoing:
            basis = f"  [{link.basis}]" if link.basis != NO_BASIS else ""
            out.append(f"  {link.property} -> {link.other_name}{basis}")
        out.append("")

    if ex.obligation is not None:
        out += _render_obligation(ex.obligation)
    if ex.chains:
        out += _render_chains(ex)
    elif ex.kind == "HumanRight":
        out += _render_right(ex)

    incoming = [l for l in ex.links if l.direction == "in" and l.property not in ("derivesFrom", "bearer")]
    if incoming and ex.kind != "HumanRight":
        out.append("Linked from:")
        for link in incoming:
            basis = f"  [{link.basis}]" if link.basis != NO_BASIS else ""
            out.append(f"  {link.other_name} {link.property} this{basis}")
        out.append("")

    if ex.kind != "Obligation":
        verb = "borne by this role" if ex.kind == "ActorRole" else "below this term"
        out.append(f"Obligations {verb} ({len(ex.obligations)}):")
        for ob in ex.obligations:
            out.append(f"  {ob.notation:10} {ob.modality.upper():6} {ob.label}")
            if ex.kind != "ActorRole":
                out.append(f"  {'':10} {'':6} borne by: {', '.join(sorted(ob.bearers))}")
        if not ex.obligations:
            out.append("  (none)")
        out.append("")
    return "\n".join(out)


def _render_chains(ex: Explanation) -> list[str]:
    n = ex.names
    out = ["Up to the human rights:"]
    by_element: dict[str, dict[str, list[Chain]]] = defaultdict(lambda: defaultdict(list))
    for chain in ex.chains:
        by_element[chain.element][chain.principle].append(chain)
    for element, principles in sorted(by_element.items()):
        indent = "  "
        if element and element != ex.iri:
            out.append(f"{indent}derives from {n[element]}")
            indent += "  "
        for principle, chains in sorted(principles.items(), key=lambda kv: (kv[1][0].serves_rank != "primary", n[kv[0]])):
            first = chains[0]
            if element:
                rank = f"{first.serves_rank}; " if first.serves_rank else ""
                out.append(f"{indent}serves {n[principle]}  [{rank}{first.serves_basis}]")
                if first.serves_note:
                    out.append(f"{indent}  why: {first.serves_note}")
                inner = indent + "  "
            else:
                inner = indent
            for chain in sorted(chains, key=lambda c: n[c.right]):
                carried = ", ".join(ex.provisions.get(chain.right, []))
                if element:
                    out.append(f"{inner}upholds {n[chain.right]} ({carried})  [{chain.upholds_basis}]")
                    if chain.upholds_note:
                        out.append(f"{inner}  why: {chain.upholds_note}")
                    out.append(f"{inner}  (the principle is grounded in it: {chain.grounded_basis})")
                else:
                    out.append(f"{inner}grounded in {n[chain.right]} ({carried})  [{chain.grounded_basis}]")
                    if chain.grounded_note:
                        out.append(f"{inner}  why: {chain.grounded_note}")
    if ex.kind == "CoreElement":
        for link in ex.links:
            if link.direction == "out" and link.property == "serves" and link.other not in by_element.get(ex.iri, {}):
                out.append(f"  serves {link.other_name}  [{link.basis}]; no right of this element's goes through it")
    out.append("")
    if ex.guiding_rights:
        out.append("What the Framework itself states: it is guided, as a whole, by")
        for _framework, right, basis in ex.guiding_rights:
            out.append(f"  {right}  [{basis}]")
        out.append("")
    return out


def _render_obligation(facts: ObligationFacts) -> list[str]:
    out = [f"Layer: {LAYER_LABELS[facts.layer]}", "Stated in:"]
    for statement in facts.statements:
        out.append(f"  {statement.citation}  [{statement.notation}]")
    if not facts.statements:
        out.append("  (no clause recorded)")
    out += ["", "Borne by: " + ", ".join(facts.bearers), ""]
    out.append("Checked by:")
    for shape in facts.shapes:
        name = f' "{shape.name}"' if shape.name else ""
        state = " (deactivated)" if shape.deactivated else ""
        out.append(f"  {shape.prefixed_name}{name}  {shape.severity}{state}  <{shape.iri}>")
        out += [f"    finding: {shape.message}"] if shape.message else []
        out += [f"    fix: {shape.fix_hint}"] if shape.fix_hint else []
    if not facts.shapes:
        out.append("  (no shape: not machine-checkable)")
    out += ["", "Kinds of sharing (access models):"]
    width = max((len(label) for label, _ in facts.sharing), default=0)
    out += [f"  {label.ljust(width)}  {verdict}" for label, verdict in facts.sharing]
    out += ["", "Left out of a policy's profile when:"]
    out += [f"  {reason}" for reason in facts.dropped_when]
    out.append("")
    return out


def _render_right(ex: Explanation) -> list[str]:
    out = ["Recognised in:"]
    for link in ex.links:
        if link.direction == "out" and link.property == "recognisedIn":
            out.append(f"  {link.other_name}  [{link.basis}]")
            if link.note:
                out.append(f"    why: {link.note}")
    for prop, heading in (("groundedIn", "Principles grounded in this right:"),
                          ("upholds", "Core elements that uphold this right:")):
        out += ["", heading]
        for link in ex.links:
            if link.direction == "in" and link.property == prop:
                out.append(f"  {link.other_name}  [{link.basis}]")
                if link.note:
                    out.append(f"    why: {link.note}")
    guided = [link for link in ex.links if link.direction == "in" and link.property == "guidedBy"]
    if guided:
        out += ["", "Named by the Framework as a guiding right:"]
        for link in guided:
            out.append(f"  {link.other_name}  [{link.basis}]")
    out.append("")
    return out
