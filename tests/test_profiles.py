"""Profiles: the issuer's role, the access model and delegations decide what is asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from responsible_sharing.errors import InputError, UsageError
from responsible_sharing.validate import validate

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
    assert controlled - tre == {"O-CE5-07"}
    assert "O-CE5-05" in tre  # remote access from abroad can still be a transfer


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


def test_options_override_what_the_policy_states():
    as_stated = _applicable("open-data.ttl")["open-policy"]
    as_controlled = _applicable("open-data.ttl", access_model="controlled")["open-policy"]
    assert "O-CE5-07" not in as_stated and "O-CE5-07" in as_controlled
    as_funder = _applicable("open-data.ttl", roles=["R09"])["open-policy"]
    assert "O-CE10-03" in as_funder and "O-CE1-05" not in as_funder


def test_unknown_role_is_a_usage_error_listing_the_choices():
    with pytest.raises(UsageError, match="R05"):
        validate([str(PROFILES / "open-data.ttl")], roles=["librarian"])


def test_a_misspelt_role_is_an_input_error_not_silently_ignored():
    with pytest.raises(InputError, match=r"misspelt-role.ttl: rsf:issuerRole rsf:DataCustodain .* is not an actor role .*did you mean rsf:DataCustodian"):
        validate([str(PROFILES / "misspelt-role.ttl")])
