"""A freed place is offered to the first person waiting; the offer expires (two hours by
default, never past half an hour before the start) and then passes on to the next one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.field.actions.signups import offer_free_places
from alongside.field.models import CheckIn, FieldSettings, Shift, SignUp, SignUpStatus
from alongside.field.tasks.signups import pass_on_expired_offers
from alongside.field.tests.factories import make_field_volunteer, make_shift
from conftest import World, sign_in


class Clock:
    def __init__(self, monkeypatch: Any) -> None:
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def move(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    return Clock(monkeypatch)


def people(world: World, *names: str) -> list[Any]:
    return [
        make_field_volunteer(f"{n.lower()}@example.net", f"{n} Field", group=world.norcal)
        for n in names
    ]


def queue(world: World, places: int = 1, **kw: Any) -> tuple[Shift, list[SignUp]]:
    """A shift with `places` taken and Amal, Badr, Carla waiting in that order."""
    shift = make_shift(community=world.bilin, places=places, **kw)
    for user in people(world, *[f"Holder{n}" for n in range(places)]):
        SignUp.objects.create(shift=shift, user=user, status=SignUpStatus.CONFIRMED)
    waiting = []
    base = timezone.now() - dt.timedelta(hours=1)
    for number, user in enumerate(people(world, "Amal", "Badr", "Carla")):
        waiting.append(
            SignUp.objects.create(
                shift=shift,
                user=user,
                status=SignUpStatus.WAITING,
                joined_at=base + dt.timedelta(minutes=number),
            )
        )
    return shift, waiting


def free_one(shift: Shift) -> None:
    holder = shift.signups.filter(status=SignUpStatus.CONFIRMED).first()
    assert holder is not None
    SignUp.objects.filter(pk=holder.pk).update(status=SignUpStatus.CANCELLED)
    offer_free_places(shift=shift)


def status_of(signup: SignUp) -> str:
    signup.refresh_from_db()
    return signup.status


def test_the_first_waiting_gets_an_offer_for_the_teams_offer_time(
    world: World, clock: Clock
) -> None:
    shift, (amal, badr, _carla) = queue(world)
    FieldSettings.objects.create(team=world.field_team, offer_hours=3)
    free_one(shift)
    amal.refresh_from_db()
    assert amal.status == SignUpStatus.OFFERED
    assert amal.offer_expires_at == clock.now + dt.timedelta(hours=3)
    assert status_of(badr) == SignUpStatus.WAITING


def test_an_offer_never_runs_past_half_an_hour_before_the_start(world: World, clock: Clock) -> None:
    shift, (amal, *_rest) = queue(world, starts_at=timezone.now() + dt.timedelta(hours=1))
    free_one(shift)
    amal.refresh_from_db()
    assert amal.offer_expires_at == shift.starts_at - dt.timedelta(minutes=30)


def test_an_expired_offer_passes_on_once_whatever_runs_twice(
    world: World, clock: Clock, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    shift, (amal, badr, carla) = queue(world)
    with django_capture_on_commit_callbacks(execute=True):
        free_one(shift)
    clock.move(hours=2, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert pass_on_expired_offers.call() == 1
        assert pass_on_expired_offers.call() == 0
    assert status_of(amal) == SignUpStatus.CANCELLED
    assert status_of(badr) == SignUpStatus.OFFERED
    assert status_of(carla) == SignUpStatus.WAITING
    assert [m.to[0] for m in mailoutbox] == ["amal@example.net", "badr@example.net"]


def test_an_offer_not_yet_expired_stays(world: World, clock: Clock) -> None:
    shift, (amal, *_rest) = queue(world)
    free_one(shift)
    clock.move(hours=1, minutes=59)
    assert pass_on_expired_offers.call() == 0
    assert status_of(amal) == SignUpStatus.OFFERED


def test_accepting_the_offer_gives_the_place(client: Client, world: World, clock: Clock) -> None:
    shift, (amal, badr, _carla) = queue(world)
    free_one(shift)
    page = sign_in(client, amal.user, second_factor=False).get("/en/field/mine/")
    assert "Take the place" in page.content.decode()
    text = client.post(f"/en/field/shifts/{shift.pk}/accept/", follow=True).content.decode()
    assert "The place is yours." in text
    assert status_of(amal) == SignUpStatus.CONFIRMED
    assert CheckIn.objects.filter(signup=amal).exists()
    clock.move(hours=3)
    assert pass_on_expired_offers.call() == 0
    assert status_of(badr) == SignUpStatus.WAITING


def test_accepting_too_late_is_refused(client: Client, world: World, clock: Clock) -> None:
    shift, (amal, *_rest) = queue(world)
    free_one(shift)
    clock.move(hours=2, minutes=1)
    sign_in(client, amal.user, second_factor=False)
    text = client.post(f"/en/field/shifts/{shift.pk}/accept/", follow=True).content.decode()
    assert "This offer is no longer open." in text
    assert status_of(amal) == SignUpStatus.OFFERED  # the task passes it on


def test_declining_passes_the_place_on_at_once(client: Client, world: World, clock: Clock) -> None:
    shift, (amal, badr, _carla) = queue(world)
    free_one(shift)
    sign_in(client, amal.user, second_factor=False)
    client.post(f"/en/field/shifts/{shift.pk}/decline/")
    assert status_of(amal) == SignUpStatus.CANCELLED
    assert status_of(badr) == SignUpStatus.OFFERED


def test_the_waiting_list_shows_her_position(client: Client, world: World) -> None:
    _shift, (_amal, badr, _carla) = queue(world)
    sign_in(client, badr.user, second_factor=False)
    assert "Number 2 on the waiting list." in client.get("/en/field/mine/").content.decode()


def test_someone_else_cannot_answer_her_offer(client: Client, world: World, clock: Clock) -> None:
    shift, (amal, badr, _carla) = queue(world)
    free_one(shift)
    (stranger,) = people(world, "Dina")
    sign_in(client, stranger, second_factor=False)
    assert client.post(f"/en/field/shifts/{shift.pk}/accept/").status_code == 404
    assert status_of(amal) == SignUpStatus.OFFERED
    sign_in(client, badr.user, second_factor=False)
    text = client.post(f"/en/field/shifts/{shift.pk}/accept/", follow=True).content.decode()
    assert "no longer open" in text
    assert status_of(badr) == SignUpStatus.WAITING


def test_my_shifts_needs_a_sign_in(client: Client, world: World) -> None:
    response = client.get("/en/field/mine/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
