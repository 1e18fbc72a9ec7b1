"""The stored SPARQL queries in ``queries/``: reading their headers and running them.

Every ``.rq`` file opens with a comment header of ``# key: value`` lines
(title, description, parameters, columns, example; ``level`` for the ontology
QA queries). A line ``#   more text`` continues the field above it. The header
is part of the public interface: other tools read the same files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from .errors import ResourceError
from .resources import data_dir

_FIELD = re.compile(r"^#\s?([a-z]+):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
#: a stored query's name: never a path that would lead out of ``queries/``
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class StoredQuery:
    name: str
    text: str
    header: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.header.get("title", self.name)

    @property
    def level(self) -> str:
        return self.header.get("level", "")


def parse_header(text: str) -> dict[str, str]:
    header: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if current and (match := _CONTINUATION.match(line)):  # first: "#   text: more" goes on, it is no field
            header[current] = f"{header[current]} {match.group(1).strip()}".strip()
        elif match := _FIELD.match(line):
            current = match.group(1)
            header[current] = match.group(2).strip()
    return header


@cache
def stored_query(name: str) -> StoredQuery:
    """The stored query ``queries/<name>.rq``."""
    resource = data_dir("queries") / f"{name}.rq"
    if not _NAME.fullmatch(name) or not resource.is_file():
        raise ResourceError(f"no stored query named {name!r}; `rsf query --list` shows them")
    text = resource.read_text(encoding="utf-8")
    return StoredQuery(name=name, text=text, header=parse_header(text))


def stored_query_names(prefix: str = "") -> list[str]:
    names = (entry.name[:-3] for entry in data_dir("queries").iterdir() if entry.name.endswith(".rq"))
    return sorted(name for name in names if name.startswith(prefix))


@cache
def _prepared(name: str) -> Query:
    """The stored query ``name`` parsed once per process: parsing costs more than running most of them."""
    return prepareQuery(stored_query(name).text)


def run(graph: Graph, name: str, bindings: dict[str, Node] | None = None) -> Result:
    """Run a stored query on ``graph``, with variables pre-bound by the engine (never by string pasting)."""
    return graph.query(_prepared(name), initBindings=bindings or {})
