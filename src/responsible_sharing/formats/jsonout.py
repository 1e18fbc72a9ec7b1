"""The JSON report: a documented, versioned structure (docs/report-schema.json)."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from functools import lru_cache
from typing import Any, BinaryIO

from .. import __version__
from ..trace import ObligationTrace, Term
from ..input_checks import InputFinding
from ..validate import SEVERITIES, Finding, PolicyReport, Report

SCHEMA_VERSION = "1.2"
SCHEMA_IRI = "https://w3id.org/rsf/report-schema/1.2"


def _term(t: Term) -> dict[str, str]:
    return {"iri": t.iri, "notation": t.notation, "label": t.label}


@lru_cache(maxsize=None)
def trace_json(trace: ObligationTrace) -> dict[str, Any]:
    """The trace part of a finding, built once per obligation (the result is shared: do not change it)."""
    return {
        "obligation": {
            **_term(trace.obligation),
            "modality": trace.modality,
            "layer": trace.layer,
            "stated_in": [asdict(s) for s in trace.statements],
        },
        "core_elements": [_term(e) for e in trace.elements],
        "principles": [_term(p) for p in trace.principles],
        "rights": [
            {"iri": r.iri, "notation": r.notation, "label": r.label, "provisions": [asdict(p) for p in r.provisions]}
            for r in trace.rights
        ],
        "bearers": [_term(b) for b in trace.bearers],
    }


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "message": f.message,
        "fix": f.fix,
        "focus_node": f.policy,
        "path": f.path,
        "value": f.value,
        "shape": f.shape,
        "source": f.source,
        "line": f.line,
        **trace_json(f.trace),
    }


def input_finding_json(f: InputFinding) -> dict[str, Any]:
    """A finding on the input itself: no obligation behind it, a check instead (see input_checks)."""
    return {
        "check": f.check,
        "rule": f.rule,
        "title": f.title,
        "severity": f.severity,
        "message": f.message,
        "fix": f.fix,
        "focus_node": f.policy,
        "subject": f.subject,
        "path": f.path,
        "value": f.value,
        "source": f.source,
        "line": f.line,
    }


def _counts(items: list[Finding] | list[InputFinding] | list) -> dict[str, int]:
    return {s: sum(1 for f in items if f.severity == s) for s in SEVERITIES}


def policy_json(p: PolicyReport) -> dict[str, Any]:
    prof = p.profile
    return {
        "policy": p.policy,
        "title": p.title,
        "source": p.origin.source,
        "line": p.origin.line,
        "tier_of": p.origin.tier_of,
        "profile": {
            "roles": [_term(r) for r in prof.roles],
            "roles_from": prof.roles_from,
            "access_model": _term(prof.access_model) if prof.access_model else None,
            "access_model_from": prof.access_model_from,
            "access_models": [_term(m) for m in prof.access_models],
            "sources": prof.source_layer,
            "applicable": list(prof.applicable),
            "excluded": [{"obligation": k, "reason": v} for k, v in sorted(prof.excluded.items())],
            "delegated": [{"obligation": k, "delegate": v} for k, v in sorted(prof.delegated.items())],
        },
        "conforms": p.conforms,
        "counts": _counts([*p.findings, *p.input_findings]),
        "input_findings": [input_finding_json(f) for f in p.input_findings],
        "findings": [finding_json(f) for f in p.findings],
    }


def _head(report: Report) -> dict[str, Any]:
    findings = [*report.findings, *report.input_findings]
    return {
        "$schema": SCHEMA_IRI,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "rsf", "version": __version__},
        "conforms": report.conforms,
        "counts": _counts(findings),
        "warnings": report.warnings,
    }


def report_json(report: Report) -> dict[str, Any]:
    """The whole report as one JSON value (in memory: for small reports and for tests)."""
    return {**_head(report), "policies": [policy_json(p) for p in report.policies]}


def write(report: Report, handle: BinaryIO) -> None:
    """Write the report policy by policy: the same bytes as ``json.dumps(report_json(report), indent=2)``.

    Only one policy's JSON is in memory at a time, so a report on a hundred
    thousand policies (each finding with its full trace) never is as a whole.
    """
    head = json.dumps({**_head(report), "policies": []}, indent=2, ensure_ascii=False)
    opening, _, _ = head.rpartition("[]")
    handle.write(opening.encode("utf-8"))
    if not report.policies:
        handle.write(b"[]\n}\n")
        return
    handle.write(b"[")
    for number, p in enumerate(report.policies):
        item = json.dumps(policy_json(p), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        handle.write(("\n    " if number == 0 else ",\n    ").encode("utf-8") + item.encode("utf-8"))
    handle.write(b"\n  ]\n}\n")


def render(report: Report) -> bytes:
    buffer = io.BytesIO()
    write(report, buffer)
    return buffer.getvalue()
