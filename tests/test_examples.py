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
