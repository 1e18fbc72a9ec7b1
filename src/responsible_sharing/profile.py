"""Which obligations a policy is asked to meet, and why.

A profile follows from three things the policy states, each of which the
user can override on the command line:

* the issuer's role(s) (``rsf:issuerRole``): an obligation applies when one of
  its bearer roles is among them. A policy that states no role is checked
  against every obligation, and the profile says so;
* the access model (``rsf:accessModel``), the kind of sharing: an obligation
  marked ``rsf:inapplicableUnder`` that model does not arise (an open-data
  resource is not asked for an access committee). Where the link names a fact
  (``rsf:providedPolicyStates``), it holds only for a policy that states it: a
  secure environment is spared transfer safeguards only if it says that users
  abroad may not log in. A policy with several access models is asked what
  arises under at least one of them; an access tier has its own;
* delegations (``rsf:delegation``): an obligation handed to a named
  organisation, by name, as a member of a named group (a ``skos:Collection``)
  or as one of a core element's, is that organisation's to meet; the policy
  is checked for naming the delegate instead (O-CE2-10). Nothing else is
  delegated.

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

from rdflib import OWL, RDF, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import FOAF, SKOS
from rdflib.term import Node

from .namespaces import RSF
from .trace import FRAMEWORK_LAYER, ObligationTrace, Term, term


@dataclass(frozen=True)
class Profile:
    """The obligations that apply to one policy, with the reason for each left out."""

    roles: tuple[Term, ...]
    #: "policy" (stated in it), "option" (given by the user) or "none stated"
    roles_from: str
    #: the first of :attr:`access_models`, or None
    access_model: Term | None
    access_model_from: str
    applicable: tuple[str, ...]
    #: obligation IRI -> why it does not apply
    excluded: dict[str, str] = field(default_factory=dict)
    #: obligation IRI -> name of the organisation it is delegated to
    delegated: dict[str, str] = field(default_factory=dict)
    #: "all" (the Framework and the GA4GH policies) or "framework" (the Framework's own text only)
    source_layer: str = "all"
    #: every access model stated (a policy written without tiers may state several)
    access_models: tuple[Term, ...] = ()

    @property
    def access_model_label(self) -> str:
        return " and ".join(m.label for m in self.access_models) if self.access_models else ""

    def summary(self) -> str:
        roles = ", ".join(r.label for r in self.roles) if self.roles else "all roles (none stated)"
        return f"{roles}; {self.access_model_label or 'no access model stated'}"


class Statements(Protocol):
    """What a profile reads from the policies: an rdflib graph, or the store of :class:`~.policy_input.PolicyInput`."""

    def objects(self, subject: Node, predicate: URIRef) -> Iterator[Node]: ...

    def value(self, subject: Node, predicate: URIRef) -> Node | None: ...


def access_models(ontology: Graph) -> list[URIRef]:
    """The access models (kinds of sharing) in the order the ontology enumerates them, from open to secure environment."""
    for cls in ontology.objects(RSF.AccessModel, OWL.equivalentClass):
        members = ontology.value(cls, OWL.oneOf)
        if members is not None:
            return [m for m in Collection(ontology, members) if isinstance(m, URIRef)]
    return sorted((m for m in ontology.subjects(RDF.type, RSF.AccessModel) if isinstance(m, URIRef)), key=str)


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
        models, model_from = [access_model], "option"
    else:
        models = sorted({m for m in data.objects(policy, RSF.accessModel) if isinstance(m, URIRef)}, key=str)
        model_from = "policy" if models else "none stated"
    delegated = _delegations(ontology, traces, data, policy)

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
        elif moot := _moot_under(ontology, trace, models, data, policy):
            excluded[iri] = moot
        elif iri in delegated:
            excluded[iri] = f"delegated to {delegated[iri]}"
        else:
            applicable.append(iri)
    model_terms = tuple(_term(ontology, m) for m in models)
    return Profile(
        roles=tuple(sorted((_term(ontology, r) for r in role_nodes), key=lambda t: t.notation)),
        roles_from=roles_from,
        access_model=model_terms[0] if model_terms else None,
        access_model_from=model_from,
        applicable=tuple(applicable),
        excluded=excluded,
        delegated={k: v for k, v in delegated.items() if k in traces},
        source_layer=source_layer,
        access_models=model_terms,
    )


def _moot_under(ontology: Graph, trace: ObligationTrace, models: list[URIRef], data: Statements, policy: Node) -> str:
    """Why ``trace``'s obligation does not arise under any of ``models`` for this policy, or "" if it arises."""
    reasons = []
    for model in models:
        rule = trace.inapplicable_under.get(str(model))
        if rule is None or (rule.provided is not None and not _states(data, policy, *rule.provided)):
            return ""
        reasons.append(f"does not arise under {_term(ontology, model).label}: {rule.reason}")
    return "; ".join(reasons)


def _states(data: Statements, policy: Node, prop: str, value: str) -> bool:
    return any(str(v) == value for v in data.objects(policy, URIRef(prop)))


def _delegations(ontology: Graph, traces: dict[str, ObligationTrace], data: Statements, policy: Node) -> dict[str, str]:
    """Obligation IRI -> the named delegate(s) it is handed to, by name, by group or by core element."""
    delegates: dict[str, set[str]] = {}
    for delegation in data.objects(policy, RSF.delegation):
        delegate = data.value(delegation, RSF.delegate)
        name = str(data.value(delegate, FOAF.name) or "") if delegate is not None else ""
        if not name:
            continue  # an unnamed delegate does not relieve the policy (O-CE2-10 reports it)
        for handed in data.objects(delegation, RSF.delegatedObligation):
            for obligation in _obligations_in(ontology, traces, handed):
                delegates.setdefault(obligation, set()).add(name)
    return {ob: " and ".join(sorted(names)) for ob, names in delegates.items()}


def _obligations_in(ontology: Graph, traces: dict[str, ObligationTrace], handed: Node) -> list[str]:
    """The obligations a delegation names: one obligation, the members of a group, or a core element's."""
    if (handed, RDF.type, SKOS.Collection) in ontology:
        return sorted(str(m) for m in ontology.objects(handed, SKOS.member))
    if (handed, RDF.type, RSF.CoreElement) in ontology:
        return [iri for iri, trace in traces.items() if any(e.iri == str(handed) for e in trace.elements)]
    return [str(handed)]
