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

#: The rights CE5 (the core element of O-CE5-03) upholds, read from the
#: ontology (0.3.0): framework.ttl has rsf:CE5 rsf:upholds rsf:RightToPrivacy,
#: rsf:RightToNonDiscrimination, both rsf:via rsf:P1 (the table in
#: docs/model.md). A finding names the rights its element upholds, not every
#: right of the principles it serves (CE5 serves P1 and P4, and P4 is grounded
#: in authors' interests and procedural fairness, which CE5 does not uphold).
CE5_RIGHTS = {RSF.RightToPrivacy, RSF.RightToNonDiscrimination}
#: CE7 (O-CE7-02) serves P4 and P2 but upholds only rsf:RightToAuthorsInterests
#: (via P4): authors' interests are reached through CE7 alone.
CE7_RIGHTS = {RSF.RightToAuthorsInterests}

SARIF_LEVEL = {"violation": "error", "warning": "warning", "info": "note"}

#: What a finding means (issue 10, item 3): about the policy document, not a
#: compliance verdict. These are the phrases the reports were designed to say.
MEANING_PHRASES = (
    "A finding means the policy document does not state what the GA4GH Framework, or a GA4GH policy built on it, expects",
    "not a verdict on whether the organisation complies",
)
#: the plain words beside each SHACL severity, and the modality each stands for
PLAIN_WORDS = {
    "violation": "required statement missing",
    "warning": "recommended statement missing",
    "info": "good practice not stated",
}
MODALITY = {"violation": "must", "warning": "should", "info": "may"}
#: what every SARIF rule's description and help end with
SARIF_ABOUT = "The result concerns what the policy document states, not whether the organisation complies."

#: name -> the files validated together
INPUTS = {
    "researcher": [REPORTS / "researcher-violations.ttl"],
    "laboratory": [REPORTS / "laboratory-warnings.ttl"],
    "funder": [REPORTS / "funder-info.ttl"],
    "clean": [REPORTS / "clinician-clean.ttl"],
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
    assert summary("funder") == [("O-CE2-07", "info")]
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
    assert schema["$id"] == data["$schema"] == "https://w3id.org/rsf/report-schema/1.2"
    assert data["schema_version"] == "1.2"


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
    # O-CE1-07, O-CE2-03, O-CE2-13, O-CE3-04, O-CE5-03, O-CE5-04, O-CE5-08, O-CE7-01,
    # O-CE7-02, O-CE7-04, O-CE10-03 (O-CE2-13 and O-CE5-08 are borne by researchers since 0.3.0)
    assert len(policy["profile"]["applicable"]) == 11
    assert policy["profile"]["sources"] == "all"
    violation = policy["findings"][0]
    assert violation["severity"] == "violation"
    assert violation["obligation"]["notation"] == "O-CE5-03"
    assert violation["obligation"]["modality"] == "must"
    # stated in the Framework's Privacy bullet 2 and the Data Privacy and Security Policy (obligations.ttl)
    assert violation["obligation"]["layer"] == "framework"
    assert [(c["notation"], c["layer"]) for c in violation["obligation"]["stated_in"]] == [
        ("FRS IV.5.2", "framework"), ("DPS II.1.4.1", "ga4gh-policies")]
    assert violation["path"] == "odrl:prohibition / odrl:action"
    assert [e["notation"] for e in violation["core_elements"]] == ["CE5"]
    assert [p["notation"] for p in violation["principles"]] == ["P1", "P4"]
    assert {URIRef(r["iri"]) for r in violation["rights"]} == CE5_RIGHTS
    privacy = next(r for r in violation["rights"] if r["iri"] == str(RSF.RightToPrivacy))
    assert [(p["instrument"], p["article"]) for p in privacy["provisions"]] == [
        ("ICCPR", "17"), ("UDHR", "12"), ("UNESCO UDHGHR", "7")]

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
        {"obligation": "O-CE5-03", "severity": "violation", "layer": "framework", "stated_in": [
            "Framework for Responsible Sharing of Genomic and Health-Related Data, Part IV, 5 Privacy, Data Protection and Confidentiality, bullet 2",
            "GA4GH Data Privacy and Security Policy, Section II, 1.4 Re-identification, bullet 1"]},
        {"obligation": "O-CE7-02", "severity": "warning", "layer": "framework", "stated_in": [
            "Framework for Responsible Sharing of Genomic and Health-Related Data, Part IV, 7 Recognition and Attribution, bullet 2"]},
    ]
    rights = {r["notation"]: r for r in policy["rights"]}
    assert rights["HR-PRIVACY"]["status"] == "partly" and rights["HR-PRIVACY"]["open"] == ["O-CE5-03"]
    assert rights["HR-NONDISCRIMINATION"]["status"] == "partly" and rights["HR-NONDISCRIMINATION"]["open"] == ["O-CE5-03"]
    # CE7 upholds authors' interests only: O-CE7-02 leaves the right to share in science untouched
    assert rights["HR-AUTHOR"]["status"] == "partly" and rights["HR-AUTHOR"]["open"] == ["O-CE7-02"]
    assert rights["HR-SCIENCE"]["status"] == "addressed" and rights["HR-SCIENCE"]["open"] == []
    assert rights["HR-FAIRNESS"]["open"] == [] and rights["HR-HEALTH"]["status"] == "not asked"
    # the two source layers: O-CE2-13, O-CE3-04 and O-CE5-08 rest only on GA4GH policies, the rest on the Framework
    sources = {s["notation"]: (s["status"], s["open"]) for s in policy["sources"]}
    assert sources == {"framework": ("partly", ["O-CE5-03", "O-CE7-02"]), "ga4gh-policies": ("addressed", [])}
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
        # the findings on obligations, then those on the input (edge-cases.ttl has a policy checked against nothing)
        assert len(run["results"]) == len(report.findings) + len(report.input_findings)
        for result, finding in zip(run["results"], report.findings):
            assert result["level"] == SARIF_LEVEL[finding.severity]
            assert result["ruleId"] == finding.shape.rsplit("/", 1)[-1]
            rule = rules[result["ruleIndex"]]
            assert rule["id"] == result["ruleId"]
            assert rule["defaultConfiguration"]["level"] == result["level"]
            assert rule["properties"]["layer"] == result["properties"]["obligation"]["layer"] in {"framework", "ga4gh-policies"}
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
    assert g.value(root, SH.conforms) == Literal(report.conforms)
    assert report.conforms == (not report.findings and not report.input_findings)
    every = set(g.objects(root, SH.result))
    assert len(every) == len(report.findings) + len(report.input_findings)
    # findings on the input (input_checks) come from rsf itself: no obligation, no trace
    results = {r for r in every if not str(g.value(r, SH.sourceShape)).startswith(f"{RSFSH}input/")}
    assert len(results) == len(report.findings)
    details = {d for r in results for d in g.transitive_objects(r, SH.detail)} - results
    assert set(g.subjects(RDF.type, SH.ValidationResult)) == every | details
    # every other result is pySHACL's sh:detail of one (why an sh:node constraint failed)
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
    # O-CE5-03 (CE5: privacy, non-discrimination) and O-CE7-02 (CE7: authors' interests)
    assert rows == {
        "right to non-discrimination": (1, {"ICCPR Article 2(1)", "ICCPR Article 26", "UDHR Article 2", "UDHR Article 7", "UDHGHR Article 6"}),
        "right to privacy": (1, {"ICCPR Article 17", "UDHR Article 12", "UDHGHR Article 7"}),
        "right to protection of interests in one's scientific work": (1, {"ICESCR Article 15(1)(c)", "UDHR Article 27(2)"}),
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
        elif re.match(r"^    (VIOLATION|WARNING|INFO) \(", line):
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
        assert block.startswith(f"    {f.severity.upper()} ({PLAIN_WORDS[f.severity]})  {f.trace.obligation.notation} ")
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
    privacy = "right to privacy (ICCPR 17; UDHR 12; UNESCO UDHGHR 7)"
    text = RENDERERS["text"](report).decode("utf-8")
    assert f"-> {privacy}" in text
    assert "stated in: the Framework, Part IV, 5 Privacy, Data Protection and Confidentiality, bullet 2;" in text
    assert f"-&gt; {privacy}" in RENDERERS["html"](report).decode("utf-8")
    message = json.loads(RENDERERS["sarif"](report))["runs"][0]["results"][0]["message"]["text"]
    assert message.startswith("The policy does not forbid recipients to try to re-identify people in the data.")
    assert privacy in message
    # and no longer the rights of P4, which CE5 serves but does not uphold
    assert "scientific work" not in message and "procedural fairness" not in message


# ---------------------------------------------------------------------------
# What a finding means: said in every report a person reads, on real examples
# run through the `rsf validate` command (in this process)

#: a clinical laboratory with violations and a warning, a funder with a warning and an info
EXAMPLES = ["examples/clinical-laboratory-policy.ttl", "examples/funder-data-sharing-policy.ttl"]


@pytest.fixture(scope="module")
def example_outputs(_at_root, tmp_path_factory) -> dict[str, str]:
    from click.testing import CliRunner

    from responsible_sharing.cli import cli

    out = tmp_path_factory.mktemp("meaning")
    written = {}
    for fmt in ("json", "text", "html", "sarif"):
        target = out / f"report.{fmt}"
        result = CliRunner().invoke(
            cli, ["validate", *EXAMPLES, "--format", fmt, "-o", str(target), "--fail-on", "none", "--jobs", "1"],
        )
        assert result.exit_code == 0, (result.output, result.exception)
        written[fmt] = target.read_text(encoding="utf-8")
    return written


def _example_findings(outputs: dict[str, str]) -> list[dict]:
    findings = [f for p in json.loads(outputs["json"])["policies"] for f in p["findings"]]
    assert findings, "the examples give no finding to read"
    return findings


def test_json_keeps_the_standard_severities(example_outputs):
    findings = _example_findings(example_outputs)
    assert {f["severity"] for f in findings} <= set(PLAIN_WORDS)
    assert not any(words in example_outputs["json"] for words in PLAIN_WORDS.values())


def test_text_report_says_what_a_finding_means(example_outputs):
    text = example_outputs["text"]
    lines = text.splitlines()
    meaning = [line for line in lines if MEANING_PHRASES[0] in line]
    assert len(meaning) == 1 and MEANING_PHRASES[1] in meaning[0]
    legend = ("Severities: violation = required statement missing (must); warning = recommended statement missing "
              "(should); info = good practice not stated (may).")
    assert legend in lines
    # the footer: totals, severities in plain words, what a finding means
    assert lines[-3].startswith("Summary: 2 policies; ") and lines[-2] == legend and lines[-1] == meaning[0]
    for f in _example_findings(example_outputs):
        tag = f"    {f['severity'].upper()} ({PLAIN_WORDS[f['severity']]})  {f['obligation']['notation']} "
        assert any(line.startswith(tag) for line in lines), tag
        assert f"[{f['obligation']['modality']}]" in text


def test_html_report_says_what_a_finding_means_near_the_top(example_outputs):
    page = example_outputs["html"]
    top = html.unescape(page.split("<h2>", 1)[0])
    assert "About the findings." in top
    for phrase in MEANING_PHRASES:
        assert phrase in top
    assert "non-binding good practice" in top
    for severity, words in PLAIN_WORDS.items():
        assert f"<code>sh:{severity.capitalize()}</code>)</td><td>{words}</td><td>{MODALITY[severity]}</td>" in top
    findings = _example_findings(example_outputs)
    divs = re.findall(r"<div class='finding (\w+)'><h3>(.*?)</h3>", page)
    assert [severity for severity, _ in divs] == [f["severity"] for f in findings]
    for (severity, heading), f in zip(divs, findings):
        assert f"({PLAIN_WORDS[severity]})</span> {f['obligation']['notation']} " in heading


def test_sarif_says_a_result_concerns_the_policy_document(example_outputs, sarif_validator):
    data = json.loads(example_outputs["sarif"])
    assert _errors(sarif_validator, data) == []
    (run,) = data["runs"]
    driver = run["tool"]["driver"]["fullDescription"]["text"]
    for phrase in MEANING_PHRASES:
        assert phrase in driver
    for severity, words in PLAIN_WORDS.items():
        assert f"{SARIF_LEVEL[severity]} = {words} ({MODALITY[severity]})" in driver
    findings = _example_findings(example_outputs)
    assert [r["level"] for r in run["results"]] == [SARIF_LEVEL[f["severity"]] for f in findings]
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}
    plain_by_level = {SARIF_LEVEL[s]: (words, MODALITY[s]) for s, words in PLAIN_WORDS.items()}
    for rule in driver_rules(run):
        level = rule["defaultConfiguration"]["level"]
        words, modality = plain_by_level[level]
        assert rule["fullDescription"]["text"].endswith(SARIF_ABOUT)
        assert rule["help"]["text"].startswith(f"Level {level}: {words} (modality: {modality}). Fix: ")
        assert rule["help"]["text"].endswith(SARIF_ABOUT)


def driver_rules(run: dict) -> list[dict]:
    rules = run["tool"]["driver"]["rules"]
    assert rules
    return rules


def test_a_clean_report_still_says_what_a_finding_means(reports):
    text = RENDERERS["text"](reports["clean"]).decode("utf-8")
    assert "No findings: the policy states every applicable obligation that a written policy can show." in text
    assert text.splitlines()[-1].startswith(MEANING_PHRASES[0])
    page = html.unescape(RENDERERS["html"](reports["clean"]).decode("utf-8"))
    assert all(phrase in page for phrase in MEANING_PHRASES)
    driver = json.loads(RENDERERS["sarif"](reports["clean"]))["runs"][0]["tool"]["driver"]
    assert driver["rules"] == [] and MEANING_PHRASES[1] in driver["fullDescription"]["text"]


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
        output.emit(b"new", target)
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
        ("clinician-clean.ttl", "info", 0),
        # unreadable input: 2 whatever --fail-on says
        ("syntax-error.ttl", "none", 2),
    ],
)
def test_exit_codes_follow_fail_on(fixture, fail_on, code):
    done = run_rsf("validate", str(REPORTS / fixture), "--format", "json", "--fail-on", fail_on, cwd=ROOT)
    assert done.returncode == code, done.stderr
    if code != 2:
        assert json.loads(done.stdout)["schema_version"] == "1.2"


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
