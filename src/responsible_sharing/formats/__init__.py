"""Renderers for validation reports: one module per output format.

Each renderer takes a :class:`~responsible_sharing.validate.Report` and returns
bytes, the same bytes for the same input.
"""

from __future__ import annotations

from typing import Callable

from ..validate import Report
from . import html, jsonout, rdf, sarif, text

Renderer = Callable[[Report], bytes]

RENDERERS: dict[str, Renderer] = {
    "text": lambda report: text.render(report, color=False).encode("utf-8"),
    "json": jsonout.render,
    "turtle": lambda report: rdf.render(report, "turtle"),
    "jsonld": lambda report: rdf.render(report, "json-ld"),
    "sarif": sarif.render,
    "html": html.render,
}
