"""Each example gives exactly the findings its row in examples/README.md states."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from responsible_sharing.validate import validate

EXAMPLES = Path(__file__).parent.parent / "examples"
ROW = re.compile(
    r"^\| `(?P<file>[^`]+)`(?: \(tier: `(?P<tier>[^`]+)`\))? \|[^|]*\|[^|]*\|"
    r" (?P<v>\d+) \| (?P<w>\d+) \| (?P<i>\d+) \| (?P<shapes>[^|]*) \|$"
)


def _rows() -> dict[str, tuple[int, int, int, set[str]]]:
    """Rows keyed by file name, or by ``file#tier IRI`` for a row about one tier."""
    rows = {}
    for line in (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            shapes = set(re.findall(r"rsfsh:([\w-]+)", match["shapes"]))
            key = match["file"] + (f"#{match['tier']}" if match["tier"] else "")
            assert key not in rows, f"two rows for {key}"
            rows[key] = (int(match["v"]), int(match["w"]), int(match["i"]), shapes)
    return rows


def test_every_example_has_a_row_and_six_issuers_are_covered():
    files = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*") if p.suffix in (".ttl", ".jsonld")}
    assert {key.split("#", 1)[0] for key in _rows()} == files
    assert len(files) >= 7
    assert sum(1 for v, w, i, _ in _rows().values() if v == w == i == 0) >= 2


def test_every_reported_policy_or_tier_has_its_own_row(report):
    """A file with tiers has one row per tier, and no row for the policy the tiers inherit from."""
    reported = set()
    for policy in report.policies:
        name = Path(policy.origin.source).resolve().relative_to(EXAMPLES.resolve()).as_posix()
        reported.add(f"{name}#{policy.policy}" if policy.origin.tier_of else name)
    assert reported == set(_rows())


@pytest.fixture(scope="module")
def report():
    return validate([str(EXAMPLES)])


@pytest.mark.parametrize("name", sorted(_rows()))
def test_example_gives_the_findings_its_row_states(name, report):
    violations, warnings, infos, shapes = _rows()[name]
    path, _, tier = name.partition("#")
    policies = [
        p
        for p in report.policies
        if Path(p.origin.source).resolve() == (EXAMPLES / path).resolve() and (not tier or p.policy == tier)
    ]
    assert len(policies) == 1
    assert bool(policies[0].origin.tier_of) == bool(tier)
    policy = policies[0]
    assert (policy.count("violation"), policy.count("warning"), policy.count("info")) == (violations, warnings, infos)
    assert {f.shape.rsplit("/", 1)[-1] for f in policy.findings} == shapes
    for finding in policy.findings:
        assert finding.trace.rights, f"{finding.shape} names no right"


RSF = "https://w3id.org/rsf/"
#: issue 11, "done when": per kind of sharing, questions that must not be asked (with the word the profile's
#: reason must contain) and the point-4 gaps each example has on purpose and must be asked about.
DONE_WHEN = {
    "open-aggregate-resource.ttl": (
        {"O-CE4-03": "does not arise", "O-CE10-02": "does not arise", "O-CE2-05": "does not arise",
         "O-CE1-16": "does not arise", "O-CE1-17": "does not arise", "O-CE10-08": "does not arise",
         "O-CE9-05": "does not arise", "O-CE5-07": "does not arise"},
        {"O-CE5-09"},
    ),
    "biobank-community-charter.ttl": ({"O-CE5-07": "does not arise"}, {"O-CE1-17", "O-CE1-18"}),
    "tiered-programme.ttl#https://example.org/kestrel-programme/tier-public": (
        {"O-CE4-03": "does not arise", "O-CE2-05": "does not arise", "O-CE10-09": "does not arise",
         "O-CE1-18": "does not arise", "O-CE9-05": "does not arise"},
        set(),
    ),
    "tiered-programme.ttl#https://example.org/kestrel-programme/tier-registered": (
        {"O-CE5-07": "does not arise"}, {"O-CE10-09"}),
    "tiered-programme.ttl#https://example.org/kestrel-programme/tier-controlled": (
        {"O-CE5-07": "does not arise"}, {"O-CE10-09"}),
    "federated-repository-delegating.ttl": (
        {"O-CE1-10": "delegated", "O-CE1-16": "delegated", "O-CE1-17": "delegated", "O-CE1-18": "delegated",
         "O-CE9-05": "delegated", "O-CE10-09": "delegated", "O-CE5-09": "does not arise"},
        {"O-CE10-08"},
    ),
    # a committee office is not asked the custodian's security, breach or output-checking duties
    "access-committee-procedures.ttl": ({"O-CE4-03": "borne by", "O-CE2-05": "borne by", "O-CE5-09": "borne by"}, set()),
}


@pytest.mark.parametrize("name", sorted(DONE_WHEN))
def test_no_question_that_does_not_apply_and_a_finding_for_each_gap(name, report):
    """Issue 11: each kind of sharing is asked only what arises for it, and each point-4 gap it has is found."""
    excluded, gaps = DONE_WHEN[name]
    path, _, tier = name.partition("#")
    (policy,) = [
        p for p in report.policies
        if Path(p.origin.source).resolve() == (EXAMPLES / path).resolve() and (not tier or p.policy == tier)
    ]
    # the obligation a finding cites: its shape name without a suffix (O-CE1-03-borders -> O-CE1-03)
    cited = {"-".join(f.shape.rsplit("/", 1)[-1].split("-")[:3]) for f in policy.findings}
    model = policy.profile.access_model_label
    for obligation, word in excluded.items():
        reason = policy.profile.excluded.get(RSF + obligation, "")
        assert word in reason, f"{name} ({model}): {obligation} should be left out as '{word}', got {reason!r}"
        assert obligation not in cited, f"{name} ({model}) is asked {obligation}, which does not apply to it"
    for obligation in gaps:
        assert obligation in cited, f"{name} ({model}) leaves {obligation} unstated on purpose but is not asked it"


def test_the_framework_only_table_lists_what_sources_framework_removes(report):
    """The README's table for `--sources framework`: exactly the findings that only the GA4GH policies ask for."""
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Only the Framework's own text"):]
    section = section[: section.index("\n## ", 4)]
    stated: dict[str, set[str]] = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([^`]+)`[^|]* \| ([^|]+) \|", line)
        if match:
            stated[match[1]] = set(re.findall(r"rsfsh:([\w-]+)", match[2]))
    framework = validate([str(EXAMPLES)], source_layer="framework")

    def by_file(r) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for p in r.policies:
            name = Path(p.origin.source).resolve().relative_to(EXAMPLES.resolve()).as_posix()
            out.setdefault(name, set()).update(f.shape.rsplit("/", 1)[-1] for f in p.findings)
        return out

    everything, only_framework = by_file(report), by_file(framework)
    removed = {name: shapes - only_framework.get(name, set()) for name, shapes in everything.items()}
    assert {name: shapes for name, shapes in removed.items() if shapes} == stated
