"""The demo's field work: whenever it is loaded, a team is out now with its check-ins, one
missed check-in has been raised, next Friday is full with an offer and a waiting list, a school
run breaks the team rules, and an incident was noted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo.content import demo_email
from alongside.field.models import (
    Escalation,
    IncidentNote,
    Invitation,
    InvitedVia,
    Shift,
    SignUp,
    SignUpStatus,
)
from alongside.field.profiles import volunteer_profiles
from alongside.field.rules import rules_for
from alongside.field.team_rules import broken_rules


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo", verbosity=0)


def test_four_invitations_from_communities_with_shifts_past_and_to_come(demo: None) -> None:
    invitations = Invitation.objects.select_related("community")
    assert {i.community.slug for i in invitations} == {
        "bilin",
        "tel-rumeida",
        "nilin",
        "masafer-yatta",
    }
    now = timezone.now()
    for invitation in invitations:
        assert invitation.shifts.filter(starts_at__gt=now).exists(), invitation
    assert invitations.filter(invited_via=InvitedVia.PHONE).exists()
    stay = invitations.get(community__slug="masafer-yatta")
    assert stay.end_time < stay.start_time  # overnight
    assert stay.place  # the exact place, encrypted


def test_a_team_is_out_now_with_the_field_persona_and_its_check_ins_given(demo: None) -> None:
    field = User.objects.get(email=demo_email("field"))
    now = timezone.now()
    signup = SignUp.objects.get(
        user=field,
        status=SignUpStatus.CONFIRMED,
        shift__starts_at__lte=now,
        shift__ends_at__gt=now,
    )
    assert signup.shift.signups.filter(status=SignUpStatus.CONFIRMED).count() == 3
    assert not signup.checkins.filter(due_at__lte=now, answered_at__isnull=True).exists()
    assert signup.checkins.filter(due_at__gt=now, answered_at__isnull=True).exists()


def test_one_missed_check_in_is_raised_and_waits(demo: None) -> None:
    escalation = Escalation.objects.select_related("checkin__signup__user").get()
    assert escalation.acknowledged_at is None
    assert escalation.reason == "missed"
    assert escalation.checkin.signup.user.email == demo_email("malik.haddad")


def test_next_friday_is_full_with_an_offer_and_someone_waiting(demo: None) -> None:
    friday = (
        Shift.objects.filter(invitation__community__slug="bilin", starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    assert friday is not None
    statuses = sorted(friday.signups.values_list("status", flat=True))
    assert statuses == ["cancelled", "confirmed", "confirmed", "confirmed", "offered", "waiting"]


def test_tomorrows_school_run_breaks_the_team_rules(demo: None) -> None:
    school = (
        Shift.objects.filter(
            invitation__community__slug="tel-rumeida", starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .select_related("invitation__community__group")
        .first()
    )
    assert school is not None
    team = list(
        school.signups.filter(status=SignUpStatus.CONFIRMED).values_list("user_id", flat=True)
    )
    profiles = volunteer_profiles(team, before=school.starts_at)
    rules = rules_for(school.invitation.community.group, school.invitation.kind)
    codes = {b.code for b in broken_rules(school, rules, list(profiles.values()))}
    assert {"team_size", "no_experienced"} <= codes


def test_an_incident_was_noted_in_the_field(demo: None) -> None:
    note = IncidentNote.objects.get()
    assert note.kind == "confiscation"
    assert "ladders" in note.note


def test_loading_again_adds_no_field_work(demo: None) -> None:
    counts = (Invitation.objects.count(), Shift.objects.count(), SignUp.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Invitation.objects.count(), Shift.objects.count(), SignUp.objects.count()) == counts
