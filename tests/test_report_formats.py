"""The report formats of `rsf validate` (and the coverage JSON): schemas,
traceability to the human rights, reproducibility, --output and exit codes.

Input: small policies in tests/fixtures/reports/ (each file says what it
holds) and one per-shape fixture. The expected findings, rights and exit codes
below were read off the ontology and the shapes, and checked against real
output, not copied from the renderers.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, Draft202012Validator
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from responsible_sharing import output
from responsible_sharing.coverage import coverage, render_json
from responsible_sharing.errors import OutputError
from responsible_sharing.formats import RENDERERS
from responsible_sharing.formats.rdf import report_graph
from responsible_sharing.validate import Report, validate

from rsfrun import run_rsf

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REPORTS = Path("tests/fixtures/reports")  # relative to ROOT, as a user would type it
SHAPE_FIXTURE = Path("tests/fixtures/shapes/O-CE5-03.ttl")
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

RSF = Namespace("https://w3id.org/rsf/")
RSFSH = Namespace("https://w3id.org/rsf/shapes/")

#: The rights behind CE5 (the core element of O-CE5-03), read from the
#: ontology: framework.ttl has rsf:CE5 rsf:serves rsf:P1, rsf:P4; rsf:P1
#: rsf:groundedIn rsf:RightToPrivacy, rsf:RightToNonDiscrimination,
#: rsf:RightToAuthorsInterests; rsf:P4 rsf:groundedIn
#: rsf:RightToProceduralFairness, rsf:RightToAuthorsInterests.
CE5_RIGHTS = {RSF.RightToPrivacy, RSF.RightToNonDiscrimination, RSF.RightToAuthorsInterests, RSF.RightToProceduralFairness}
#: CE7 (O-CE7-02) serves P4 and P2; P2 is grounded in rsf:RightToScience.
CE7_RIGHTS = {RSF.RightToScience, RSF.RightToProceduralFairness, RSF.RightToAuthorsInterests}

SARIF_LEVEL = {"violation": "error", "warning": "warning", "info": "note"}

#: name -> the files validated together
INPUTS = {
    "researcher": [REPORTS / "researcher-violations.ttl"],
    "laboratory": [REPORTS / "laboratory-warnings.ttl"],
    "funder": [REPORTS / "funder-info.ttl"],
    "clean": [REPORTS / "authority-clean.ttl"],
    "edge-cases": [REPORTS / "edge-cases.ttl"],
    "shape-fixture": [SHAPE_FIXTURE],
    "several": [REPORTS / "researcher-violations.ttl", REPORTS / "edge-cases.ttl", SHAPE_FIXTURE],
    # checked as a developer, both policies of the shape fixture fail the same five
    # shapes, three of them with sequence paths: results on the two share path lists
    "shared-paths": [SHAPE_FIXTURE],
}
#: name -> options for validate()
OPTIONS = {"shared-paths": {"roles": ["developer"]}}


@pytest.fixture(scope="module", autouse=True)
def _at_root():
    """Validate with paths relative to the checkout, as a user types them (this module only)."""
    before = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(before)


@pytest.fixture(scope="module")
def reports(_at_root) -> dict[str, Report]:
    return {name: validate([str(p) for p in paths], **OPTIONS.get(name, {})) for name, paths in INPUTS.items()}


def _schema(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def report_validator() -> Draft202012Validator:
    schema = _schema(DOCS / "report-schema.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture(scope="session")
def coverage_validator() -> Draft202012Validator:
    schema = _schema(DOCS / "coverage-schema.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _errors(validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


# ---------------------------------------------------------------------------
# The findings the fixtures are built to give (checked by hand against the shapes)


def test_fixtures_give_the_findings_they_are_built_for(reports):
    def summary(name):
        return [(f.shape.removeprefix(str(RSFSH)), f.severity) for f in reports[name].findings]

    assert summary("researcher") == [("O-CE5-03", "violation"), ("O-CE7-02", "warning")]
    assert summary("laboratory") == [("O-CE4-01-quality", "warning"), ("O-CE4-01-standards", "warning")]
    assert summary("funder") == [("O-CE9-02", "info")]
    assert summary("clean") == []
    shape_fixture = {(f.policy, f.shape) for f in reports["shape-fixture"].findings if f.shape == str(RSFSH["O-CE5-03"])}
    assert shape_fixture == {("https://example.org/fixture/violates", str(RSFSH["O-CE5-03"]))}
    shared = {(f.policy.rsplit("/", 1)[-1], f.shape.removeprefix(str(RSFSH))) for f in reports["shared-paths"].findings}
    shapes = {"O-CE10-01", "O-CE2-02", "O-CE4-03", "O-CE7-03", "O-CE8-02"}
    assert shared == {(policy, shape) for policy in ("conforms", "violates") for shape in shapes}


# ---------------------------------------------------------------------------
# JSON and its schema


def _described(schema: dict, node: dict) -> bool:
    if "description" in node:
        return True
    ref = node.get("$ref", "")
    return ref.startswith("#/$defs/") and "description" in schema["$defs"][ref.removeprefix("#/$defs/")]


@pytest.mark.parametrize("name", ["report-schema.json", "coverage-schema.json"])
def test_schemas_describe_every_property(name):
    schema = _schema(DOCS / name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                if not _described(schema, sub):
                    missing.append(f"{where}/{key}")
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(schema, "")
    assert missing == []


def test_report_schema_id_is_the_iri_the_report_names(reports):
    schema = _schema(DOCS / "report-schema.json")
    data = json.loads(RENDERERS["json"](reports["clean"]))
    assert schema["$id"] == data["$schema"] == "https://w3id.org/rsf/report-schema/1.0"
    assert data["schema_version"] == "1.0"


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_json_report_follows_its_schema(reports, report_validator, name):
    data = json.loads(RENDERERS["json"](reports[name]))
    assert _errors(report_validator, data) == []


def test_json_report_content(reports):
    data = json.loads(RENDERERS["json"](reports["researcher"]))
    assert data["conforms"] is False
    assert data["counts"] == {"violation": 1, "warning": 1, "info": 0}
    (policy,) = data["policies"]
    assert policy["policy"] == "https://example.org/reports/cohort-policy"
    assert policy["title"] == "Cohort study data-sharing policy"
    assert (policy["source"], policy["line"]) == ("tests/fixtures/reports/researcher-violations.ttl", 12)
    assert policy["profile"]["roles"] == [{"iri": str(RSF.Researcher), "notation": "R01", "label": "researcher"}]
    assert len(policy["profile"]["applicable"]) == 9
    violation = policy["findings"][0]
    assert violation["severity"] == "violation"
    assert violation["obligation"]["notation"] == "O-CE5-03"
    assert violation["obligation"]["modality"] == "must"
    assert violation["path"] == "odrl:prohibition / odrl:action"
    assert [e["notation"] for e in violation["core_elements"]] == ["CE5"]
    assert [p["notation"] for p in violation["principles"]] == ["P1", "P4"]
    assert {URIRef(r["iri"]) for r in violation["rights"]} == CE5_RIGHTS
    privacy = next(r for r in violation["rights"] if r["iri"] == str(RSF.RightToPrivacy))
    assert [(p["instrument"], p["article"]) for p in privacy["provisions"]] == [("ICCPR", "17"), ("UDHR", "12")]

    clean = json.loads(RENDERERS["json"](reports["clean"]))
    assert clean["conforms"] is True and clean["policies"][0]["findings"] == []

    edge = json.loads(RENDERERS["json"](reports["edge-cases"]))
    assert any("owl:imports" in w for w in edge["warnings"])
    unnamed = next(p for p in edge["policies"] if p["policy"].startswith("[unnamed policy 1 in "))
    assert unnamed["line"] is None and unnamed["profile"]["access_model"] is None
    delegating = next(p for p in edge["policies"] if p["policy"] == "https://example.org/reports/delegating-policy")
    assert delegating["profile"]["delegated"] == [{"obligation": str(RSF["O-CE5-03"]), "delegate": "Genome Data Access Committee"}]
    assert {"obligation": str(RSF["O-CE5-03"]), "reason": "delegated to Genome Data Access Committee"} in delegating["profile"]["excluded"]
    commercial = next(f for f in delegating["findings"] if f["shape"] == str(RSFSH["O-CE1-08-commercial"]))
    assert commercial["value"] == "case by case"


def _first_finding(data: dict) -> dict:
    return data["policies"][0]["findings"][0]


#: changes a renderer might make by mistake, each of which the schema must catch
DRIFT = {
    "an unknown member": lambda d: _first_finding(d).__setitem__("colour", "red"),
    "an unknown severity": lambda d: _first_finding(d).__setitem__("severity", "error"),
    "a finding without rights": lambda d: _first_finding(d).__setitem__("rights", []),
    "a finding missing its rights member": lambda d: _first_finding(d).pop("rights"),
    "a line number as text": lambda d: _first_finding(d).__setitem__("line", "12"),
    "an unknown modality": lambda d: _first_finding(d)["obligation"].__setitem__("modality", "ought"),
    "another schema version": lambda d: d.__setitem__("schema_version", "2.0"),
    "a missing count": lambda d: d["counts"].pop("info"),
    "a right without provisions member": lambda d: _first_finding(d)["rights"][0].pop("provisions"),
}


@pytest.mark.parametrize("drift", sorted(DRIFT))
def test_report_schema_rejects_drift(reports, report_validator, drift):
    data = json.loads(RENDERERS["json"](reports["researcher"]))
    DRIFT[drift](data)
    assert _errors(report_validator, data), f"the schema accepts {drift}"


@pytest.mark.parametrize("name", ["researcher", "laboratory", "funder", "clean", "several"])
def test_coverage_json_follows_its_schema(reports, coverage_validator, name):
    data = json.loads(render_json(coverage(reports[name])))
    assert _errors(coverage_validator, data) == []


def test_coverage_json_content(reports, coverage_validator):
    data = json.loads(render_json(coverage(reports["researcher"])))
    (policy,) = data["policies"]
    assert policy["open_obligations"] == [
        {"obligation": "O-CE5-03", "severity": "violation"},
        {"obligation": "O-CE7-02", "severity": "warning"},
    ]
    rights = {r["notation"]: r for r in policy["rights"]}
    assert rights["HR-PRIVACY"]["status"] == "partly" and rights["HR-PRIVACY"]["open"] == ["O-CE5-03"]
    assert rights["HR-SCIENCE"]["open"] == ["O-CE7-02"]
    elements = {e["notation"]: e["status"] for e in policy["core_elements"]}
    assert elements["CE5"] == "partly" and elements["CE6"] == "not asked" and elements["CE1"] == "addressed"
    broken = json.loads(render_json(coverage(reports["clean"])))
    broken["policies"][0]["rights"][0]["status"] = "mostly"
    assert _errors(coverage_validator, broken)


# ---------------------------------------------------------------------------
# SARIF


@pytest.fixture(scope="session")
def sarif_validator() -> Draft4Validator:
    schema = _schema(SARIF_SCHEMA)
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    Draft4Validator.check_schema(schema)
    # No format checker: "uri" and "uri-reference" are checked only with optional
    # packages, which would make the result depend on what is installed.
    return Draft4Validator(schema)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_sarif_follows_the_official_schema(reports, sarif_validator, name):
    data = json.loads(RENDERERS["sarif"](reports[name]))
    assert _errors(sarif_validator, data) == []


def test_sarif_levels_rules_and_locations(reports):
    for name in ("researcher", "laboratory", "funder", "clean", "several"):
        report = reports[name]
        run = json.loads(RENDERERS["sarif"](report))["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        assert len(run["results"]) == len(report.findings)
        for result, finding in zip(run["results"], report.findings):
            assert result["level"] == SARIF_LEVEL[finding.severity]
            assert result["ruleId"] == finding.shape.rsplit("/", 1)[-1]
            rule = rules[result["ruleIndex"]]
            assert rule["id"] == result["ruleId"]
            assert rule["defaultConfiguration"]["level"] == result["level"]
            physical = result["locations"][0]["physicalLocation"]
            assert physical["artifactLocation"]["uri"] == finding.source
            assert physical.get("region", {}).get("startLine") == finding.line
    levels = {name: [r["level"] for r in json.loads(RENDERERS["sarif"](reports[name]))["runs"][0]["results"]]
              for name in ("researcher", "laboratory", "funder", "clean")}
    assert levels == {"researcher": ["error", "warning"], "laboratory": ["warning", "warning"], "funder": ["note"], "clean": []}


# ---------------------------------------------------------------------------
# Turtle and JSON-LD


def _rdf(report: Report, fmt: str) -> Graph:
    return Graph().parse(data=RENDERERS[fmt](report).decode("utf-8"), format={"turtle": "turtle", "jsonld": "json-ld"}[fmt])


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
@pytest.mark.parametrize("name", ["researcher", "clean", "shared-paths", "several"])
def test_rdf_report_is_one_shacl_report_with_traced_results(reports, fmt, name):
    report = reports[name]
    g = _rdf(report, fmt)
    (root,) = list(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(root, SH.conforms) == Literal(not report.findings)
    results = set(g.objects(root, SH.result))
    assert len(results) == len(report.findings)
    # every other result is pySHACL's sh:detail of one (why an sh:node constraint failed)
    details = {d for r in results for d in g.transitive_objects(r, SH.detail)} - results
    assert set(g.subjects(RDF.type, SH.ValidationResult)) == results | details
    assert not any((d, RSF.checks, None) in g for d in details)
    expected = {}
    for f in report.findings:
        expected.setdefault((URIRef(f.shape), f.trace.obligation.iri), {URIRef(r.iri) for r in f.trace.rights})
    for result in results:
        shape = g.value(result, SH.sourceShape)
        (checks,) = list(g.objects(result, RSF.checks))
        rights = set(g.objects(result, RSF.atStakeRight))
        assert expected[(shape, str(checks))] == rights
        for right in rights:
            assert g.value(right, RDFS.label) is not None
            provisions = list(g.objects(right, RSF.recognisedIn))
            assert provisions and all(g.value(p, RDFS.label) is not None for p in provisions)


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdf_report_grounds_o_ce5_03_in_the_rights_of_ce5(reports, fmt):
    for name in ("researcher", "shape-fixture"):
        g = _rdf(reports[name], fmt)
        (result,) = list(g.subjects(SH.sourceShape, RSFSH["O-CE5-03"]))
        assert g.value(result, RSF.checks) == RSF["O-CE5-03"]
        assert g.value(result, SH.resultSeverity) == SH.Violation
        assert set(g.objects(result, RSF.atStakeElement)) == {RSF.CE5}
        assert set(g.objects(result, RSF.atStakePrinciple)) == {RSF.P1, RSF.P4}
        assert set(g.objects(result, RSF.atStakeRight)) == CE5_RIGHTS
        assert g.value(RSF.RightToPrivacy, RDFS.label) == Literal("right to privacy", lang="en")
    g = _rdf(reports["researcher"], fmt)
    (warning,) = list(g.subjects(SH.sourceShape, RSFSH["O-CE7-02"]))
    assert set(g.objects(warning, RSF.atStakeRight)) == CE7_RIGHTS
    assert g.value(warning, RSF.sourceLine).toPython() == 12


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
@pytest.mark.parametrize(
    "name",
    ["researcher", "edge-cases", "shared-paths"],
)
def test_rdf_file_parses_back_to_the_report_graph(reports, fmt, name):
    assert isomorphic(_rdf(reports[name], fmt), report_graph(reports[name]))


def _sparql_from_docs() -> str:
    text = (DOCS / "reports.md").read_text(encoding="utf-8")
    match = re.search(r"```sparql\n(.*?)```", text, re.S)
    assert match, "docs/reports.md has no ```sparql block"
    return match.group(1)


def test_the_sparql_query_in_the_docs_lists_rights_with_provisions(reports):
    g = _rdf(reports["researcher"], "turtle")
    rows = {str(r.label): (int(r.findings), set(str(r.provisions).split("; "))) for r in g.query(_sparql_from_docs())}
    assert rows == {
        "right to procedural fairness": (2, {"ICCPR Article 14(1)", "UDHR Article 8", "UDHR Article 10"}),
        "right to protection of interests in one's scientific work": (2, {"ICESCR Article 15(1)(c)", "UDHR Article 27(2)"}),
        "right to non-discrimination": (1, {"ICCPR Article 2(1)", "ICCPR Article 26", "UDHR Article 2", "UDHR Article 7"}),
        "right to privacy": (1, {"ICCPR Article 17", "UDHR Article 12"}),
        "right to share in scientific advancement and its benefits": (1, {"ICESCR Article 15(1)(b)", "ICESCR Article 15(3)", "UDHR Article 27(1)"}),
    }


# ---------------------------------------------------------------------------
# Every finding names its rights, in every format


def _text_findings(text: str) -> list[tuple[str, str]]:
    """(finding block, the text that names its rights) for each finding, in order.

    A finding's rights are in its own "why:" lines when it has them, else in
    the "rests on:" lines of the core-element group it is in.
    """
    found: list[tuple[list[str], list[str]]] = []
    group: list[str] = []
    block: list[str] | None = None
    in_group_header = False
    for line in text.splitlines():
        if line.startswith("    rests on:"):
            group, in_group_header, block = [line], True, None
        elif in_group_header and line.startswith("              -> "):
            group.append(line)
        elif re.match(r"^    (VIOLATION|WARNING|INFO)  ", line):
            in_group_header = False
            block = [line]
            found.append((block, group))
        elif block is not None and line.startswith("      "):
            block.append(line)
        else:
            in_group_header, block = False, None
    out = []
    for block, group in found:
        why = [line for line in block if line.startswith("      why:") or line.startswith("           -> ")]
        out.append(("\n".join(block), "\n".join(why or group)))
    return out


@pytest.mark.parametrize("name", ["researcher", "laboratory", "funder", "several"])
def test_every_finding_names_its_rights_in_every_format(reports, name):
    report = reports[name]
    findings = report.findings
    assert findings

    text = _text_findings(RENDERERS["text"](report).decode("utf-8"))
    assert len(text) == len(findings)
    for (block, rights_text), f in zip(text, findings):
        assert block.startswith(f"    {f.severity.upper()}  {f.trace.obligation.notation} ")
        assert f"shape: rsfsh:{f.shape.removeprefix(str(RSFSH))}" in block
        for r in f.trace.rights:
            assert f"-> {r.label} ({r.citation})" in rights_text, (f.shape, r.label)

    page = RENDERERS["html"](report).decode("utf-8")
    divs = re.findall(r"<div class='finding (\w+)'>(.*?)</div>", page, re.S)
    assert len(divs) == len(findings)
    for (severity, div), f in zip(divs, findings):
        div = html.unescape(div)
        assert severity == f.severity and f.trace.obligation.notation in div
        for r in f.trace.rights:
            assert f"-> {r.label} ({r.citation})" in div, (f.shape, r.label)

    results = json.loads(RENDERERS["sarif"](report))["runs"][0]["results"]
    for result, f in zip(results, findings):
        for r in f.trace.rights:
            assert f"{r.label} ({r.citation})" in result["message"]["text"]
        assert [r["iri"] for r in result["properties"]["rights"]] == [r.iri for r in f.trace.rights]

    data = json.loads(RENDERERS["json"](report))
    for item, f in zip((x for p in data["policies"] for x in p["findings"]), findings):
        assert [r["label"] for r in item["rights"]] == [r.label for r in f.trace.rights]


def test_o_ce5_03_names_the_right_to_privacy_everywhere(reports):
    report = reports["researcher"]
    assert "-> right to privacy (ICCPR 17; UDHR 12)" in RENDERERS["text"](report).decode("utf-8")
    assert "-&gt; right to privacy (ICCPR 17; UDHR 12)" in RENDERERS["html"](report).decode("utf-8")
    message = json.loads(RENDERERS["sarif"](report))["runs"][0]["results"][0]["message"]["text"]
    assert message.startswith("The policy does not forbid recipients to try to re-identify people in the data.")
    assert "right to privacy (ICCPR 17; UDHR 12)" in message


# ---------------------------------------------------------------------------
# Reproducibility: two processes, different hash seeds, the same bytes

_RENDER_ALL = """
import sys
from pathlib import Path
from responsible_sharing.coverage import coverage, render_json
from responsible_sharing.errors import OutputError
from responsible_sharing.formats import RENDERERS
from responsible_sharing.formats.rdf import report_graph
from responsible_sharing.validate import validate

out = Path(sys.argv[1])
report = validate(sys.argv[2:])
for fmt, render in RENDERERS.items():
    (out / fmt).write_bytes(render(report))
(out / "coverage-json").write_bytes(render_json(coverage(report)).encode("utf-8"))
"""


def test_every_format_is_byte_for_byte_reproducible(tmp_path):
    runs = []
    for seed in ("1", "4242"):
        target = tmp_path / seed
        target.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _RENDER_ALL, str(target), *map(str, INPUTS["several"])],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, done.stderr
        runs.append(target)
    names = sorted(p.name for p in runs[0].iterdir())
    assert names == sorted([*RENDERERS, "coverage-json"])
    for name in names:
        first, second = (runs[0] / name).read_bytes(), (runs[1] / name).read_bytes()
        assert first, name
        assert first == second, f"{name} differs between two runs"


# ---------------------------------------------------------------------------
# The command: --output and exit codes (these run the installed `rsf`)


def test_output_writes_the_report_file(tmp_path):
    target = tmp_path / "report.json"
    source = str(REPORTS / "researcher-violations.ttl")
    done = run_rsf("validate", source, "--format", "json", "--output", str(target), cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert target.read_bytes() == RENDERERS["json"](validate([source]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_failed_run_leaves_no_output_file(tmp_path):
    target = tmp_path / "report.sarif"
    broken = str(REPORTS / "syntax-error.ttl")
    done = run_rsf("validate", broken, "--format", "sarif", "--output", str(target), cwd=ROOT)
    assert done.returncode == 2
    assert f"{broken}:6: turtle syntax error" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
    # an existing report is left as it was
    target.write_text("previous report\n")
    done = run_rsf("validate", broken, "--format", "sarif", "--output", str(target), cwd=ROOT)
    assert done.returncode == 2
    assert target.read_text() == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.sarif"]


def test_write_atomic_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(output.os, "replace", refuse)
    with pytest.raises(OutputError, match="disk full"):  # a user's environment error: exit 2, not a crash
        output.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@pytest.mark.parametrize(
    ("fixture", "fail_on", "code"),
    [
        # one violation and one warning
        ("researcher-violations.ttl", "violation", 1),
        ("researcher-violations.ttl", "warning", 1),
        ("researcher-violations.ttl", "info", 1),
        ("researcher-violations.ttl", "none", 0),
        # two warnings, no violation
        ("laboratory-warnings.ttl", "violation", 0),
        ("laboratory-warnings.ttl", "warning", 1),
        ("laboratory-warnings.ttl", "info", 1),
        ("laboratory-warnings.ttl", "none", 0),
        # one info only
        ("funder-info.ttl", "warning", 0),
        ("funder-info.ttl", "info", 1),
        # no finding at all
        ("authority-clean.ttl", "info", 0),
        # unreadable input: 2 whatever --fail-on says
        ("syntax-error.ttl", "none", 2),
    ],
)
def test_exit_codes_follow_fail_on(fixture, fail_on, code):
    done = run_rsf("validate", str(REPORTS / fixture), "--format", "json", "--fail-on", fail_on, cwd=ROOT)
    assert done.returncode == code, done.stderr
    if code != 2:
        assert json.loads(done.stdout)["schema_version"] == "1.0"


def test_fail_on_defaults_to_violation():
    assert run_rsf("validate", str(REPORTS / "laboratory-warnings.ttl"), cwd=ROOT).returncode == 0
    assert run_rsf("validate", str(REPORTS / "researcher-violations.ttl"), cwd=ROOT).returncode == 1


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_streamed_json_has_the_bytes_of_one_dump_of_the_whole_report(reports, name):
    from responsible_sharing.formats.jsonout import report_json

    whole = (json.dumps(report_json(reports[name]), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert RENDERERS["json"](reports[name]) == whole


def test_streamed_json_of_a_report_without_policies(reports):
    from responsible_sharing.formats.jsonout import report_json

    empty = Report([], ["a warning"], reports["clean"].traces)
    assert RENDERERS["json"](empty) == (json.dumps(report_json(empty), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert json.loads(RENDERERS["json"](empty))["policies"] == []


def test_json_written_to_a_file_is_what_standard_output_gets(tmp_path):
    target = tmp_path / "report.json"
    files = [str(p) for p in sorted(REPORTS.glob("*.ttl")) if p.name != "syntax-error.ttl"]
    to_file = run_rsf("validate", *files, "--format", "json", "-o", str(target), cwd=ROOT)
    to_stdout = run_rsf("validate", *files, "--format", "json", cwd=ROOT)
    assert to_file.returncode == to_stdout.returncode == 1
    assert target.read_bytes() == to_stdout.stdout.encode("utf-8")
    written = json.loads(target.read_bytes())
    assert len(written["policies"]) > 3


def test_a_writer_that_fails_half_way_leaves_the_old_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_bytes(b"old")

    def half(handle):
        handle.write(b'{"policies": [')
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        output.write_atomic_with(target, half)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
