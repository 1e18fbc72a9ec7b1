"""Shapes read real policies right (issue 11, point 5): the ways real policies
write a fact count as that fact, and a partial answer is a weaker finding."""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from responsible_sharing.namespaces import RSFSH
from responsible_sharing.validate import run_shapes

PREFIXES = """
@prefix rsf:   <https://w3id.org/rsf/> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .
@prefix dct:   <http://purl.org/dc/terms/> .
@prefix dcat:  <http://www.w3.org/ns/dcat#> .
@prefix dpv:   <https://w3id.org/dpv#> .
@prefix odrl:  <http://www.w3.org/ns/odrl/2/> .
@prefix foaf:  <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix ex:    <https://example.org/reading/> .
"""


def _findings(turtle: str) -> dict[str, dict[str, str]]:
    """policy local name -> {shape local name: severity local name}."""
    results = run_shapes(Graph().parse(data=PREFIXES + turtle, format="turtle"))
    found: dict[str, dict[str, str]] = {}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = str(results.value(result, SH.focusNode)).rsplit("/", 1)[-1]
        shape = str(results.value(result, SH.sourceShape)).removeprefix(str(RSFSH))
        found.setdefault(focus, {})[shape] = str(results.value(result, SH.resultSeverity)).removeprefix(str(SH))
    return found


def _message(turtle: str, shape: str) -> str:
    results = run_shapes(Graph().parse(data=PREFIXES + turtle, format="turtle"))
    for result in results.subjects(SH.sourceShape, URIRef(RSFSH + shape)):
        return str(results.value(result, SH.resultMessage))
    return ""


def test_breach_deadline_may_be_without_undue_delay_or_immediately_as_well_as_a_duration():
    found = _findings("""
    ex:period a rsf:DataSharingPolicy ; rsf:breachProcedure [ dct:description "…" ; rsf:notifies dpv:DataSubject ; rsf:notificationDeadline "PT72H"^^xsd:duration ] ;
        rsf:recipientBreachReporting [ dct:description "…" ; rsf:notificationDeadline "PT24H"^^xsd:duration ] .
    ex:undue a rsf:DataSharingPolicy ; rsf:breachProcedure [ dct:description "…" ; rsf:notifies dpv:DataSubject ; rsf:notificationTiming rsf:WithoutUndueDelay ] ;
        rsf:recipientBreachReporting [ dct:description "…" ; rsf:notificationTiming rsf:WithoutUndueDelay ] .
    ex:now a rsf:DataSharingPolicy ; rsf:breachProcedure [ dct:description "…" ; rsf:notifies dpv:DataSubject ; rsf:notificationTiming rsf:Immediately ] ;
        rsf:recipientBreachReporting [ dct:description "…" ; rsf:notificationTiming rsf:Immediately ] .
    ex:none a rsf:DataSharingPolicy ; rsf:breachProcedure [ dct:description "…" ; rsf:notifies dpv:DataSubject ] ;
        rsf:recipientBreachReporting [ dct:description "…" ; rsf:notificationTiming "soon" ] .
    """)
    for policy in ("period", "undue", "now"):
        assert not {"O-CE2-05", "O-CE2-09"} & set(found.get(policy, {})), policy
    assert {"O-CE2-05", "O-CE2-09"} <= set(found["none"])


def test_security_measures_are_met_by_a_named_environment_or_a_cited_standard():
    found = _findings("""
    ex:measures a rsf:DataSharingPolicy ; dpv:hasTechnicalMeasure [ a dpv:Encryption ] , [ a dpv:AccessControlMethod ] .
    ex:tre a rsf:DataSharingPolicy ; rsf:secureEnvironment [ a dpv:SecureProcessingEnvironment ; foaf:name "Corvell Trusted Research Environment" ] .
    ex:iso a rsf:DataSharingPolicy ; rsf:securityStandard <https://www.iso.org/standard/27001> .
    ex:unnamed a rsf:DataSharingPolicy ; rsf:secureEnvironment [ a dpv:SecureProcessingEnvironment ] ; dpv:hasTechnicalMeasure [ a dpv:Encryption ] .
    """)
    for policy in ("measures", "tre", "iso"):
        assert "O-CE4-03" not in found.get(policy, {}), policy
    assert found["unnamed"]["O-CE4-03"] == "Violation"


def test_an_appeal_route_without_contact_is_a_weaker_finding_than_none():
    policies = """
    ex:full a rsf:DataSharingPolicy ; rsf:appealRoute [ dct:description "Write to the chair." ; dcat:contactPoint [ vcard:hasEmail <mailto:chair@example.org> ] ] .
    ex:partial a rsf:DataSharingPolicy ; rsf:appealRoute [ dct:description "Applicants may appeal." ] .
    ex:missing a rsf:DataSharingPolicy ; rsf:decisionCriteria "Fit with consent." .
    """
    found = _findings(policies)
    assert not {"O-CE1-16", "O-CE1-16-contact"} & set(found.get("full", {}))
    assert {k: v for k, v in found["partial"].items() if k.startswith("O-CE1-16")} == {"O-CE1-16-contact": "Info"}
    assert {k: v for k, v in found["missing"].items() if k.startswith("O-CE1-16")} == {"O-CE1-16": "Warning"}
    assert "no contact point" in _message(policies, "O-CE1-16-contact")


def test_a_duty_only_requested_is_weaker_than_a_required_one_and_says_so():
    policies = """
    ex:required a rsf:DataSharingPolicy ; rsf:citationRequirement [ dct:description "Cite the DOI." ] .
    ex:requested a rsf:DataSharingPolicy ; rsf:citationRequirement [ dct:description "Please cite the DOI." ; rsf:requirementStrength rsf:Requested ] .
    ex:template a rsf:DataSharingPolicy ; rsf:citationRequirement [ dct:description "Cite the DOI." ; rsf:requirementStrength rsf:TemplateClause ] .
    ex:silent a rsf:DataSharingPolicy ; dct:title "no citation rule" .
    """
    found = _findings(policies)
    assert not {"O-CE7-01", "O-CE7-01-requested"} & set(found.get("required", {}))
    for policy in ("requested", "template"):
        assert {k: v for k, v in found[policy].items() if k.startswith("O-CE7-01")} == {"O-CE7-01-requested": "Info"}, policy
    assert {k: v for k, v in found["silent"].items() if k.startswith("O-CE7-01")} == {"O-CE7-01": "Warning"}
    assert "only asks" in _message(policies, "O-CE7-01-requested")


def test_a_target_inside_a_permission_counts_as_one_on_the_policy():
    found = _findings("""
    ex:onpolicy a rsf:DataSharingPolicy ; odrl:target ex:cohort .
    ex:inpermission a rsf:DataSharingPolicy ; odrl:permission [ odrl:action odrl:use ; odrl:target ex:cohort ] .
    ex:notarget a rsf:DataSharingPolicy ; odrl:permission [ odrl:action odrl:use ] .
    ex:cohort a dcat:Dataset ; dct:identifier "doi:10.1234/cohort" ; dcat:landingPage <https://example.org/cohort> .
    """)
    for policy in ("onpolicy", "inpermission"):
        assert not {"O-CE8-02", "O-CE10-01"} & set(found.get(policy, {})), policy
    assert {"O-CE8-02", "O-CE10-01"} <= set(found["notarget"])
