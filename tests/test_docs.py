"""The guides do what they say: the policy guide's minimal example, and the
reports guide's account of what a finding means."""

from __future__ import annotations

import json
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


REPORTS_GUIDE = Path(__file__).parent.parent / "docs" / "reports.md"


def test_reports_guide_says_what_a_finding_means_as_the_reports_do():
    from responsible_sharing.formats import RENDERERS

    text = REPORTS_GUIDE.read_text(encoding="utf-8")
    section = text.split("## What a finding means\n", 1)[1].split("\n## ", 1)[0]
    for phrase in ("**policy document**", "not a verdict", "non-binding good practice", "in proportion to"):
        assert phrase in section
    quoted = " ".join(line.removeprefix("> ").strip() for line in section.splitlines() if line.startswith(">"))
    rows = re.findall(r"^\| (must|should|may)[^|]*\| `sh:(\w+)` \| `(\w+)` \| ([a-z ]+) \| `(\w+)` \|$", section, re.M)
    assert [row[0] for row in rows] == ["must", "should", "may"]

    fixture = Path(__file__).parent / "fixtures" / "reports" / "funder-info.ttl"
    report = validate([str(fixture)])
    printed = RENDERERS["text"](report).decode("utf-8").splitlines()
    assert printed[-1] == quoted  # the sentence the text report ends with
    levels = json.loads(RENDERERS["sarif"](report))["runs"][0]["tool"]["driver"]["fullDescription"]["text"]
    for modality, shacl, severity, words, level in rows:
        assert shacl == severity.capitalize()
        assert f"{severity} = {words} ({modality})" in printed[-2]
        assert f"{level} = {words} ({modality})" in levels
