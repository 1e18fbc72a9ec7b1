"""The policy guide's minimal example does what the guide says it does."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph

from responsible_sharing.validate import validate

GUIDE = Path(__file__).parent.parent / "docs" / "policy-model.md"


def _minimal_policy() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## 5. A minimal policy", 1)[1]
    return re.search(r"```turtle\n(.*?)```", section, re.S).group(1)


def test_minimal_policy_in_the_guide_passes_and_each_statement_counts(tmp_path):
    policy = tmp_path / "minimal.ttl"
    policy.write_text(_minimal_policy(), encoding="utf-8")
    report = validate([str(policy)])
    assert len(report.policies) == 1
    assert report.findings == []
    applicable = len(report.policies[0].profile.applicable)
    assert applicable > 15
    # dropping one checked statement brings a finding back: the example is minimal where it says so
    graph = Graph().parse(policy)
    decision_time = [t for t in graph if str(t[1]).endswith("decisionTimeLimit")]
    assert decision_time
    graph.remove(decision_time[0])
    smaller = tmp_path / "smaller.ttl"
    smaller.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    assert {f.shape.rsplit("/", 1)[-1] for f in validate([str(smaller)]).findings} == {"O-CE1-10-time"}


def test_the_guide_profile_table_counts_what_the_profiles_ask():
    from rdflib import Graph, URIRef

    from responsible_sharing.namespaces import RSF
    from responsible_sharing.profile import build_profile
    from responsible_sharing.validate import engine

    roles = {"data custodian": "DataCustodian", "clinical laboratory": "ClinicalLaboratory",
             "participant community": "ParticipantCommunity", "data access committee": "DataAccessCommittee",
             "research institute": "ResearchInstitute", "funding agency": "FundingAgency"}
    models = {"controlled or registered": "ControlledAccess", "secure environment": "SecureEnvironmentAccess",
              "open": "OpenAccess", "registered": "RegisteredAccess", "controlled": "ControlledAccess"}
    eng = engine()
    shapes_of: dict[str, int] = {}
    for obligation in eng.checks.values():
        shapes_of[obligation] = shapes_of.get(obligation, 0) + 1
    rows = re.findall(r"^\| ([a-z +]+) \| ([a-z ]+) \| (\d+) \| (\d+) \|$", GUIDE.read_text(encoding="utf-8"), re.M)
    assert len(rows) == 9
    for who, model, obligations, checks in rows:
        role_iris = [RSF[roles[r.strip()]] for r in who.split("+") if r.strip() != "none given"]
        model_iri = RSF[models[model]] if model in models else None
        profile = build_profile(eng.ontology, eng.traces, Graph(), URIRef("urn:x"), roles=role_iris, access_model=model_iri)
        assert len(profile.applicable) == int(obligations), (who, model)
        assert sum(shapes_of.get(o, 0) for o in profile.applicable) == int(checks), (who, model)
