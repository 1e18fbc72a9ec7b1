"""SARIF 2.1.0 output, for code-scanning in CI.

One rule per shape that fired (ruleId: the shape's local name), SHACL
severities mapped as code-scanning tools expect (Violation -> error,
Warning -> warning, Info -> note), the location of the policy in its file, and
the trace (obligation, core elements, principles, rights) in ``properties``.
Each rule's description and help, and the driver's description, say that a
result concerns what the policy document states, not whether the
organisation complies.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePath
from urllib.parse import quote
from typing import Any

from .. import __version__
from ..validate import Finding, Report
from .jsonout import trace_json
from .text import MEANING, MODALITY, NON_BINDING, PLAIN, stated_in

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"violation": "error", "warning": "warning", "info": "note"}
#: Said of every rule: what its results are about.
_ABOUT = "The result concerns what the policy document states, not whether the organisation complies."


def _rule_id(shape: str) -> str:
    return shape.rsplit("/", 1)[-1]


def _message(f: Finding) -> str:
    rights = "; ".join(f"{r.label} ({r.citation})" for r in f.trace.rights)
    ob = f.trace.obligation
    return f"{f.message} Obligation {ob.notation} ({ob.label}). Rights at stake: {rights}. Fix: {f.fix}"


def _help_level(severity: str) -> str:
    return f"Level {_LEVEL[severity]}: {PLAIN[severity]} (modality: {MODALITY[severity]})."


def _driver_description() -> str:
    levels = "; ".join(f"{_LEVEL[s]} = {PLAIN[s]} ({MODALITY[s]})" for s in PLAIN)
    return (f"Checks data-sharing policies written in RDF against the GA4GH Framework for Responsible Sharing of "
            f"Genomic and Health-Related Data. {MEANING} {NON_BINDING} Levels: {levels}.")


def _artifact_uri(source: str) -> str:
    """A file path as a relative or absolute URI reference; a store's graph IRI (from --endpoint) as it is."""
    if source == "<stdin>":
        return "stdin"
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", source):
        return quote(source, safe="/:?#[]@!$&'()*+,;=%~")
    return quote(PurePath(source).as_posix(), safe="/:")


def _location(f: Finding) -> dict[str, Any]:
    uri = _artifact_uri(f.source)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if f.line:
        physical["region"] = {"startLine": f.line}
    return {"physicalLocation": physical, "logicalLocations": [{"fullyQualifiedName": f.policy, "kind": "resource"}]}


def sarif_json(report: Report) -> dict[str, Any]:
    fired = sorted({f.shape for f in report.findings}, key=_rule_id)
    index = {shape: i for i, shape in enumerate(fired)}
    first = {}
    for f in report.findings:
        first.setdefault(f.shape, f)
    rules = []
    for shape in fired:
        f = first[shape]
        rules.append({
            "id": _rule_id(shape),
            "name": _rule_id(shape).replace("-", ""),
            "shortDescription": {"text": f.trace.obligation.label},
            "fullDescription": {"text": f"{f.message} {_ABOUT}"},
            "help": {"text": f"{_help_level(f.severity)} Fix: {f.fix} Stated in: {stated_in(f.trace)}. {_ABOUT}"},
            "helpUri": shape,
            "defaultConfiguration": {"level": _LEVEL[f.severity]},
            "properties": {"obligation": f.trace.obligation.iri, "layer": f.trace.layer,
                           "tags": [e.notation for e in f.trace.elements]},
        })
    results = []
    for f in report.findings:
        fingerprint = hashlib.sha256(f"{f.policy}\x1f{f.shape}\x1f{f.value}".encode("utf-8")).hexdigest()
        results.append({
            "ruleId": _rule_id(f.shape),
            "ruleIndex": index[f.shape],
            "level": _LEVEL[f.severity],
            "message": {"text": _message(f)},
            "locations": [_location(f)],
            "partialFingerprints": {"rsfFinding/v1": fingerprint},
            "properties": {"path": f.path, "value": f.value, **trace_json(f.trace)},
        })
    _add_input_findings(report, rules, results)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "rsf", "version": __version__, "informationUri": "https://w3id.org/rsf",
                                "fullDescription": {"text": _driver_description()}, "rules": rules}},
            "results": results,
        }],
    }


def _add_input_findings(report: Report, rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
    """Findings on the input itself (input_checks): one rule per check that fired, ruleId ``input-<check>``."""
    fired = sorted({f.rule for f in report.input_findings})
    first = {}
    for f in report.input_findings:
        first.setdefault(f.rule, f)
    index = {rule: len(rules) + i for i, rule in enumerate(fired)}
    for rule in fired:
        f = first[rule]
        rules.append({
            "id": rule,
            "name": rule.replace("-", ""),
            "shortDescription": {"text": f.title},
            "fullDescription": {"text": f"{f.title}: the input cannot mean what it says, or nothing was checked."},
            "help": {"text": f"Level {_LEVEL[f.severity]}. Found by rsf itself, not by a shape; see docs/reports.md."},
            "helpUri": f.iri,
            "defaultConfiguration": {"level": _LEVEL[f.severity]},
            "properties": {"check": f.check},
        })
    for f in report.input_findings:
        fingerprint = hashlib.sha256(f"{f.policy}\x1f{f.rule}\x1f{f.subject}\x1f{f.path}\x1f{f.value}".encode("utf-8")).hexdigest()
        uri = _artifact_uri(f.source)
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if f.line:
            physical["region"] = {"startLine": f.line}
        results.append({
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _LEVEL[f.severity],
            "message": {"text": f"{f.message}. Fix: {f.fix}"},
            "locations": [{"physicalLocation": physical,
                           "logicalLocations": [{"fullyQualifiedName": f.policy, "kind": "resource"}]}],
            "partialFingerprints": {"rsfFinding/v1": fingerprint},
            "properties": {"check": f.check, "subject": f.subject, "path": f.path, "value": f.value},
        })


def render(report: Report) -> bytes:
    return (json.dumps(sarif_json(report), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
