"""Coverage: which core elements, principles and rights a policy addresses.

An obligation that applies to the policy's profile is *met* when no shape
checking it reported anything, *open* otherwise; obligations no written
policy can show are listed apart. A core element, principle or right is
*addressed* when every applicable obligation resting on it is met, *partly*
when some are, *not addressed* when none is, and *not asked* when none
applies to this profile. The same standing is given per source layer (the
Framework, the GA4GH policies), and each open obligation names the clauses it
is stated in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .trace import LAYER_LABELS, SOURCE_LAYERS, ObligationTrace, Term, natural_key
from .validate import SEVERITIES, PolicyReport, Report


@dataclass(frozen=True)
class Standing:
    term: Term
    status: str
    met: tuple[str, ...]
    open: tuple[str, ...]


@dataclass(frozen=True)
class PolicyCoverage:
    policy: str
    title: str
    elements: tuple[Standing, ...]
    principles: tuple[Standing, ...]
    rights: tuple[Standing, ...]
    layers: tuple[Standing, ...]
    #: obligation notation -> worst severity found
    open_obligations: dict[str, str]
    #: obligation notation -> (layer, the citations of the clauses it is stated in)
    open_sources: dict[str, tuple[str, tuple[str, ...]]]
    not_checkable: tuple[str, ...]


def _status(met: int, open_: int) -> str:
    if not met and not open_:
        return "not asked"
    if not open_:
        return "addressed"
    return "partly" if met else "not addressed"


def _standings(terms: dict[str, Term], holders: dict[str, list[ObligationTrace]], open_: dict[str, str]) -> tuple[Standing, ...]:
    out = []
    for iri, t in terms.items():
        traces = holders.get(iri, [])
        met = tuple(tr.obligation.notation for tr in traces if tr.obligation.iri not in open_)
        opened = tuple(tr.obligation.notation for tr in traces if tr.obligation.iri in open_)
        out.append(Standing(t, _status(len(met), len(opened)), met, opened))
    return tuple(out)


def policy_coverage(report: PolicyReport, traces: dict[str, ObligationTrace]) -> PolicyCoverage:
    worst: dict[str, str] = {}
    for f in report.findings:
        current = worst.get(f.trace.obligation.iri)
        if current is None or SEVERITIES.index(f.severity) < SEVERITIES.index(current):
            worst[f.trace.obligation.iri] = f.severity
    applicable = [traces[i] for i in report.profile.applicable]
    checkable = [t for t in applicable if t.machine_checkable]
    elements: dict[str, Term] = {}
    principles: dict[str, Term] = {}
    rights: dict[str, Term] = {}
    by_element: dict[str, list[ObligationTrace]] = {}
    by_principle: dict[str, list[ObligationTrace]] = {}
    by_right: dict[str, list[ObligationTrace]] = {}
    layers = {layer: Term(LAYER_IRIS[layer], layer, LAYER_LABELS[layer]) for layer in SOURCE_LAYERS}
    by_layer: dict[str, list[ObligationTrace]] = {}
    for t in traces.values():  # every term appears, asked or not
        for e in t.elements:
            elements[e.iri] = e
        for p in t.principles:
            principles[p.iri] = p
        for r in t.rights:
            rights[r.iri] = Term(r.iri, r.notation, r.label)
    for t in checkable:
        for e in t.elements:
            by_element.setdefault(e.iri, []).append(t)
        for p in t.principles:
            by_principle.setdefault(p.iri, []).append(t)
        for r in t.rights:
            by_right.setdefault(r.iri, []).append(t)
        by_layer.setdefault(t.layer, []).append(t)

    def ordered(terms: dict[str, Term]) -> dict[str, Term]:
        return dict(sorted(terms.items(), key=lambda kv: natural_key(kv[1].notation or kv[1].label)))

    return PolicyCoverage(
        policy=report.policy,
        title=report.title,
        elements=_standings(ordered(elements), by_element, worst),
        principles=_standings(ordered(principles), by_principle, worst),
        rights=_standings(ordered(rights), by_right, worst),
        layers=_standings(layers, by_layer, worst),
        open_sources={traces[i].obligation.notation: (traces[i].layer, tuple(s.citation for s in traces[i].statements))
                      for i in worst},
        open_obligations={traces[i].obligation.notation: s for i, s in sorted(worst.items(), key=lambda kv: natural_key(traces[kv[0]].obligation.notation))},
        not_checkable=tuple(sorted(t.obligation.notation for t in applicable if not t.machine_checkable)),
    )


#: the ontology term that stands for each source layer
LAYER_IRIS = {"framework": "https://w3id.org/rsf/GA4GHFramework", "ga4gh-policies": "https://w3id.org/rsf/GA4GHPolicy"}


def coverage(report: Report) -> list[PolicyCoverage]:
    return [policy_coverage(p, report.traces) for p in report.policies]


def render_table(items: list[PolicyCoverage]) -> str:
    out: list[str] = []
    for c in items:
        out.append(f"Policy {c.title + ' ' if c.title else ''}<{c.policy}>")
        for heading, rows in (("Core elements", c.elements), ("Principles", c.principles), ("Rights", c.rights),
                              ("Sources", c.layers)):
            out.append("")
            width = max(len(s.term.name) for s in rows)
            out.append(f"  {heading:<{width}}  {'status':<13}  met  open")
            for s in rows:
                out.append(f"  {s.term.name:<{width}}  {s.status:<13}  {len(s.met):>3}  {len(s.open):>4}")
        out.append("")
        if c.open_obligations:
            out.append("  Open obligations:")
            for notation, severity in c.open_obligations.items():
                layer, citations = c.open_sources[notation]
                out.append(f"    {notation:<10} {severity:<9} {LAYER_LABELS[layer]}: {'; '.join(citations)}")
        else:
            out.append("  Open obligations: none")
        if c.not_checkable:
            out.append("  Not machine-checkable (review by hand): " + ", ".join(c.not_checkable))
        out.append("")
    return "\n".join(out)


def _standing_json(s: Standing) -> dict[str, Any]:
    return {"iri": s.term.iri, "notation": s.term.notation, "label": s.term.label, "status": s.status,
            "met": list(s.met), "open": list(s.open)}


def render_json(items: list[PolicyCoverage]) -> str:
    data = [
        {
            "policy": c.policy,
            "title": c.title,
            "core_elements": [_standing_json(s) for s in c.elements],
            "principles": [_standing_json(s) for s in c.principles],
            "rights": [_standing_json(s) for s in c.rights],
            "sources": [_standing_json(s) for s in c.layers],
            "open_obligations": [{"obligation": k, "severity": v, "layer": c.open_sources[k][0],
                                  "stated_in": list(c.open_sources[k][1])} for k, v in c.open_obligations.items()],
            "not_machine_checkable": list(c.not_checkable),
        }
        for c in items
    ]
    return json.dumps({"coverage_version": "1.1", "policies": data}, indent=2, ensure_ascii=False) + "\n"
