"""Reading RDF files with errors a person can act on.

rdflib reports syntax errors as long, differently shaped exceptions. Here they
become :class:`InputSyntaxError` with the file, the line where the parser
stopped, and what was wrong.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax import SAXParseException

from rdflib import Dataset, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import InputSyntaxError, RsfError
from .input_guards import make_safe, no_document_loading

#: File extensions and the rdflib parser for each.
FORMAT_BY_SUFFIX = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
}

#: Syntaxes that carry named graphs; their quads are merged into one graph.
QUAD_FORMATS = ("trig", "nquads")


def guess_format(path: Path) -> str:
    try:
        return FORMAT_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise InputSyntaxError(
            path, f"cannot tell the RDF syntax from the extension {path.suffix!r}; use one of {known}"
        ) from None


def _badsyntax_line(err: BadSyntax) -> int | None:
    text = getattr(err, "_str", None)
    pos = getattr(err, "_i", None)
    if isinstance(text, (bytes, str)) and isinstance(pos, int):
        newline = b"\n" if isinstance(text, bytes) else "\n"
        return text[:pos].count(newline) + 1  # type: ignore[arg-type]
    lines = getattr(err, "lines", None)
    return lines + 1 if isinstance(lines, int) else None


def parse_into(graph: Graph, path: Path, fmt: str | None = None) -> Graph:
    """Parse ``path`` into ``graph``, through the input guards; raise :class:`InputSyntaxError` on bad syntax."""
    fmt = fmt or guess_format(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputSyntaxError(path, f"cannot read the file: {err.strerror}") from None
    text = make_safe(data, str(path), fmt, [])  # what it drops (a remote JSON-LD context) stays unexpanded
    with no_document_loading(str(path)):
        return parse_bytes_into(graph, text, path, fmt)


def parse_bytes_into(graph: Graph, data: bytes | str, path: Path | str, fmt: str) -> Graph:
    """Parse ``data`` (read from ``path``) into ``graph``, named graphs merged."""
    base = Path(path).resolve().as_uri() if str(path) != "-" else "urn:rsf:stdin"
    try:
        if fmt in QUAD_FORMATS:
            dataset = Dataset()
            dataset.parse(data=data, format=fmt, publicID=base)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(data=data, format=fmt, publicID=base)
    except RsfError:
        raise
    except RecursionError:
        raise InputSyntaxError(path, f"{fmt}: nested too deeply to read; flatten the nesting") from None
    except BadSyntax as err:
        why = getattr(err, "_why", None) or str(err)
        raise InputSyntaxError(path, f"{fmt} syntax error: {why}", _badsyntax_line(err)) from None
    except SAXParseException as err:
        raise InputSyntaxError(path, f"XML syntax error: {err.getMessage()}", err.getLineNumber()) from None
    except Exception as err:  # rdflib's other parsers raise plain exceptions
        raise InputSyntaxError(path, f"{fmt} syntax error: {err}") from None
    return graph
