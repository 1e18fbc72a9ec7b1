"""Each example gives exactly the findings its row in examples/README.md states."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from responsible_sharing.validate import validate

EXAMPLES = Path(__file__).parent.parent / "examples"
ROW = re.compile(r"^\| `(?P<file>[^`]+)` \|[^|]*\|[^|]*\| (?P<v>\d+) \| (?P<w>\d+) \| (?P<i>\d+) \| (?P<shapes>[^|]*) \|$")


def _rows() -> dict[str, tuple[int, int, int, set[str]]]:
    rows = {}
    for line in (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            shapes = set(re.findall(r"rsfsh:([\w-]+)", match["shapes"]))
            rows[match["file"]] = (int(match["v"]), int(match["w"]), int(match["i"]), shapes)
    return rows


def test_every_example_has_a_row_and_six_issuers_are_covered():
    files = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*") if p.suffix in (".ttl", ".jsonld")}
    assert set(_rows()) == files
    assert len(files) >= 7
    assert sum(1 for v, w, i, _ in _rows().values() if v == w == i == 0) >= 2


@pytest.fixture(scope="module")
def report():
    return validate([str(EXAMPLES)])


@pytest.mark.parametrize("name", sorted(_rows()))
def test_example_gives_the_findings_its_row_states(name, report):
    violations, warnings, infos, shapes = _rows()[name]
    policies = [p for p in report.policies if Path(p.origin.source).resolve() == (EXAMPLES / name).resolve()]
    assert len(policies) == 1
    policy = policies[0]
    assert (policy.count("violation"), policy.count("warning"), policy.count("info")) == (violations, warnings, infos)
    assert {f.shape.rsplit("/", 1)[-1] for f in policy.findings} == shapes
    for finding in policy.findings:
        assert finding.trace.rights, f"{finding.shape} names no right"
