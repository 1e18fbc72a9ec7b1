"""Access tiers: one programme, several kinds of sharing, each checked with its own profile.

A programme that offers, say, open aggregate statistics, a registered tier and
controlled access inside a secure environment writes one
``rsf:DataSharingPolicy`` for what its tiers share and one node per tier that
points to it with ``odrl:inheritFrom`` (ODRL 2.2, section 2.8: a child policy
inherits from its parent). Each tier is validated as a policy of its own:

* it inherits every statement of its policy, except that for a property the
  tier states itself the tier's values replace the policy's (its own
  ``rsf:accessModel``, ``rsf:dataForm``, title, contact points);
* ODRL rules (``odrl:permission``, ``odrl:prohibition``, ``odrl:obligation``)
  are added to the policy's rather than replacing them, as ODRL's inheritance
  adds the parent's rules to the child's;
* the policy itself is not reported on its own: its statements are checked
  once per tier, in that tier's profile.

A tier is read together with its policy: both must be in the same file (or
named graph).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF
from rdflib.namespace import ODRL2

from .namespaces import RSF

INHERIT_FROM = ox.NamedNode(str(ODRL2.inheritFrom))
_TYPE = ox.NamedNode(str(RDF.type))
_POLICY = ox.NamedNode(str(RSF.DataSharingPolicy))
#: rules a tier adds to its policy's rather than replacing them
_ADDED_RULES = frozenset(ox.NamedNode(str(p)) for p in (ODRL2.permission, ODRL2.prohibition, ODRL2.obligation))

Subject = ox.NamedNode | ox.BlankNode


def find_tiers(quads: Iterable[ox.Quad], policies: set[Subject]) -> dict[Subject, Subject]:
    """Tier -> the policy it inherits from, for every node that inherits from one of ``policies``.

    A policy that is itself a tier of another is still a tier (its parent's statements come first).
    """
    return {q.subject: q.object for q in quads  # type: ignore[misc]
            if q.predicate == INHERIT_FROM and q.object in policies and q.subject != q.object}


def tier_statements(quads: list[ox.Quad], tiers: dict[Subject, Subject]) -> list[ox.Quad]:
    """The statements each tier inherits from its policy, and its typing as a policy to validate."""
    about: dict[Subject, list[ox.Quad]] = defaultdict(list)
    wanted = set(tiers) | set(tiers.values())
    for quad in quads:
        if quad.subject in wanted:
            about[quad.subject].append(quad)  # type: ignore[index]
    derived = []
    for tier, policy in sorted(tiers.items(), key=lambda kv: str(kv[0])):
        own = {q.predicate for q in about[tier]}
        derived.append(ox.Quad(tier, _TYPE, _POLICY))
        for quad in about[policy]:
            if quad.predicate == _TYPE or (quad.predicate in own and quad.predicate not in _ADDED_RULES):
                continue
            derived.append(ox.Quad(tier, quad.predicate, quad.object))
    return derived
