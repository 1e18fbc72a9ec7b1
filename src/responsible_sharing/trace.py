"""The chain behind each obligation: core elements, principles, human rights.

Built once from the ontology graph, so that every validation finding can
carry its trace (obligation -> core element -> principle -> right, with the
instrument and article that recognise the right, and the roles that bear the
obligation) without a query per finding. The rights are those the core element
upholds (``rsf:upholds``, each through a principle it serves), not every right
of every principle it serves: that is what tells elements apart. The same chain is what the stored
query ``obligation-to-right`` returns; a test checks that they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from .namespaces import RSF


@dataclass(frozen=True)
class Term:
    """A Framework term as a report shows it: IRI, notation code and label."""

    iri: str
    notation: str
    label: str

    @property
    def name(self) -> str:
        return f"{self.notation} {self.label}" if self.notation else self.label


@dataclass(frozen=True)
class Provision:
    """An article of a legal instrument that recognises a right."""

    iri: str
    label: str
    instrument: str
    instrument_name: str
    article: str


@dataclass(frozen=True)
class Right:
    iri: str
    notation: str
    label: str
    provisions: tuple[Provision, ...]

    @property
    def citation(self) -> str:
        """Instrument and article, e.g. ``UDHR 27(1); ICESCR 15(1)(b)``."""
        return "; ".join(f"{p.instrument} {p.article}" for p in self.provisions)


#: source layers: the Framework's own text, or the GA4GH policies that elaborate it
FRAMEWORK_LAYER = "framework"
POLICIES_LAYER = "ga4gh-policies"
SOURCE_LAYERS = (FRAMEWORK_LAYER, POLICIES_LAYER)
#: how reports name a layer to a reader
LAYER_LABELS = {FRAMEWORK_LAYER: "the Framework", POLICIES_LAYER: "GA4GH policies"}
#: what a user may ask for with --sources: every layer, or the Framework's own text
SOURCE_CHOICES = ("all", FRAMEWORK_LAYER)


@dataclass(frozen=True)
class Statement:
    """A clause an obligation is stated in, and the document it belongs to."""

    clause: str
    notation: str
    locator: str
    document: str
    document_name: str
    layer: str

    @property
    def citation(self) -> str:
        """Document and place, e.g. ``GA4GH Framework, Part IV, 1 Transparency, bullet 2``."""
        return f"{self.document_name}, {self.locator}"


@dataclass(frozen=True)
class Inapplicability:
    """Why an obligation does not arise under an access model, and the fact a policy must state for that to hold."""

    reason: str
    #: (property IRI, value as written in the ontology) the policy must state for the obligation not to arise
    provided: tuple[str, str] | None = None


@dataclass(frozen=True)
class ObligationTrace:
    obligation: Term
    modality: str
    machine_checkable: bool
    elements: tuple[Term, ...]
    principles: tuple[Term, ...]
    rights: tuple[Right, ...]
    bearers: tuple[Term, ...]
    statements: tuple[Statement, ...] = ()
    #: access model IRI -> why the obligation does not arise under it
    inapplicable_under: dict[str, Inapplicability] = field(default_factory=dict, hash=False, compare=False)

    @property
    def layer(self) -> str:
        """The Framework layer if a clause of the Framework states the obligation, else the GA4GH-policies layer."""
        if not self.statements or any(s.layer == FRAMEWORK_LAYER for s in self.statements):
            return FRAMEWORK_LAYER
        return POLICIES_LAYER


def _text(graph: Graph, node: Node, prop: URIRef) -> str:
    values = sorted(str(v) for v in graph.objects(node, prop))
    english = sorted(str(v) for v in graph.objects(node, prop) if getattr(v, "language", None) in ("en", None))
    return (english or values or [""])[0]


def term(graph: Graph, node: Node) -> Term:
    return Term(str(node), _text(graph, node, SKOS.notation), _text(graph, node, RDFS.label) or str(node))


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key that puts O-CE2-01 before O-CE10-01 and CE2 before CE10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _sort_key(t: Term) -> tuple[object, ...]:
    return natural_key(t.notation or t.label)


def _terms(graph: Graph, nodes: set[Node]) -> tuple[Term, ...]:
    return tuple(sorted((term(graph, n) for n in nodes), key=_sort_key))


def _right(graph: Graph, node: Node) -> Right:
    provisions = []
    for prov in graph.objects(node, RSF.recognisedIn):
        instrument = graph.value(prov, RSF.articleOf)
        provisions.append(
            Provision(
                iri=str(prov),
                label=_text(graph, prov, RDFS.label),
                instrument=_text(graph, instrument, SKOS.notation) if instrument else "",
                instrument_name=_text(graph, instrument, RDFS.label) if instrument else "",
                article=_text(graph, prov, RSF.articleNumber),
            )
        )
    provisions.sort(key=lambda p: (p.instrument, _sort_key(Term("", p.article, ""))))
    return Right(str(node), _text(graph, node, SKOS.notation), _text(graph, node, RDFS.label), tuple(provisions))


def _statements(graph: Graph, obligation: Node) -> tuple[Statement, ...]:
    out = []
    for clause in graph.objects(obligation, RSF.statedIn):
        document = graph.value(clause, RSF.clauseOf)
        framework = document is not None and (document, RDF.type, RSF.GovernanceFramework) in graph
        out.append(
            Statement(
                clause=str(clause),
                notation=_text(graph, clause, SKOS.notation),
                locator=_text(graph, clause, RSF.locator),
                document=str(document or ""),
                document_name=_text(graph, document, RDFS.label) if document is not None else "",
                layer=FRAMEWORK_LAYER if framework else POLICIES_LAYER,
            )
        )
    return tuple(sorted(out, key=lambda s: (s.layer != FRAMEWORK_LAYER, s.document_name, natural_key(s.notation))))


def _inapplicability(graph: Graph, obligation: Node) -> dict[str, Inapplicability]:
    """The access models under which ``obligation`` does not arise, from its annotated rsf:inapplicableUnder links."""
    out: dict[str, Inapplicability] = {}
    for model in graph.objects(obligation, RSF.inapplicableUnder):
        why, provided = "", None
        for axiom in graph.subjects(OWL.annotatedSource, obligation):
            if (graph.value(axiom, OWL.annotatedProperty) == RSF.inapplicableUnder
                    and graph.value(axiom, OWL.annotatedTarget) == model):
                why = _text(graph, axiom, RDFS.comment)
                prop, value = graph.value(axiom, RSF.providedPolicyStates), graph.value(axiom, RSF.providedValue)
                if prop is not None and value is not None:
                    provided = (str(prop), str(value))
        out[str(model)] = Inapplicability(why, provided)
    return out


def build_traces(graph: Graph) -> dict[str, ObligationTrace]:
    """Every obligation in ``graph`` with its full chain, keyed by obligation IRI, in notation order.

    A retired obligation (``owl:deprecated true``) keeps its IRI in the ontology but is left out here,
    so that no profile asks for it and no report cites it.
    """
    traces: dict[str, ObligationTrace] = {}
    for obligation in graph.subjects(RDF.type, RSF.Obligation):
        if (obligation, OWL.deprecated, Literal(True)) in graph:
            continue
        elements = set(graph.objects(obligation, RSF.derivesFrom))
        principles = {p for e in elements for p in graph.objects(e, RSF.serves)}
        rights = {r for e in elements for r in graph.objects(e, RSF.upholds)}
        modality = graph.value(obligation, RSF.hasModality)
        traces[str(obligation)] = ObligationTrace(
            obligation=term(graph, obligation),
            modality=_text(graph, modality, RDFS.label) if modality else "",
            machine_checkable=str(graph.value(obligation, RSF.machineCheckable)).lower() == "true",
            elements=_terms(graph, elements),
            principles=_terms(graph, principles),
            rights=tuple(sorted((_right(graph, r) for r in rights), key=lambda r: r.notation)),
            bearers=_terms(graph, set(graph.objects(obligation, RSF.bearer))),
            statements=_statements(graph, obligation),
            inapplicable_under=_inapplicability(graph, obligation),
        )
    return dict(sorted(traces.items(), key=lambda kv: natural_key(kv[1].obligation.notation)))
