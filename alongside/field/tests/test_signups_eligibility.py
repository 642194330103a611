"""Who may take which shift: the reasons are computed from what was loaded once, and say what
stands in the way in the volunteer's words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from alongside.field.eligibility import eligible_for, volunteer_for, why_not
from alongside.field.models import ActivityKind, SignUp, SignUpStatus
from alongside.field.rules import rules_for
from alongside.field.tests.factories import in_days, make_field_volunteer, make_shift
from alongside.movement.models import Principle, PrinciplesVersion
from alongside.volunteers.models import PrinciplesAgreement, Qualification, Stage
from conftest import World, sign_in


def lina(world: World, **kw: Any) -> Any:
    return make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal, **kw)


def reason(user: Any, shift: Any) -> Any:
    rules = rules_for(shift.invitation.community.group, shift.invitation.kind)
    return why_not(volunteer_for(user), shift, rules, taken=0)


def next_friday_noon() -> dt.datetime:
    start = in_days(3)
    return start + dt.timedelta(days=(4 - start.weekday()) % 7)


def test_an_overlap_names_the_community_and_the_weekday(world: World) -> None:
    user = lina(world)
    friday = next_friday_noon()
    SignUp.objects.create(
        shift=make_shift(community=world.bilin, starts_at=friday),
        user=user,
        status=SignUpStatus.CONFIRMED,
    )
    other = make_shift(
        community=world.bilin, kind=ActivityKind.HARVEST, starts_at=friday + dt.timedelta(hours=2)
    )
    with translation.override("en"):
        refusal = reason(user, other)
    assert refusal is not None and refusal.code == "overlap"
    assert refusal.message == "Overlaps your shift at Bil'in on Friday."


def test_a_training_that_expires_before_the_shift_does_not_count(world: World) -> None:
    user = lina(world)
    shift = make_shift(community=world.bilin, starts_at=in_days(10))
    Qualification.objects.filter(user=user).update(expires_on=in_days(9).date())
    refusal = reason(user, shift)
    assert refusal is not None and refusal.code == "qualification"
    assert "two-day training" in refusal.message


def test_the_movements_principles_count_when_the_group_has_none(world: World) -> None:
    user = lina(world)
    shift = make_shift(community=world.bilin)
    version = PrinciplesVersion.objects.create(group=world.field_team, number=1)
    Principle.objects.create(version=version, position=1, title_en="Nonviolence", text_en="No.")
    refusal = reason(user, shift)
    assert refusal is not None and refusal.code == "principles"
    PrinciplesAgreement.objects.create(user=user, version=version)
    assert reason(user, shift) is None


def test_a_volunteer_in_the_field_may_take_shifts_and_one_returned_may_not(world: World) -> None:
    shift = make_shift(community=world.bilin)
    assert reason(lina(world, stage=Stage.IN_FIELD), shift) is None
    returned = make_field_volunteer(
        "omar@example.net", "Omar Field", group=world.norcal, stage=Stage.RETURNED
    )
    refusal = reason(returned, shift)
    assert refusal is not None and refusal.code == "not_ready"


def test_a_full_shift_lets_her_wait_and_a_started_one_does_not(world: World) -> None:
    user = lina(world)
    shift = make_shift(community=world.bilin, places=2)
    rules = rules_for(world.field_team, shift.invitation.kind)
    full = why_not(volunteer_for(user), shift, rules, taken=2)
    assert full is not None and full.may_wait
    started = why_not(
        volunteer_for(user), shift, rules, taken=0, now=shift.starts_at + dt.timedelta(minutes=1)
    )
    assert started is not None and started.code == "started" and not started.may_wait


def test_eligibility_for_everyone_takes_the_same_queries_for_many_as_for_few(
    world: World,
) -> None:
    shift = make_shift(community=world.bilin)
    rules = rules_for(world.field_team, shift.invitation.kind)
    lina(world)
    with CaptureQueriesContext(connection) as few:
        assert len(eligible_for(shift, rules)) == 1
    for number in range(10):
        user = make_field_volunteer(f"v{number}@example.net", "Vee Field", group=world.norcal)
        SignUp.objects.create(
            shift=make_shift(community=world.bilin, starts_at=in_days(20 + number)),
            user=user,
            status=SignUpStatus.CONFIRMED,
        )
    with CaptureQueriesContext(connection) as many:
        assert len(eligible_for(shift, rules)) == 11
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_pages_work_in_arabic(client: Client, world: World) -> None:
    user = lina(world)
    shift = make_shift(community=world.bilin)
    sign_in(client, user, second_factor=False)
    for path in ("/ar/field/", "/ar/field/mine/", f"/ar/field/shifts/{shift.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'dir="rtl"' in response.content.decode()
