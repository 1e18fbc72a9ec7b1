"""A self-contained HTML report a committee can read: a summary per core
element, then each finding with its fix and the rights behind it."""

from __future__ import annotations

from html import escape

from .. import __version__
from ..validate import SEVERITIES, PolicyReport, Report
from .text import MEANING, MODALITY, NON_BINDING, PLAIN, chain, stated_in

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}
h3{font-size:1.1rem;margin-top:1.5rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}th{background:#f3f3f3}
.violation{color:#a40000}.warning{color:#8a5a00}.info{color:#00607a}
.finding{border-left:4px solid #ccc;padding:.3rem .8rem;margin:.8rem 0}
.finding.violation{border-color:#a40000}.finding.warning{border-color:#c88a00}.finding.info{border-color:#00809f}
.meta{color:#555;font-size:.9rem}code{background:#f5f5f5;padding:0 .2rem}
.meaning{background:#f6f6f6;border:1px solid #ddd;padding:.5rem .8rem}.plain{font-weight:normal}
"""


def _where(path: str, value: str) -> str:
    """Where a finding is, for its meta line: the path, and the value when there is one."""
    where = f"at <code>{escape(path)}</code>" if path else ""
    return where + (f" (value <code>{escape(value)}</code>)" if value else "")


def _input(p: PolicyReport) -> str:
    """Findings on the input itself (see input_checks), before the findings on obligations."""
    if not p.input_findings:
        return ""
    out = ["<h3>Input: what rsf could not read as meant, or did not check</h3>"]
    for f in p.input_findings:
        at = _where(f.path, f.value)
        out.append(
            f"<div class='finding input {f.severity}'><p><span class='{f.severity}'>{f.severity.upper()}</span> "
            f"<code>{escape(f.rule)}</code> {escape(f.title)}</p><p>{escape(f.message)}</p>"
            f"<p class='meta'>{at}</p><p><strong>Fix:</strong> {escape(f.fix)}</p></div>"
        )
    return "\n".join(out)


def _summary(p: PolicyReport) -> str:
    rows: dict[str, dict[str, int]] = {}
    for f in p.findings:
        key = f.trace.elements[0].name if f.trace.elements else "(none)"
        rows.setdefault(key, dict.fromkeys(SEVERITIES, 0))[f.severity] += 1
    if not rows and p.input_findings:
        return ""
    if not rows:
        return "<p>No findings: the policy states every applicable obligation that a written policy can show.</p>"
    head = "<tr><th>Core element</th>" + "".join(f"<th>{s.capitalize()}s</th>" for s in SEVERITIES) + "</tr>"
    body = "".join(
        f"<tr><td>{escape(k)}</td>" + "".join(f"<td>{v[s]}</td>" for s in SEVERITIES) + "</tr>" for k, v in rows.items()
    )
    return f"<table>{head}{body}</table>"


def _policy(p: PolicyReport) -> str:
    prof = p.profile
    roles = ", ".join(r.label for r in prof.roles) or "every role (none stated)"
    model = prof.access_model_label or "none stated"
    where = p.origin.source + (f", line {p.origin.line}" if p.origin.line else "")
    if p.origin.tier_of:
        where += f"; access tier of {p.origin.tier_of}"
    out = [
        f"<h2>{escape(p.title or p.policy)}</h2>",
        f"<p class='meta'><code>{escape(p.policy)}</code> in {escape(where)}<br>",
        f"Profile: issuer role {escape(roles)} ({escape(prof.roles_from)}); access model {escape(model)} "
        f"({escape(prof.access_model_from)}); {len(prof.applicable)} obligations apply.</p>",
        _input(p),
        _summary(p),
    ]
    for f in p.findings:
        ob = f.trace.obligation
        why = "<br>".join(escape(line) for line in chain(f.trace))
        detail = _where(f.path, f.value)
        out.append(
            f"<div class='finding {f.severity}'><h3><span class='{f.severity}'>{f.severity.upper()}</span> "
            f"<span class='plain'>({PLAIN[f.severity]})</span> {escape(ob.notation)} {escape(ob.label)}</h3><p>{escape(f.message)}</p>"
            f"<p class='meta'>{detail}</p><p><strong>Fix:</strong> {escape(f.fix)}</p>"
            f"<p class='meta'><strong>Stated in:</strong> {escape(stated_in(f.trace))}</p>"
            f"<p class='meta'><strong>Why:</strong> {why}<br><strong>Borne by:</strong> "
            f"{escape(', '.join(b.label for b in f.trace.bearers))}<br><strong>Shape:</strong> "
            f"<code>{escape(f.shape)}</code></p></div>"
        )
    return "\n".join(out)


def _meaning() -> str:
    """What a finding means, and the plain words for each severity, near the top of the page."""
    rows = "".join(
        f"<tr><td><span class='{s}'>{s.upper()}</span> (<code>sh:{s.capitalize()}</code>)</td>"
        f"<td>{PLAIN[s]}</td><td>{MODALITY[s]}</td></tr>"
        for s in SEVERITIES
    )
    return (
        f"<div class='meaning'><p><strong>About the findings.</strong> {escape(MEANING)} {escape(NON_BINDING)}</p>"
        "<table><tr><th>Severity (SHACL)</th><th>In plain words</th><th>The texts say</th></tr>"
        f"{rows}</table></div>"
    )


def render(report: Report) -> bytes:
    counts = ", ".join(f"{report.count(s)} {s}{'s' if report.count(s) != 1 else ''}" for s in SEVERITIES)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in report.warnings)
    page = (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>Data-sharing policy report</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<h1>Data-sharing policy report</h1>"
        "<p>Checked against the obligations derived from the GA4GH "
        "<a href='https://www.ga4gh.org/framework'>Framework for Responsible Sharing of Genomic and "
        f"Health-Related Data</a>, by rsf {escape(__version__)}. {len(report.policies)} "
        f"polic{'ies' if len(report.policies) != 1 else 'y'}: {counts}.</p>"
        + _meaning()
        + (f"<ul class='meta'>{warnings}</ul>" if warnings else "")
        + "\n".join(_policy(p) for p in report.policies)
        + "</body></html>\n"
    )
    return page.encode("utf-8")
