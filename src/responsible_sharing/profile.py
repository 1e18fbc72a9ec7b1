"""Which obligations a policy is asked to meet, and why.

A profile follows from three things the policy states, each of which the
user can override on the command line:

* the issuer's role(s) (``rsf:issuerRole``): an obligation applies when one of
  its bearer roles is among them. A policy that states no role is checked
  against every obligation, and the profile says so;
* the access model (``rsf:accessModel``): an obligation marked
  ``rsf:inapplicableUnder`` that model does not arise (an open-data resource is
  not asked for an access committee);
* delegations (``rsf:delegation``): an obligation handed to a named
  organisation is that organisation's to meet; the policy is checked for
  naming the delegate instead (O-CE2-10).

The user also chooses the source layer: by default the obligations stated in
the Framework and in the GA4GH policies that elaborate it; with
``source_layer="framework"`` only those a clause of the Framework itself states.

All of this is read from the ontology; adding a role or a rule needs no
Python change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import FOAF, SKOS
from rdflib.term import Node

from .errors import UsageError
from .namespaces import RSF
from .trace import FRAMEWORK_LAYER, ObligationTrace, Term, term


@dataclass(frozen=True)
class Profile:
    """The obligations that apply to one policy, with the reason for each left out."""

    roles: tuple[Term, ...]
    #: "policy" (stated in it), "option" (given by the user) or "none stated"
    roles_from: str
    access_model: Term | None
    access_model_from: str
    applicable: tuple[str, ...]
    #: obligation IRI -> why it does not apply
    excluded: dict[str, str] = field(default_factory=dict)
    #: obligation IRI -> name of the organisation it is delegated to
    delegated: dict[str, str] = field(default_factory=dict)
    #: "all" (the Framework and the GA4GH policies) or "framework" (the Framework's own text only)
    source_layer: str = "all"

    def summary(self) -> str:
        roles = ", ".join(r.label for r in self.roles) if self.roles else "all roles (none stated)"
        model = self.access_model.label if self.access_model else "no access model stated"
        return f"{roles}; {model}"


class Statements(Protocol):
    """What a profile reads from the policies: an rdflib graph, or the store of :class:`~.policy_input.PolicyInput`."""

    def objects(self, subject: Node, predicate: URIRef) -> Iterator[Node]: ...

    def value(self, subject: Node, predicate: URIRef) -> Node | None: ...


def resolve_choice(graph: Graph, cls: URIRef, needle: str, what: str) -> URIRef:
    """An individual of ``cls`` named by IRI, notation or label (any case)."""
    wanted = needle.strip().lower()
    options = sorted(graph.subjects(RDF.type, cls), key=str)
    for option in options:
        names = {str(option).lower(), str(option).rsplit("/", 1)[-1].lower()}
        names |= {str(v).lower() for v in graph.objects(option, SKOS.notation)}
        names |= {str(v).lower() for v in graph.objects(option, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
        if wanted in names:
            return option
    choices = ", ".join(sorted(str(graph.value(o, SKOS.notation) or o).rsplit("/", 1)[-1] for o in options))
    raise UsageError(f"unknown {what} {needle!r}; choose one of: {choices}")


#: roles and access models are few; their labels are looked up once, not once per policy
_term = lru_cache(maxsize=256)(term)


def build_profile(
    ontology: Graph,
    traces: dict[str, ObligationTrace],
    data: Statements,
    policy: Node,
    *,
    roles: list[URIRef] | None = None,
    access_model: URIRef | None = None,
    source_layer: str = "all",
) -> Profile:
    """The profile of ``policy`` in ``data``; ``roles`` / ``access_model`` override what it states.

    With ``source_layer="framework"`` an obligation stated only in GA4GH policies is left out.
    """
    if roles:
        role_nodes, roles_from = set(roles), "option"
    else:
        role_nodes = {r for r in data.objects(policy, RSF.issuerRole) if isinstance(r, URIRef)}
        roles_from = "policy" if role_nodes else "none stated"
    if access_model is not None:
        model, model_from = access_model, "option"
    else:
        stated = sorted((m for m in data.objects(policy, RSF.accessModel) if isinstance(m, URIRef)), key=str)
        model, model_from = (stated[0], "policy") if stated else (None, "none stated")

    delegates: dict[str, set[str]] = {}
    for delegation in data.objects(policy, RSF.delegation):
        delegate = data.value(delegation, RSF.delegate)
        name = str(data.value(delegate, FOAF.name) or "") if delegate is not None else ""
        if not name:
            continue  # an unnamed delegate does not relieve the policy (O-CE2-10 reports it)
        for obligation in data.objects(delegation, RSF.delegatedObligation):
            delegates.setdefault(str(obligation), set()).add(name)
    delegated = {ob: " and ".join(sorted(names)) for ob, names in delegates.items()}

    role_iris = {str(r) for r in role_nodes}
    applicable: list[str] = []
    excluded: dict[str, str] = {}
    for iri, trace in traces.items():  # in notation order (build_traces)
        bearers = {b.iri for b in trace.bearers}
        if source_layer == FRAMEWORK_LAYER and trace.layer != FRAMEWORK_LAYER:
            stated = "; ".join(s.citation for s in trace.statements)
            excluded[iri] = f"stated only in the GA4GH policies ({stated}), not in the Framework itself (--sources framework)"
        elif role_iris and not bearers & role_iris:
            excluded[iri] = "borne by " + ", ".join(b.label for b in trace.bearers)
        elif model is not None and str(model) in trace.inapplicable_under:
            excluded[iri] = f"does not arise under {_term(ontology, model).label}: {trace.inapplicable_under[str(model)]}"
        elif iri in delegated:
            excluded[iri] = f"delegated to {delegated[iri]}"
        else:
            applicable.append(iri)
    return Profile(
        roles=tuple(sorted((_term(ontology, r) for r in role_nodes), key=lambda t: t.notation)),
        roles_from=roles_from,
        access_model=_term(ontology, model) if model is not None else None,
        access_model_from=model_from,
        applicable=tuple(applicable),
        excluded=excluded,
        delegated={k: v for k, v in delegated.items() if k in traces},
        source_layer=source_layer,
    )
