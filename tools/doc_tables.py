#!/usr/bin/env python3
"""Recompute the derived figures of ``docs/policy-model.md`` from the ontology and the shapes.

Maintenance script, run after a change to obligations, shapes or
applicability; ``tests/test_doc_tables.py`` fails while the document is out
of date. It rewrites the counts of the table under "How many checks" (the
obligations and the checks a profile keeps): the profiles listed, one a row,
stay as written; their figures are computed by the validator's own profile
code from the installed ontology and shapes.

Usage::

    .venv/bin/python tools/doc_tables.py           # rewrite the figures in place
    .venv/bin/python tools/doc_tables.py --check   # exit 1, printing the rows, if any figure is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH

from responsible_sharing import load_ontology
from responsible_sharing.profile import access_models, build_profile
from responsible_sharing.rdfio import parse_into
from responsible_sharing.resources import shipped_path
from responsible_sharing.trace import build_traces

DOC = Path(__file__).resolve().parents[1] / "docs" / "policy-model.md"
HEADER = "| issuer role(s) | access model | obligations | checks |"
RSF = "https://w3id.org/rsf/"
#: what the roles and access model columns say when the profile names none
NONE = ("none given", "none")


class Model:
    """The installed ontology, its obligation traces and the obligations each policy shape checks."""

    def __init__(self) -> None:
        self.ontology = load_ontology().graph
        self.traces = build_traces(self.ontology)
        shapes = Graph()
        with shipped_path("shapes") as folder:
            for path in sorted((folder / "policy").rglob("*.ttl")):
                parse_into(shapes, path)
        self.checks = [
            {str(o) for o in shapes.objects(shape, URIRef(RSF + "checks"))}
            for shape in set(shapes.subjects(URIRef(RSF + "checks"), None))
            if shapes.value(shape, SH.deactivated) != Literal(True)
        ]

    def term(self, label: str, candidates: list[URIRef], column: str) -> URIRef:
        """The candidate whose label is ``label``, or starts with it ("controlled" for "controlled access")."""
        for node in candidates:
            name = str(self.ontology.value(node, RDFS.label) or "")
            if name == label or name.startswith(label + " "):
                return node
        raise SystemExit(f"{DOC.name}: no {column} is called {label!r}")

    def counts(self, roles: str, access_model: str) -> tuple[int, int]:
        """Obligations and checks kept for a policy stating ``roles`` (joined by " + ") and ``access_model``."""
        role_nodes = [] if roles == NONE[0] else [
            self.term(r.strip(), sorted(self.ontology.subjects(RDF.type, URIRef(RSF + "ActorRole"))), "role")
            for r in roles.split("+")]
        model = None if access_model == NONE[1] else self.term(access_model, access_models(self.ontology), "access model")
        policy = URIRef("https://example.org/policy")
        data = Graph()
        data.add((policy, RDF.type, URIRef(RSF + "DataSharingPolicy")))
        for role in role_nodes:
            data.add((policy, URIRef(RSF + "issuerRole"), role))
        if model is not None:
            data.add((policy, URIRef(RSF + "accessModel"), model))
        applicable = set(build_profile(self.ontology, self.traces, data, policy).applicable)
        return len(applicable), sum(1 for checked in self.checks if checked & applicable)


def refresh(text: str, model: Model) -> str:
    """``text`` with every row of the "How many checks" table given its computed figures."""
    lines = text.split("\n")
    start = lines.index(HEADER) + 2  # past the header and its rule
    for number in range(start, len(lines)):
        if not lines[number].startswith("|"):
            break
        roles, access, _, _ = (cell.strip() for cell in lines[number].strip("|").split("|"))
        obligations, checks = model.counts(roles, access)
        lines[number] = f"| {roles} | {access} | {obligations} | {checks} |"
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report stale figures instead of writing them")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    fresh = refresh(text, Model())
    if fresh == text:
        return 0
    if args.check:
        stale = [line for line in fresh.split("\n") if line not in text.split("\n")]
        print(f"{DOC}: stale figures; run tools/doc_tables.py. Computed rows:\n" + "\n".join(stale))
        return 1
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
