"""The JSON report: a documented, versioned structure (docs/report-schema.json)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from .. import __version__
from ..trace import ObligationTrace, Term
from ..validate import SEVERITIES, Finding, PolicyReport, Report

SCHEMA_VERSION = "1.0"
SCHEMA_IRI = "https://w3id.org/rsf/report-schema/1.0"


def _term(t: Term) -> dict[str, str]:
    return {"iri": t.iri, "notation": t.notation, "label": t.label}


def trace_json(trace: ObligationTrace) -> dict[str, Any]:
    return {
        "obligation": {**_term(trace.obligation), "modality": trace.modality},
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


def _counts(items: list[Finding]) -> dict[str, int]:
    return {s: sum(1 for f in items if f.severity == s) for s in SEVERITIES}


def policy_json(p: PolicyReport) -> dict[str, Any]:
    prof = p.profile
    return {
        "policy": p.policy,
        "title": p.title,
        "source": p.origin.source,
        "line": p.origin.line,
        "profile": {
            "roles": [_term(r) for r in prof.roles],
            "roles_from": prof.roles_from,
            "access_model": _term(prof.access_model) if prof.access_model else None,
            "access_model_from": prof.access_model_from,
            "applicable": list(prof.applicable),
            "excluded": [{"obligation": k, "reason": v} for k, v in sorted(prof.excluded.items())],
            "delegated": [{"obligation": k, "delegate": v} for k, v in sorted(prof.delegated.items())],
        },
        "counts": _counts(p.findings),
        "findings": [finding_json(f) for f in p.findings],
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_IRI,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "rsf", "version": __version__},
        "conforms": not report.findings,
        "counts": _counts(report.findings),
        "warnings": report.warnings,
        "policies": [policy_json(p) for p in report.policies],
    }


def render(report: Report) -> bytes:
    return (json.dumps(report_json(report), indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
