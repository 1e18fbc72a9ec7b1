"""Profiles: the issuer's role, the access model and delegations decide what is asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from responsible_sharing.errors import InputError, UsageError
from responsible_sharing.validate import validate
from hostile import run_rsf_inprocess

PROFILES = Path(__file__).parent / "fixtures" / "profiles"
RSF = "https://w3id.org/rsf/"


def _asked(path: str, **options) -> dict[str, set[str]]:
    """policy IRI -> notations of obligations with findings."""
    report = validate([str(PROFILES / path)], **options)
    return {p.policy.rsplit("/", 1)[-1]: {f.trace.obligation.notation for f in p.findings} for p in report.policies}


def _applicable(path: str, **options) -> dict[str, set[str]]:
    report = validate([str(PROFILES / path)], **options)
    return {p.policy.rsplit("/", 1)[-1]: {o.removeprefix(RSF) for o in p.profile.applicable} for p in report.policies}


def test_open_data_is_not_asked_for_access_decisions_or_recipient_duties():
    asked = _asked("open-data.ttl")["open-policy"]
    for obligation in ("O-CE1-10", "O-CE1-11", "O-CE2-02", "O-CE2-09", "O-CE5-05", "O-CE5-07"):
        assert obligation not in asked
    assert {"O-CE1-01", "O-CE1-06", "O-CE6-01"} <= asked  # what open data still owes
    # the re-identification ban holds for open data too: sharing includes open release (Part I, 2, paragraph 4)
    assert "O-CE5-03" in asked


def test_secure_environment_is_not_asked_to_destroy_copies_that_never_exist():
    tre = _asked("secure-environment.ttl")["tre-policy"]
    controlled = _asked("controlled.ttl")["controlled-policy"]
    assert "O-CE5-07" not in tre
    assert "O-CE5-07" in controlled
    # no copy leaves; transfer safeguards are still asked: the policy does not say users abroad cannot log in
    assert controlled - tre == {"O-CE5-07"}


def test_transfer_safeguards_are_dropped_only_where_the_policy_says_nobody_abroad_logs_in():
    asked = _applicable("secure-environment-remote.ttl")
    assert "O-CE5-05" in asked["tre-remote"]
    assert "O-CE5-05" not in asked["tre-local"]
    report = validate([str(PROFILES / "secure-environment-remote.ttl")])
    local = next(p for p in report.policies if p.policy.endswith("tre-local"))
    assert "no transfer abroad takes place" in local.profile.excluded[RSF + "O-CE5-05"]


def test_a_policy_with_two_access_models_is_asked_what_arises_under_either():
    applicable = _applicable("secure-environment-remote.ttl")["two-models"]
    assert "O-CE1-10" in applicable  # moot for open data, but the secure environment decides access
    assert "O-CE5-04" in applicable
    assert "O-CE5-07" not in applicable  # moot under both: no identified recipient holds a copy
    report = validate([str(PROFILES / "secure-environment-remote.ttl")])
    two = next(p for p in report.policies if p.policy.endswith("two-models"))
    assert two.profile.access_model_label == "open access and secure environment access"
    why = two.profile.excluded[RSF + "O-CE5-07"]
    assert "does not arise under open access" in why and "does not arise under secure environment access" in why


def test_the_profile_says_why_an_obligation_is_left_out():
    report = validate([str(PROFILES / "secure-environment.ttl")])
    excluded = report.policies[0].profile.excluded
    assert "never copied out" in excluded[RSF + "O-CE5-07"]
    assert excluded[RSF + "O-CE10-03"].startswith("borne by")


def test_roles_decide_what_is_asked():
    applicable = _applicable("controlled.ttl")["controlled-policy"]
    assert "O-CE10-03" not in applicable  # publishing all results is the funder's and researcher's
    assert "O-CE9-04" not in applicable  # training committee members is the committees' own duty
    assert {"O-CE1-05", "O-CE1-10", "O-CE2-05", "O-CE5-07"} <= applicable


def test_a_named_delegate_takes_the_duty_an_unnamed_one_does_not():
    asked = _asked("delegating.ttl")
    assert "O-CE1-10" not in asked["named-delegate"]
    assert "O-CE2-10" not in asked["named-delegate"]
    assert "O-CE1-10" in asked["unnamed-delegate"]
    assert "O-CE2-10" in asked["unnamed-delegate"]


def test_delegating_the_decision_keeps_the_appeal_route():
    applicable = _applicable("delegating.ttl")["named-delegate"]
    assert "O-CE1-10" not in applicable
    assert "O-CE1-16" in applicable  # the appeal is not delegated unless the policy says so


def test_a_group_of_duties_is_delegated_exactly():
    report = validate([str(PROFILES / "delegating-groups.ttl")])
    by_name = {p.policy.rsplit("/", 1)[-1]: p.profile for p in report.policies}
    group = {"O-CE1-10", "O-CE1-13", "O-CE1-14", "O-CE1-15", "O-CE2-03", "O-CE2-12", "O-CE9-04"}
    delegated = {o.removeprefix(RSF) for o in by_name["group-delegate"].delegated}
    assert delegated == group
    assert all(by_name["group-delegate"].excluded[RSF + o] == "delegated to Depositor Access Committee" for o in group)
    assert "O-CE1-16" in {o.removeprefix(RSF) for o in by_name["group-delegate"].applicable}
    assert {o.removeprefix(RSF) for o in by_name["appeal-too"].delegated} == group | {"O-CE1-16"}
    by_element = {o.removeprefix(RSF) for o in by_name["element-delegate"].delegated}
    assert by_element == {"O-CE8-01", "O-CE8-02", "O-CE8-03", "O-CE8-04"}
    assert "O-CE7-03" in {o.removeprefix(RSF) for o in by_name["element-delegate"].applicable}


def test_each_tier_is_checked_with_its_own_profile_and_reported_on_its_own():
    report = validate([str(PROFILES / "tiered.ttl")])
    by_name = {p.policy.rsplit("/", 1)[-1]: p for p in report.policies}
    assert set(by_name) == {"tier-open", "tier-registered", "tier-secure"}  # the programme itself is not reported
    assert all(p.origin.tier_of == "https://example.org/profiles/programme" for p in by_name.values())
    assert [m.label for m in by_name["tier-open"].profile.access_models] == ["open access"]
    assert by_name["tier-secure"].profile.roles[0].label == "data custodian"  # inherited from the programme
    assert by_name["tier-registered"].title == "Registered tier"
    asked = {name: {f.trace.obligation.notation for f in p.findings} for name, p in by_name.items()}
    assert "O-CE1-16" not in asked["tier-open"] and "O-CE5-04" not in asked["tier-open"]
    assert {"O-CE1-16", "O-CE5-04"} <= asked["tier-registered"] & asked["tier-secure"]
    assert "O-CE5-05" in asked["tier-registered"] and "O-CE5-05" in asked["tier-secure"]  # silent on remote access
    assert "O-CE5-03" in asked["tier-open"]  # the re-identification ban holds for every tier


def test_options_override_what_the_policy_states():
    as_stated = _applicable("open-data.ttl")["open-policy"]
    as_controlled = _applicable("open-data.ttl", access_model="controlled")["open-policy"]
    assert "O-CE5-07" not in as_stated and "O-CE5-07" in as_controlled
    as_funder = _applicable("open-data.ttl", roles=["R09"])["open-policy"]
    assert "O-CE10-03" in as_funder and "O-CE1-05" not in as_funder


def test_unknown_role_is_a_usage_error_listing_the_choices():
    with pytest.raises(UsageError, match="R05"):
        validate([str(PROFILES / "open-data.ttl")], roles=["librarian"])


def test_a_delegation_of_something_that_is_not_an_obligation_is_an_input_error():
    outcome = run_rsf_inprocess("validate", str(PROFILES.parent / "input-checks" / "delegated-wrong-kind.ttl"))
    assert outcome.code == 2, outcome.stderr
    refused = [line for line in outcome.stderr.splitlines() if "rsf:delegatedObligation" in line]
    assert len(refused) == 3, outcome.stderr  # the group and the obligation are accepted
    assert any("rsf:DataCustodian is not an obligation" in line for line in refused)
    assert any('the text "O-CE1-10"' in line and "did you mean rsf:O-CE1-10" in line for line in refused)
    assert any("<https://example.org/profiles/decisions>" in line for line in refused)


def test_a_misspelt_role_is_an_input_error_not_silently_ignored():
    with pytest.raises(InputError, match=r"misspelt-role.ttl: rsf:issuerRole rsf:DataCustodain .* is not an actor role .*did you mean rsf:DataCustodian"):
        validate([str(PROFILES.parent / "input-checks" / "misspelt-role.ttl")])
