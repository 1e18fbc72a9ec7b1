"""One way to name a term: every command resolves a notation, a label in any case, a prefixed
name, an IRI or a local name to the same term, suggests the nearest on a miss, lists the
candidates of an ambiguous name; `rsf search` finds terms by words; `rsf explain` of an
obligation shows its bearers and the shapes that check it with their fix hints.

Run in-process (``run_rsf_inprocess``) to stay fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from rdflib import RDFS, SH
from rdflib.namespace import SKOS

from responsible_sharing.namespaces import RSF
from responsible_sharing.validate import engine

from hostile import run_rsf_inprocess

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PRIVACY = str(RSF.RightToPrivacy)
#: every way a user may name the right to privacy
PRIVACY_NAMES = ("HR-PRIVACY", "hr-privacy", "right to privacy", "RIGHT TO PRIVACY", "rsf:RightToPrivacy",
                 PRIVACY, f"<{PRIVACY}>", "RightToPrivacy", "righttoprivacy")


def _ok(*args: str):
    outcome = run_rsf_inprocess(*args)
    assert outcome.code == 0, (args, outcome.stderr)
    return outcome


def _refused(*args: str):
    outcome = run_rsf_inprocess(*args)
    assert outcome.code == 2, (args, outcome.stdout, outcome.stderr)
    assert outcome.stdout == "" and "Traceback" not in outcome.stderr
    return outcome.stderr


# --- every form names the same term, in every command --------------------------


def test_explain_accepts_every_form_of_a_name():
    assert json.loads(_ok("explain", "rsf:RightToPrivacy", "--format", "json").stdout)["iri"] == PRIVACY
    # a class is cheap to explain: every form, through the same command
    access_model = str(RSF.AccessModel)
    for name in ("AccessModel", "access model", "ACCESS MODEL", "rsf:AccessModel", access_model, f"<{access_model}>"):
        assert json.loads(_ok("explain", name, "--format", "json").stdout)["iri"] == access_model, name
    # terms of the shipped extracts, by the prefixes the ontology and the extracts bind
    duo = _ok("explain", "obo:DUO_0000042").stdout
    assert duo.startswith("general research use\n") and "<http://purl.obolibrary.org/obo/DUO_0000042>" in duo
    assert "<https://w3id.org/dpv#Consent>" in _ok("explain", "dpv:Consent").stdout


def test_impact_and_graph_focus_accept_every_form_of_a_name():
    impacts = {name: json.loads(_ok("impact", name, "--format", "json").stdout) for name in PRIVACY_NAMES}
    assert {data["term"]["iri"] for data in impacts.values()} == {PRIVACY}
    assert len({json.dumps(data, sort_keys=True) for data in impacts.values()}) == 1
    graphs = {name: _ok("graph", "--focus", name).stdout for name in ("hr-privacy", "rsf:RightToPrivacy", "RightToPrivacy")}
    assert len(set(graphs.values())) == 1
    assert nx.parse_graphml(graphs["hr-privacy"]).graph["focus"] == PRIVACY


def test_role_and_access_model_options_accept_every_form_of_a_name():
    custodian = str(RSF.DataCustodian)
    roles = ("R05", "r05", "data custodian", "Data Custodian", "rsf:DataCustodian", custodian, "DataCustodian")
    options = [arg for role in roles for arg in ("--role", role)]
    outcome = run_rsf_inprocess("validate", str(EXAMPLES / "research-institute-policy.ttl"), "--format", "json",
                                "--access-model", "rsf:SecureEnvironmentAccess", *options)
    assert outcome.code in (0, 1), outcome.stderr
    profile = json.loads(outcome.stdout)["policies"][0]["profile"]
    # seven names, one role
    assert [role["iri"] for role in profile["roles"]] == [custodian]
    assert profile["access_model"]["iri"] == str(RSF.SecureEnvironmentAccess)


# --- misses and ambiguity ----------------------------------------------------------


def test_a_miss_is_exit_2_with_the_nearest_terms():
    explained = _refused("explain", "CE42")
    assert explained.startswith("rsf: error: no term has the notation, label or IRI 'CE42'; did you mean CE4 ")
    assert len(explained.splitlines()) == 1 and "rsf search WORDS" in explained
    assert 'HR-PRIVACY "right to privacy"' in _refused("impact", "rigth to privacy")
    assert 'HR-PRIVACY "right to privacy"' in _refused("graph", "--focus", "right to privacey")
    # the same suggestions every time
    assert _refused("explain", "CE42") == explained


def test_an_option_restricted_to_a_kind_names_the_kind():
    wrong_kind = _refused("validate", str(EXAMPLES / "research-institute-policy.ttl"), "--role", "CE5")
    assert "Invalid value for '--role'" in wrong_kind
    assert "'CE5' is CE5 \"Privacy, Data Protection and Confidentiality\", a core element, not an actor role" in wrong_kind
    assert 'R05 "data custodian"' in wrong_kind  # the choices are listed
    misspelt = _refused("validate", str(EXAMPLES / "research-institute-policy.ttl"), "--role", "data custodain")
    assert 'no actor role has the notation, label or IRI \'data custodain\'; did you mean R05 "data custodian"?' in misspelt
    model = _refused("coverage", str(EXAMPLES / "research-institute-policy.ttl"), "--access-model", "closed")
    assert "Invalid value for '--access-model'" in model and "no access model has" in model
    assert all(choice in model for choice in ('open "open access"', 'controlled "controlled access"'))


def test_an_ambiguous_name_lists_the_candidates():
    # two of our own terms whose local names differ only in case
    local = _refused("explain", "accessmodel")
    assert "'accessmodel' names more than one term" in local
    assert 'rsf:AccessModel "access model" (owl:Class)' in local and "rsf:accessModel" in local
    # written in its own case, each is found
    assert json.loads(_ok("explain", "accessModel", "--format", "json").stdout)["iri"] == str(RSF.accessModel)
    # two terms of the extracts with the same label
    label = _refused("explain", "purpose")
    assert "dpv:Purpose" in label and "odrl:purpose" in label


def test_a_term_of_the_framework_wins_over_the_vocabulary_with_the_same_label():
    # rsf:sustainability (a property) is labelled "sustainability" too
    assert json.loads(_ok("explain", "sustainability", "--format", "json").stdout)["iri"] == str(RSF.CE8)
    assert json.loads(_ok("explain", "rsf:sustainability", "--format", "json").stdout)["iri"] == str(RSF.sustainability)


# --- rsf search ------------------------------------------------------------------------


def _search(*args: str) -> dict:
    return json.loads(_ok("search", *args, "--format", "json", "--limit", "0").stdout)


def test_search_finds_an_obligation_by_a_word_of_its_definition():
    found = _search("re-identify")["terms"]
    obligation = next(t for t in found if t["id"] == "O-CE5-03")
    assert obligation["matched_in"] == "definition" and obligation["kind"] == "obligation"
    assert "re-identify" not in obligation["label"] and "re-identify" in obligation["definition"]
    # every word must match: one that no term holds leaves nothing
    empty = run_rsf_inprocess("search", "re-identify", "zzyzx")
    assert empty.code == 0 and empty.stdout == "" and "no term has every one of the words" in empty.stderr


def test_search_ranks_label_matches_first_and_is_stable():
    first = _ok("search", "privacy", "--format", "json", "--limit", "0").stdout
    assert _ok("search", "PRIVACY", "--format", "json", "--limit", "0").stdout.replace('"PRIVACY"', '"privacy"') == first
    terms = json.loads(first)["terms"]
    places = [t["matched_in"] for t in terms]
    assert "definition" in places and places == sorted(places, key=["label", "definition"].index)
    assert terms[0]["id"] == "HR-PRIVACY"
    assert {"CE5", "HR-PRIVACY"} <= {t["id"] for t in terms if t["matched_in"] == "label"}
    # a term one of whose names is the words themselves comes first
    assert _search("transparency")["terms"][0]["id"] == "CE1"


def test_search_limit_and_formats():
    limited = json.loads(_ok("search", "privacy", "--format", "json", "--limit", "3").stdout)
    assert len(limited["terms"]) == 3 and limited["total"] == len(_search("privacy")["terms"]) > 3
    text = run_rsf_inprocess("search", "privacy", "--limit", "3")
    assert text.code == 0 and len(text.stdout.splitlines()) == 3
    assert text.stdout.splitlines()[0].split() == ["HR-PRIVACY", "human", "right", "right", "to", "privacy"]
    assert f"{limited['total'] - 3} more terms found; --limit 0 shows them all" in text.stderr
    tsv = _ok("search", "data", "custodian", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "id\tkind\tlabel\tmatched_in\tiri"
    assert "R05\tactor role\tdata custodian\tlabel\thttps://w3id.org/rsf/DataCustodian" in tsv
    assert all(len(row.split("\t")) == 5 for row in tsv)
    assert run_rsf_inprocess("search").code == 2


# --- rsf explain of an obligation --------------------------------------------------------


def test_explain_of_an_obligation_shows_bearers_shapes_severity_and_fix_hints():
    eng = engine()
    obligation = RSF["O-CE5-01"]
    bearers = {f"{eng.ontology.value(b, SKOS.notation)} {eng.ontology.value(b, RDFS.label)}"
               for b in eng.ontology.objects(obligation, RSF.bearer)}
    shapes = sorted(eng.shapes.subjects(RSF.checks, obligation), key=str)
    assert bearers and len(shapes) > 1
    text = _ok("explain", "o-ce5-01").stdout
    borne = next(line for line in text.splitlines() if line.startswith("Borne by: "))
    assert set(borne.removeprefix("Borne by: ").split(", ")) == bearers
    checked = text.split("Checked by:\n", 1)[1].split("\n\n", 1)[0]
    for shape in shapes:
        severity = str(eng.shapes.value(shape, SH.severity)).removeprefix(str(SH)).lower()
        assert f"  {severity}  <{shape}>" in checked
        assert f"    finding: {eng.shapes.value(shape, SH.message)}" in checked
        assert f"    fix: {eng.shapes.value(shape, RSF.fixHint)}" in checked
    data = json.loads(_ok("explain", "O-CE5-01", "--format", "json").stdout)["obligation"]
    assert set(data["bearers"]) == bearers
    assert [s["iri"] for s in data["shapes"]] == [str(s) for s in shapes]
    assert {s["severity"] for s in data["shapes"]} <= {"violation", "warning", "info"}
    assert all(s["fix_hint"] and s["message"] and s["prefixed_name"].startswith("rsfsh:") for s in data["shapes"])
