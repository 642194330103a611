"""“Shifts I can take”: a volunteer ready for the field sees the upcoming shifts, those inside
their presence window first, each with the way to take it or the reason why not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from alongside.field.models import ActivityKind, SignUp, SignUpStatus
from alongside.field.tests.factories import in_days, make_field_volunteer, make_shift
from alongside.volunteers.models import Stage
from alongside.volunteers.tests.factories import make_application
from conftest import World, sign_in

HOME = "/en/field/"


@pytest.fixture
def lina(world: World) -> Any:
    return make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal)


@pytest.fixture
def lina_client(client: Client, lina: Any) -> Client:
    return sign_in(client, lina, second_factor=False)


def test_the_home_needs_a_sign_in(client: Client, world: World) -> None:
    response = client.get(HOME)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_someone_not_ready_is_told_why_and_sent_to_their_volunteer_page(
    client: Client, world: World
) -> None:
    make_application(user=world.volunteer, group=world.norcal, stage=Stage.TRAINING)
    make_shift(community=world.bilin)
    text = sign_in(client, world.volunteer, second_factor=False).get(HOME).content.decode()
    assert "once your support group has found you ready" in text
    assert "/en/volunteer/" in text
    assert "Take this shift" not in text


def test_a_ready_volunteer_sees_the_shift_and_can_take_it(
    lina_client: Client, world: World
) -> None:
    shift = make_shift(community=world.bilin)
    text = lina_client.get(HOME).content.decode()
    assert "Bil&#x27;in" in text or "Bil'in" in text
    assert f"/en/field/shifts/{shift.pk}/sign-up/" in text
    assert "Asia/Hebron" in text


def test_each_shift_she_cannot_take_says_why(lina_client: Client, world: World) -> None:
    make_shift(community=world.bilin, starts_at=in_days(90))  # after her departure
    full = make_shift(community=world.bilin, places=1, starts_at=in_days(4))
    SignUp.objects.create(
        shift=full,
        user=make_field_volunteer("omar@example.net", "Omar Other", group=world.norcal),
        status=SignUpStatus.CONFIRMED,
    )
    text = lina_client.get(HOME).content.decode()
    assert "Outside your presence window" in text
    assert "Join the waiting list" in text


def test_shifts_inside_the_window_come_first(lina_client: Client, world: World) -> None:
    later_outside = make_shift(community=world.bilin, starts_at=in_days(80))
    inside = make_shift(community=world.bilin, starts_at=in_days(10))
    text = lina_client.get(HOME).content.decode()
    assert text.index(f"/shifts/{inside.pk}/") < text.index(f"/shifts/{later_outside.pk}/")


def test_the_filters_narrow_by_kind_and_week(lina_client: Client, world: World) -> None:
    school = make_shift(community=world.bilin, kind=ActivityKind.SCHOOL_RUN, starts_at=in_days(2))
    demo = make_shift(community=world.bilin, starts_at=in_days(3))
    text = lina_client.get(HOME, {"kind": "school_run"}).content.decode()
    assert f"/shifts/{school.pk}/" in text and f"/shifts/{demo.pk}/" not in text
    monday = in_days(21).date() - dt.timedelta(days=in_days(21).weekday())
    later = make_shift(community=world.bilin, starts_at=in_days(21))
    text = lina_client.get(HOME, {"week": monday.isoformat()}).content.decode()
    assert f"/shifts/{later.pk}/" in text and f"/shifts/{school.pk}/" not in text


def test_a_bad_filter_is_refused_with_a_message_and_kept(lina_client: Client, world: World) -> None:
    response = lina_client.get(HOME, {"kind": "picnic", "week": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Please correct what is marked below" in text
    assert "picnic" in text


def test_the_list_takes_as_many_queries_for_many_shifts_as_for_few(
    lina_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for days in (2, 3):
        make_shift(community=world.bilin, starts_at=in_days(days))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert lina_client.get(HOME).status_code == 200
    for days in range(4, 24):
        shift = make_shift(community=world.bilin, starts_at=in_days(days, hour=9))
        SignUp.objects.create(
            shift=shift,
            user=make_field_volunteer(f"v{days}@example.net", "Vee", group=world.norcal),
            status=SignUpStatus.CONFIRMED,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert lina_client.get(HOME).status_code == 200
