"""Checks that run on untrusted bytes before, and around, an RDF parser.

Policies are written by other organisations, so every file is read as if an
attacker wrote it. The promise (docs/security.md): nothing is fetched from the
network, no local file is read that the command line does not name, no
DOCTYPE or entity reaches the XML parser, nesting is bounded, literal content
is never parsed as XML or HTML, and a file that breaks a rule is refused with
its name, the line where known, and what to do. Everything here raises an
:class:`~responsible_sharing.errors.RsfError` (exit code 2).

JSON-LD contexts are the subtle part: a context can name other documents at
any depth (the top-level ``@context``, a context list, ``@import``, and the
scoped contexts of term definitions). :func:`localise_jsonld` rewrites every
one of them before parsing (our own context IRI becomes the shipped context;
any other reference is dropped with a warning), and :func:`no_document_loading`
makes rdflib's loader refuse whatever the rewrite might have missed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, BinaryIO
from xml.parsers import expat

import rdflib
from rdflib import RDF
from rdflib import term as rdflib_term

from .errors import InputError, InputSyntaxError
from .resources import data_dir

#: The IRI under which our JSON-LD context is published; mapped to the shipped file.
CONTEXT_IRI = "https://w3id.org/rsf/context.jsonld"
#: Deepest JSON nesting read (objects and arrays); real policies stay far below it.
MAX_JSON_DEPTH = 100
#: Longest JSON number read, in characters (Python refuses to convert longer integers).
MAX_NUMBER_DIGITS = 1000
_READ_CHUNK = 1 << 20


def make_safe(data: bytes, name: str, fmt: str, warnings: list[str]) -> bytes | str:
    """One file's bytes, checked and made safe to hand to a parser of ``fmt`` (rdflib's format names).

    RDF/XML must pass :func:`check_xml`; JSON-LD is rewritten by
    :func:`localise_jsonld` (parse it within :func:`no_document_loading`);
    every other syntax must be UTF-8 and is returned as text.
    """
    if fmt == "xml":
        check_xml(data, name)
        return data
    if fmt == "json-ld":
        return localise_jsonld(data, name, shipped_context(), warnings)
    return decode_utf8(data, name, _SYNTAX_NAMES.get(fmt, fmt))


_SYNTAX_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "trig": "TriG", "nquads": "N-Quads"}


@lru_cache(maxsize=1)
def _shipped_context_text() -> str:
    return (data_dir("ontology") / "context.jsonld").read_text(encoding="utf-8")


def shipped_context() -> dict[str, Any]:
    """The shipped JSON-LD context (a fresh copy), which stands in for :data:`CONTEXT_IRI`."""
    return json.loads(_shipped_context_text())["@context"]


def read_limited(stream: BinaryIO, limit: int, name: str) -> bytes:
    """Read ``stream`` in chunks, refusing it as soon as it grows past ``limit`` bytes.

    Memory stays within the limit plus one chunk however much is piped in.
    """
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise InputError(f"{name}: over the input limit of {limit / 1024 / 1024:g} MB; "
                             "raise it with --max-size MB if this is what you mean to read")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_utf8(data: bytes, name: str, syntax: str) -> str:
    """``data`` as text; bytes that are not UTF-8 (or NUL) are refused with their line and byte offset."""
    nul = data.find(b"\x00")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = err.start if nul < 0 else min(err.start, nul)
    else:
        if nul < 0:
            return text
        bad = nul
    line = data.count(b"\n", 0, bad) + 1
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        hint = "the file starts with a UTF-16 byte-order mark"
    elif bad == nul:
        hint = f"it holds a NUL byte at byte offset {bad} (UTF-16 or UTF-32 text?)"
    else:
        hint = f"byte 0x{data[bad]:02x} at byte offset {bad} is not UTF-8"
    raise InputSyntaxError(name, f"{syntax} must be UTF-8, but {hint}; save the file as UTF-8 "
                           "(e.g. iconv -f UTF-16 -t UTF-8, or your editor's 'save with encoding')", line)


class _Refused(Exception):
    """Raised inside an expat handler to stop the parse at once."""


def check_xml(data: bytes, name: str) -> None:
    """Refuse XML with a DOCTYPE, and XML that is not well formed, before rdflib sees it.

    Expat itself reads the bytes, in whatever encoding the document declares
    (UTF-16 without a byte-order mark included), and stops at the start of a
    DOCTYPE: no entity is ever declared, let alone expanded.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _Refused:
        raise InputSyntaxError(
            name, "RDF/XML with a DOCTYPE declaration is refused, because a DTD can pull in external "
            "entities (files or URLs) or expand into gigabytes. Remove the <!DOCTYPE …> block and write "
            "the IRIs out in full.", parser.CurrentLineNumber) from None
    except expat.ExpatError as err:
        raise InputSyntaxError(name, f"XML syntax error: {expat.errors.messages[err.code]} "
                               f"(column {err.offset + 1})", err.lineno) from None
    except ValueError as err:  # an encoding expat cannot read, such as a declared "UTF-16-BE"
        raise InputSyntaxError(name, f"the XML cannot be read in the encoding it declares ({err}); "
                               "save it as UTF-8", parser.CurrentLineNumber) from None


def localise_jsonld(data: bytes, name: str, local_context: dict[str, Any], warnings: list[str]) -> str:
    """The JSON-LD document with every context reference resolved offline, as text for the parser.

    Our context IRI becomes ``local_context``; any other reference (remote,
    ``file:``, relative, in a context list, an ``@import`` or a scoped context
    of a term) is dropped, and said in ``warnings``.
    """
    document = _load_json(data, name)
    _check_depth(document, name)
    return json.dumps(_Localiser(name, local_context, warnings).node(document))


def _load_json(data: bytes, name: str) -> Any:
    text = decode_utf8(data, name, "JSON-LD")
    try:
        return json.loads(text, parse_int=lambda digits: _number(digits, int, name),
                          parse_float=lambda digits: _number(digits, float, name))
    except json.JSONDecodeError as err:
        raise InputSyntaxError(name, f"JSON syntax error: {err.msg} (column {err.colno})", err.lineno) from None
    except RecursionError:
        raise InputSyntaxError(name, f"JSON nested deeper than {MAX_JSON_DEPTH} levels is refused; "
                               "flatten the document (use @id references instead of nesting)") from None


def _number(digits: str, kind: type, name: str) -> Any:
    if len(digits) > MAX_NUMBER_DIGITS:
        raise InputSyntaxError(name, f"a JSON number of {len(digits)} characters is refused (at most "
                               f"{MAX_NUMBER_DIGITS}); write it as a string with a datatype "
                               '({"@value": "…", "@type": "xsd:integer"})')
    return kind(digits)


def _check_depth(document: Any, name: str) -> None:
    """Refuse nesting deeper than :data:`MAX_JSON_DEPTH` (checked without recursion)."""
    stack = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InputSyntaxError(name, f"JSON nested deeper than {MAX_JSON_DEPTH} levels is refused; "
                                   "flatten the document (use @id references instead of nesting)")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


class _Localiser:
    """Walks a JSON-LD document and rewrites its contexts (see :func:`localise_jsonld`)."""

    def __init__(self, name: str, local_context: dict[str, Any], warnings: list[str]) -> None:
        self.name = name
        self.local = local_context
        self.warnings = warnings

    def node(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.node(item) for item in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if key == "@context":
                context = self.context(item)
                if context is not None:
                    out[key] = context
            else:
                out[key] = self.node(item)
        return out

    def context(self, value: Any) -> Any:
        """A context value (reference, list or definition) with nothing left to load; None to drop it."""
        if isinstance(value, str):
            if value == CONTEXT_IRI:
                return self.local
            self._skipped("context", value)
            return None
        if isinstance(value, list):
            kept = [self.context(item) for item in value]
            return [item for item in kept if item is not None]
        if isinstance(value, dict):
            return self.definition(value)
        return value

    def definition(self, context: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in context.items():
            if key == "@import":
                self._skipped("@import", value)
            elif isinstance(value, dict) and "@context" in value:
                term = {k: v for k, v in value.items() if k != "@context"}
                scoped = self.context(value["@context"])
                out[key] = term if scoped is None else {**term, "@context": scoped}
            else:
                out[key] = value
        return out

    def _skipped(self, what: str, reference: Any) -> None:
        shown = reference if isinstance(reference, str) else json.dumps(reference)[:200]
        local = isinstance(reference, str) and (reference.startswith("file:") or "://" not in reference)
        reason = ("rsf reads no file the command line does not name" if local
                  else "rsf never reads the network")
        self.warnings.append(f"{self.name}: JSON-LD {what} {shown} was not fetched ({reason}); terms it "
                             f"defines stay unexpanded. Use {CONTEXT_IRI} or an inline context.")


@contextmanager
def no_document_loading(name: str) -> Iterator[None]:
    """While rdflib parses JSON-LD, any attempt to load a document (a context) is refused.

    :func:`localise_jsonld` leaves nothing to load; this is the second lock,
    on rdflib's own loader, so that no form of reference it may have missed
    reaches the network or a file.
    """
    from rdflib.plugins.shared.jsonld import context as jsonld_context

    loader = jsonld_context.source_to_json

    def refuse(source: object, *_: object, **__: object) -> Any:
        raise InputError(f"{name}: the JSON-LD would load the document {source}; refused, because rsf reads "
                         "neither the network nor files the command line does not name. Inline the context.")

    jsonld_context.source_to_json = refuse
    try:
        yield
    finally:
        jsonld_context.source_to_json = loader


def keep_markup_literals_unparsed() -> None:
    """Make rdflib keep ``rdf:XMLLiteral`` and ``rdf:HTML`` literals as text, never parsed.

    rdflib parses their content into a DOM whenever such a literal is built
    (html5rdf takes minutes on deep nesting); neither the shapes nor the
    reports need the DOM, and a literal is compared as written. Called once
    when the reader is imported; it changes rdflib's datatype table for the
    whole process, which rdflib offers no other way to do.
    """
    for datatype in (RDF.XMLLiteral, RDF.HTML):
        rdflib_term._toPythonMapping.pop(datatype, None)  # noqa: SLF001 - see the docstring


@contextmanager
def literals_as_written() -> Iterator[None]:
    """While rdflib builds literals here, keep their lexical forms as written.

    rdflib rewrites a literal to the canonical form of its value
    (``"0"^^xsd:boolean`` becomes ``false``, ``"PT72H"`` becomes ``"P3D"``, an
    ill-typed ``"no"^^xsd:boolean`` becomes ``false``): pySHACL would then
    compare values where SHACL compares terms, and reports would show what
    the user did not write. pySHACL switches the same setting during its own
    runs and back afterwards, so it is set around each use, not once.
    """
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved
