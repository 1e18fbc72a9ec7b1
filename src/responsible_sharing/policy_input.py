"""Reading policy files: untrusted input, read without touching the network.

Policies arrive as files, folders or standard input, in any RDF syntax rdflib
reads. Before a byte reaches a parser this module refuses what could hurt or
mislead: files over a size limit, RDF/XML with a DOCTYPE (the door to external
entities), JSON-LD contexts on the web (never fetched; our own context IRI is
mapped to the shipped file). After parsing it warns about ``owl:imports``
(never followed) and about statements on our own terms, and it finds every
``rsf:DataSharingPolicy`` with the file and line where it is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from rdflib import OWL, RDF, BNode, Graph, URIRef
from rdflib.term import Node

from .errors import InputSyntaxError, RsfError
from .namespaces import RSF
from .rdfio import FORMAT_BY_SUFFIX, guess_format, parse_bytes_into
from .resources import data_dir

#: The IRI under which our JSON-LD context is published; mapped to the shipped file.
CONTEXT_IRI = "https://w3id.org/rsf/context.jsonld"
DEFAULT_MAX_MB = 10.0
STDIN = "-"
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class InputError(RsfError):
    """Input that cannot be validated: nothing found, or refused for safety."""


@dataclass(frozen=True)
class PolicyOrigin:
    """Where a policy is written: file and, where it can be found, line."""

    source: str
    line: int | None


@dataclass
class PolicyInput:
    """Everything read from the user's files, merged into one graph."""

    graph: Graph
    sources: list[str] = field(default_factory=list)
    policies: dict[Node, PolicyOrigin] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def expand_paths(arguments: list[str]) -> list[str]:
    """Files to read: files as given, folders searched for RDF files (sorted), ``-`` as is."""
    found: list[str] = []
    for argument in arguments:
        if argument == STDIN:
            found.append(STDIN)
            continue
        path = Path(argument)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMAT_BY_SUFFIX)
            if not files:
                raise InputError(f"{path}: the folder holds no RDF files ({', '.join(sorted(FORMAT_BY_SUFFIX))})")
            found.extend(str(p) for p in files)
        elif path.is_file():
            found.append(str(path))
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def read_policies(
    arguments: list[str],
    *,
    max_mb: float = DEFAULT_MAX_MB,
    stdin_format: str = "turtle",
    require_policy: bool = True,
) -> PolicyInput:
    """Read every policy file named in ``arguments`` into one graph.

    Raises :class:`InputError` or :class:`InputSyntaxError` (exit code 2) for
    anything that cannot be validated, naming the file and, where the parser
    knows it, the line.
    """
    result = PolicyInput(graph=Graph())
    for source in expand_paths(arguments):
        _read_one(source, result, max_mb, stdin_format)
    if require_policy:
        require_policies(result.policies, result.sources, result.warnings)
    return result


def require_policies(policies: dict, sources: list[str], warnings: list[str]) -> None:
    """Refuse input with no policy in it: it must never be reported as conforming."""
    if not policies:
        where = ", ".join(sources)
        notes = "".join(f"\n  note: {w}" for w in warnings if "no rsf:DataSharingPolicy" not in w)
        raise InputError(
            f"{where}: no data-sharing policy found. A policy is a resource typed rsf:DataSharingPolicy "
            f"(https://w3id.org/rsf/DataSharingPolicy); see docs/policy-model.md.{notes}"
        )


def _read_one(source: str, result: PolicyInput, max_mb: float, stdin_format: str) -> None:
    if source == STDIN:
        data = sys.stdin.buffer.read()
        fmt = stdin_format
        name = "<stdin>"
    else:
        path = Path(source)
        fmt = guess_format(path)
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise InputError(
                f"{path}: {size / 1024 / 1024:.1f} MB is over the input limit of {max_mb:g} MB; "
                "if the file is what you mean to validate, raise the limit with --max-size MB"
            )
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{path}: cannot read the file: {err.strerror}") from None
        name = str(path)
    if len(data) > max_mb * 1024 * 1024:
        raise InputError(f"{name}: over the input limit of {max_mb:g} MB; raise it with --max-size MB")
    if not data.strip():
        raise InputError(f"{name}: the file is empty; there is no policy to validate")
    if fmt == "xml" and _DOCTYPE.search(data):
        raise InputError(
            f"{name}: RDF/XML with a DOCTYPE declaration is refused, because a DTD can pull in external "
            "entities (files or URLs). Remove the <!DOCTYPE …> block and write the IRIs out in full."
        )
    text: bytes | str = data
    if fmt == "json-ld":
        text = _localise_jsonld(data, name, result.warnings)
    graph = Graph()
    with _quiet_literal_warnings():
        parse_bytes_into(graph, text, name if source != STDIN else STDIN, fmt)
    result.sources.append(name)
    _note_imports(graph, name, result.warnings)
    _note_collisions(graph, name, result.warnings)
    policies = sorted(set(graph.subjects(RDF.type, RSF.DataSharingPolicy)), key=str)
    if not policies:
        result.warnings.append(f"{name}: no rsf:DataSharingPolicy in this file; its statements are read as context")
    decoded = data.decode("utf-8", errors="replace")
    for policy in policies:
        if policy not in result.policies:
            result.policies[policy] = PolicyOrigin(name, _line_of(policy, decoded, graph))
    for triple in graph:
        result.graph.add(triple)
    for prefix, namespace in graph.namespaces():
        result.graph.bind(prefix, namespace, override=False)


@contextmanager
def _quiet_literal_warnings() -> Iterator[None]:
    """Keep rdflib from printing tracebacks for ill-typed literals (``"six weeks"^^xsd:duration``).

    Such a value is the user's to fix, and the shapes report it as a finding
    naming the property; a Python traceback on the terminal would only alarm.
    """
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        logger.setLevel(level)


def _localise_jsonld(data: bytes, name: str, warnings: list[str]) -> str:
    """Replace our context IRI by the shipped context; drop (and report) other remote contexts."""
    try:
        document = json.loads(data)
    except json.JSONDecodeError as err:
        raise InputSyntaxError(name, f"JSON syntax error: {err.msg} (column {err.colno})", err.lineno) from None
    local = json.loads((data_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))["@context"]

    def fix_context(value: Any) -> Any:
        if isinstance(value, str):
            if value == CONTEXT_IRI:
                return local
            warnings.append(f"{name}: JSON-LD context {value} was not fetched (rsf never reads the network); "
                            f"terms it defines stay unexpanded. Use {CONTEXT_IRI} or an inline context.")
            return None
        if isinstance(value, list):
            kept = [fix_context(v) for v in value]
            return [v for v in kept if v is not None]
        if isinstance(value, dict):
            if "@import" in value:
                warnings.append(f"{name}: JSON-LD @import {value['@import']} was not fetched (rsf never reads the network)")
                value = {k: v for k, v in value.items() if k != "@import"}
            return value
        return value

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "@context":
                    fixed = fix_context(value)
                    if fixed is not None:
                        out[key] = fixed
                else:
                    out[key] = walk(value)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return json.dumps(walk(document))


def _note_imports(graph: Graph, name: str, warnings: list[str]) -> None:
    for target in sorted(set(graph.objects(None, OWL.imports)), key=str):
        warnings.append(f"{name}: owl:imports {target} was not followed (rsf never reads the network); "
                        "pass the imported file as another argument if it holds part of the policy")


def _note_collisions(graph: Graph, name: str, warnings: list[str]) -> None:
    ours = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(RSF))}, key=str)
    if ours:
        listed = ", ".join(str(s) for s in ours[:5]) + (" …" if len(ours) > 5 else "")
        warnings.append(
            f"{name}: states facts about {len(ours)} term(s) in the responsible-sharing namespace ({listed}); "
            "validation uses the shipped ontology for them. Give your own resources IRIs in your own namespace."
        )


def _line_of(node: Node, text: str, graph: Graph) -> int | None:
    """The first line where ``node`` is written as a subject (best effort; None for blank nodes)."""
    if isinstance(node, BNode):
        return None
    iri = str(node)
    candidates = [f"<{iri}>", f'"{iri}"']
    for prefix, namespace in graph.namespaces():
        if prefix and iri.startswith(str(namespace)) and iri != str(namespace):
            local = iri[len(str(namespace)):]
            candidates.append(f"{prefix}:{local}")
            candidates.append(f'"{prefix}:{local}"')
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        for candidate in candidates:
            if stripped.startswith(candidate) or f'"@id": {candidate}' in line or f'rdf:about="{iri}"' in line:
                return number
    return None
