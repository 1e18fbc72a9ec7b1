"""The chain behind each obligation: core elements, principles, human rights.

Built once from the ontology graph, so that every validation finding can
carry its trace (obligation -> core element -> principle -> right, with the
instrument and article that recognise the right, and the roles that bear the
obligation) without a query per finding. The same chain is what the stored
query ``obligation-to-right`` returns; a test checks that they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, URIRef
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


@dataclass(frozen=True)
class ObligationTrace:
    obligation: Term
    modality: str
    machine_checkable: bool
    elements: tuple[Term, ...]
    principles: tuple[Term, ...]
    rights: tuple[Right, ...]
    bearers: tuple[Term, ...]
    #: access model IRI -> why the obligation does not arise under it
    inapplicable_under: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


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


def _inapplicability(graph: Graph, obligation: Node) -> dict[str, str]:
    reasons: dict[str, str] = {}
    for model in graph.objects(obligation, RSF.inapplicableUnder):
        why = ""
        for axiom in graph.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Axiom")):
            owl = "http://www.w3.org/2002/07/owl#"
            if (
                graph.value(axiom, URIRef(owl + "annotatedSource")) == obligation
                and graph.value(axiom, URIRef(owl + "annotatedProperty")) == RSF.inapplicableUnder
                and graph.value(axiom, URIRef(owl + "annotatedTarget")) == model
            ):
                why = _text(graph, axiom, RDFS.comment)
        reasons[str(model)] = why
    return reasons


def build_traces(graph: Graph) -> dict[str, ObligationTrace]:
    """Every obligation in ``graph`` with its full chain, keyed by obligation IRI, in notation order."""
    traces: dict[str, ObligationTrace] = {}
    for obligation in graph.subjects(RDF.type, RSF.Obligation):
        elements = set(graph.objects(obligation, RSF.derivesFrom))
        principles = {p for e in elements for p in graph.objects(e, RSF.serves)}
        rights = {r for p in principles for r in graph.objects(p, RSF.groundedIn)}
        modality = graph.value(obligation, RSF.hasModality)
        traces[str(obligation)] = ObligationTrace(
            obligation=term(graph, obligation),
            modality=_text(graph, modality, RDFS.label) if modality else "",
            machine_checkable=str(graph.value(obligation, RSF.machineCheckable)).lower() == "true",
            elements=_terms(graph, elements),
            principles=_terms(graph, principles),
            rights=tuple(sorted((_right(graph, r) for r in rights), key=lambda r: r.notation)),
            bearers=_terms(graph, set(graph.objects(obligation, RSF.bearer))),
            inapplicable_under=_inapplicability(graph, obligation),
        )
    return dict(sorted(traces.items(), key=lambda kv: natural_key(kv[1].obligation.notation)))
