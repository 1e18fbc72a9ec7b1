"""Renderers for validation reports: one module per output format.

Each renderer takes a :class:`~responsible_sharing.validate.Report` and returns
bytes, the same bytes for the same input. :func:`write_report` writes the same
bytes to a file, piece by piece where the format allows (JSON), so that a
report on many thousands of policies is never in memory as a whole.
"""

from __future__ import annotations

from typing import BinaryIO, Callable

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


def write_report(fmt: str, report: Report, handle: BinaryIO) -> None:
    """Write ``report`` in ``fmt`` to ``handle``: the bytes of ``RENDERERS[fmt](report)``."""
    if fmt == "json":
        jsonout.write(report, handle)
    else:
        handle.write(RENDERERS[fmt](report))
