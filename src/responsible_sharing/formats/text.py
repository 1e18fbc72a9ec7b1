"""The default report: plain text grouped by core element, for a committee member."""

from __future__ import annotations

import click

from ..namespaces import RSFSH
from ..trace import FRAMEWORK_LAYER, LAYER_LABELS, ObligationTrace, Term
from ..validate import Finding, PolicyReport, Report

_COLOURS = {"violation": "red", "warning": "yellow", "info": "cyan"}

#: What a finding means, said in every report a person reads (text, HTML, SARIF).
#: A finding is about the policy document, never a compliance verdict.
MEANING = (
    "A finding means the policy document does not state what the GA4GH Framework, or a GA4GH policy built on it, "
    "expects; it is a question to answer in proportion to risk, not a verdict on whether the organisation complies."
)
#: Said where there is room for a second sentence (HTML, SARIF, docs/reports.md).
NON_BINDING = "The Framework is non-binding good practice, realised progressively."

#: Plain words beside each (standard) SHACL severity, and the modality of the
#: obligations that carry it: must -> sh:Violation, should -> sh:Warning, may -> sh:Info.
PLAIN = {
    "violation": "required statement missing",
    "warning": "recommended statement missing",
    "info": "good practice not stated",
}
MODALITY = {"violation": "must", "warning": "should", "info": "may"}


def legend() -> str:
    """One line: each severity, its plain words and its modality."""
    return "Severities: " + "; ".join(f"{s} = {PLAIN[s]} ({MODALITY[s]})" for s in PLAIN) + "."


def stated_in(trace: ObligationTrace) -> str:
    """Where the obligation is stated, e.g. ``the Framework, Part IV, 5 …, bullet 2; GA4GH Consent Policy, 2.1.1``."""
    return "; ".join(
        f"{LAYER_LABELS[FRAMEWORK_LAYER] if s.layer == FRAMEWORK_LAYER else s.document_name}, {s.locator}"
        for s in trace.statements
    )


def chain(trace: ObligationTrace) -> list[str]:
    """The obligation's chain to the rights, one line per right."""
    elements = ", ".join(e.name for e in trace.elements)
    principles = ", ".join(p.name for p in trace.principles)
    lines = [f"{elements} -> {principles}"]
    lines += [f"-> {r.label} ({r.citation})" for r in trace.rights]
    return lines


def _finding(f: Finding, color: bool, shown_elements: tuple[Term, ...]) -> list[str]:
    tag = click.style(f.severity.upper(), fg=_COLOURS[f.severity], bold=True) if color else f.severity.upper()
    ob = f.trace.obligation
    out = [f"    {tag} ({PLAIN[f.severity]})  {ob.notation} {ob.label} [{f.trace.modality}]", f"      {f.message}"]
    # a long property path (measures matched through the DPV hierarchy) says nothing to a reader
    simple = f.path and not any(mark in f.path for mark in "(|*?")
    where = f"at {f.path}" if simple else ""
    if f.value and f.value != f.policy and not f.policy.endswith(f.value.split(":")[-1]):
        where += f" (value: {f.value})"
    if where:
        out.append(f"      {where.strip()}")
    out.append(f"      fix: {f.fix}")
    out.append(f"      stated in: {stated_in(f.trace)}")
    if f.trace.elements != shown_elements:
        why = chain(f.trace)
        out.append(f"      why: {why[0]}")
        out += [f"           {line}" for line in why[1:]]
    out.append(f"      borne by: {', '.join(b.label for b in f.trace.bearers)}")
    out.append(f"      shape: rsfsh:{f.shape.removeprefix(str(RSFSH))}" if f.shape.startswith(str(RSFSH)) else f"      shape: {f.shape}")
    return out


def _profile(report: PolicyReport) -> list[str]:
    p = report.profile
    roles = ", ".join(r.label for r in p.roles) if p.roles else "every role (the policy states no rsf:issuerRole)"
    model = p.access_model_label or "none stated"
    out = [f"  access tier of {report.origin.tier_of}"] if report.origin.tier_of else []
    out += [
        f"  profile: issuer role {roles} ({p.roles_from}); access model {model} ({p.access_model_from})",
        f"           {len(p.applicable)} obligation{'s' if len(p.applicable) != 1 else ''} apply, {len(p.excluded)} left out",
    ]
    for iri, why in sorted(p.excluded.items()):
        if not why.startswith("borne by"):
            out.append(f"           - {iri.rsplit('/', 1)[-1]} {why}")
    return out


def _input(report: PolicyReport, color: bool) -> list[str]:
    """Findings on the input itself (see input_checks): shown first, since they change what the rest means."""
    if not report.input_findings:
        return []
    out = ["", "  Input: what rsf could not read as meant, or did not check"]
    for f in report.input_findings:
        tag = click.style(f.severity.upper(), fg=_COLOURS[f.severity], bold=True) if color else f.severity.upper()
        out.append(f"    {tag}  {f.rule}: {f.title}")
        out.append(f"      {f.message}")
        if f.path:
            on = f" on {f.subject}" if f.subject and f.subject != f.policy and f"<{f.policy}>" != f.subject else ""
            out.append(f"      at {f.path}{on}" + (f" (value: {f.value})" if f.value else ""))
        out.append(f"      fix: {f.fix}")
    return out


def render_policy(report: PolicyReport, color: bool) -> list[str]:
    where = report.origin.source + (f":{report.origin.line}" if report.origin.line else "")
    title = f"{report.title} " if report.title else ""
    name = report.policy if report.policy.startswith("[") else f"<{report.policy}>"
    out = [f"Policy {title}{name}", f"  file: {where}"] + _profile(report) + _input(report, color)
    if not report.findings:
        if not report.input_findings:
            out.append("  No findings: the policy states every applicable obligation that a written policy can show.")
        return out
    by_element: dict[str, list[Finding]] = {}
    for f in report.findings:
        key = f.trace.elements[0].name if f.trace.elements else "(no core element)"
        by_element.setdefault(key, []).append(f)
    for element, findings in by_element.items():
        elements = findings[0].trace.elements
        why = chain(findings[0].trace)
        out.append("")
        out.append(f"  {element}")
        out.append(f"    rests on: {why[0].split(' -> ', 1)[-1]}")
        out += [f"              {line}" for line in why[1:]]
        for f in findings:
            out += _finding(f, color, elements)
    return out


def render(report: Report, color: bool = False) -> str:
    out: list[str] = []
    for warning in report.warnings:
        out.append(f"warning: {warning}")
    if report.warnings:
        out.append("")
    for policy in report.policies:
        out += render_policy(policy, color)
        out.append("")
    counts = ", ".join(f"{report.count(s)} {s}{'s' if report.count(s) != 1 else ''}" for s in ("violation", "warning", "info"))
    out.append(f"Summary: {len(report.policies)} polic{'ies' if len(report.policies) != 1 else 'y'}; {counts}")
    out.append(legend())
    out.append(MEANING)
    return "\n".join(out) + "\n"
