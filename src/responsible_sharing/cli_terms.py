"""`rsf search`: find a term by the words of its names and definition.

Kept apart from :mod:`responsible_sharing.cli`, which adds it with :func:`register`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from .cli_options import ontology_option
from .errors import UsageError
from .ontology import load_ontology
from .output import emit
from .terms import SearchHit, term_index
from .validate import engine

FORMATS = ("text", "json", "tsv")
DEFAULT_LIMIT = 20
_TSV_COLUMNS = ("id", "kind", "label", "matched_in", "iri")


def _row(hit: SearchHit) -> dict[str, object]:
    e = hit.entry
    return {"id": e.ident, "iri": e.iri, "prefixed_name": e.prefixed_name, "notation": e.notation, "kind": e.kind,
            "label": e.label, "alt_labels": list(e.alt_labels), "definition": e.definition,
            "matched_in": hit.matched_in, "deprecated": e.deprecated}


def render_json(words: Sequence[str], hits: Sequence[SearchHit], total: int) -> str:
    payload = {"words": list(words), "total": total, "terms": [_row(h) for h in hits]}
    return json.dumps(payload, indent=2, sort_keys=True) + "\n"


def render_tsv(hits: Sequence[SearchHit]) -> str:
    def cell(value: object) -> str:
        return " ".join(str(value).split())  # a tab or line break inside a value would break the row

    rows = ["\t".join(_TSV_COLUMNS)]
    rows += ["\t".join(cell(_row(h)[column]) for column in _TSV_COLUMNS) for h in hits]
    return "\n".join(rows) + "\n"


def render_text(hits: Sequence[SearchHit]) -> str:
    if not hits:
        return ""
    ids = max(len(h.entry.ident) for h in hits)
    kinds = max(len(h.entry.kind) for h in hits)
    lines = []
    for h in hits:
        retired = " (retired)" if h.entry.deprecated else ""
        found = "  [found in its definition]" if h.matched_in == "definition" else ""
        lines.append(f"{h.entry.ident.ljust(ids)}  {h.entry.kind.ljust(kinds)}  {h.entry.label}{retired}{found}".rstrip())
    return "\n".join(lines) + "\n"


def register(cli: click.Group) -> None:
    """Add ``search`` to the ``rsf`` command group."""

    @cli.command("search")
    @click.argument("words", nargs=-1, required=True)
    @ontology_option
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                  help="text: one term a line (its notation or prefixed name, kind and label); json: every field, "
                  "with the total found; tsv: id, kind, label, matched_in, iri with a header line.")
    @click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIMIT, show_default=True, metavar="N",
                  help="Show at most N terms; 0 shows them all.")
    def search_command(words: tuple[str, ...], ontology_dir: Path | None, fmt: str, limit: int) -> None:
        """Find terms whose notation, label, alternative label or definition
        contains every one of WORDS (ignoring case): the terms of the ontology
        and of the vocabulary extracts shipped with it (DUO, DPV, ODRL, DCAT).

        Terms with a name that is WORDS come first, then those whose names hold
        every word, then those found through their definition; within each, the
        Framework's terms, then the rest of the ontology's, then the extracts'.
        The same words always give the same order. Give the first column to
        `rsf explain`, `rsf impact` or `rsf graph --focus`.

        \b
        Examples:
          rsf search privacy
          rsf search access committee --format json
          rsf search re-identification --limit 0

        Exit 0, also when nothing is found (standard error says so).
        """
        if not any(w.strip() for w in words):
            raise UsageError("give at least one word to search for, e.g. rsf search privacy")
        ontology = load_ontology(ontology_dir).graph if ontology_dir else engine().ontology
        hits = term_index(ontology).search(words)
        shown = hits[:limit] if limit else hits
        if fmt == "json":
            text = render_json(words, shown, len(hits))
        else:
            text = render_tsv(shown) if fmt == "tsv" else render_text(shown)
        emit(text.encode("utf-8"), None)
        if not hits:
            click.echo(f"no term has every one of the words {' '.join(words)!r} in its names or definition; "
                       "try fewer or shorter words", err=True)
        elif len(shown) < len(hits):
            click.echo(f"{len(hits) - len(shown)} more terms found; --limit 0 shows them all", err=True)


__all__ = ["register", "render_json", "render_text", "render_tsv"]
