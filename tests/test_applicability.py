"""The table of obligations by kind of sharing in docs/model.md is what the profiles compute.

The table is the reviewed statement of when each obligation arises; the
profiles are computed from rsf:inapplicableUnder in the ontology. A change to
either without the other fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from responsible_sharing.ontology import load_ontology
from responsible_sharing.profile import access_models, build_profile
from responsible_sharing.trace import build_traces

RSF = "https://w3id.org/rsf/"
MODEL_DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"
COLUMNS = ["open", "registered", "controlled", "secure environment"]
_CONDITION = re.compile(r"\*\*no\*\* if `rsf:(\w+) (\w+)`")


def _table() -> dict[str, dict[str, str]]:
    """notation -> kind of sharing -> cell, from the table in docs/model.md."""
    text = MODEL_DOC.read_text(encoding="utf-8")
    section = text[text.index("## Applicability by kind of sharing"):]
    section = section[: section.index("\n## ", 4)]
    header = "| obligation | " + " | ".join(COLUMNS) + " |"
    assert header in section, "the table's columns must be the four kinds of sharing, open first"
    rows = {}
    for line in section.splitlines():
        if line.startswith("| O-CE"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0].split()[0]] = dict(zip(COLUMNS, cells[1:], strict=True))
    return rows


@pytest.fixture(scope="module")
def model():
    graph = load_ontology().graph
    return graph, build_traces(graph), access_models(graph)


def _profile(model, access_model: URIRef, facts: tuple[tuple[str, str], ...] = ()):
    ontology, traces, _ = model
    data, policy = Graph(), URIRef("https://example.org/policy")
    data.add((policy, RDF.type, URIRef(RSF + "DataSharingPolicy")))
    data.add((policy, URIRef(RSF + "accessModel"), access_model))
    for prop, value in facts:
        data.add((policy, URIRef(RSF + prop), Literal(value == "true") if value in ("true", "false") else Literal(value)))
    return build_profile(ontology, traces, data, policy)


def test_the_table_has_one_row_per_obligation_in_force(model):
    _, traces, _ = model
    assert sorted(_table()) == sorted(t.obligation.notation for t in traces.values())


def test_the_columns_are_the_access_models_of_the_ontology(model):
    ontology, _, models = model
    labels = [str(ontology.value(m, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) for m in models]
    assert labels == ["open access", "registered access", "controlled access", "secure environment access"]


def test_profiles_computed_from_the_ontology_equal_the_table(model):
    _, traces, models = model
    by_notation = {t.obligation.notation: iri for iri, t in traces.items()}
    mismatches = []
    for column, access_model in zip(COLUMNS, models, strict=True):
        plain = _profile(model, access_model)
        for notation, cells in _table().items():
            iri, cell = by_notation[notation], cells[column]
            condition = _CONDITION.fullmatch(cell)
            arises = iri in plain.applicable
            if cell == "yes" and not arises or cell == "**no**" and arises:
                mismatches.append(f"{notation} under {column}: table says {cell}, profile says {'yes' if arises else 'no'}")
            elif condition:
                stated = _profile(model, access_model, (condition.groups(),))
                if not arises or iri in stated.applicable:
                    mismatches.append(f"{notation} under {column}: table says {cell}; without the fact the profile "
                                      f"says {'yes' if arises else 'no'}, with it {'yes' if iri in stated.applicable else 'no'}")
            elif cell not in ("yes", "**no**"):
                mismatches.append(f"{notation} under {column}: cannot read the cell {cell!r}")
    assert not mismatches, "\n".join(mismatches)


def test_every_no_carries_a_reason_a_user_can_read(model):
    _, traces, _ = model
    for trace in traces.values():
        for rule in trace.inapplicable_under.values():
            assert len(rule.reason) > 30, trace.obligation.notation


def test_the_reidentification_ban_arises_under_every_kind_of_sharing():
    assert set(_table()["O-CE5-03"].values()) == {"yes"}
