"""Reminders before a shift: from 18:00 Hebron the evening before, "confirm or cancel"; in the
last hour, "in an hour"; never after the start; each once per sign-up and start, however often
the task runs, and again when the shift moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from alongside.field.models import Shift, SignUp, SignUpStatus
from alongside.field.tasks.signups import send_shift_reminders
from alongside.field.tests.factories import make_field_volunteer, make_shift
from alongside.lib.timezones import field_zone
from conftest import World

HEBRON = field_zone()
# Friday 11 April 2031, noon in Hebron.
START = dt.datetime(2031, 4, 11, 12, 0, tzinfo=HEBRON)


class Clock:
    def __init__(self, monkeypatch: Any) -> None:
        self.now = START - dt.timedelta(days=2)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def at(self, moment: dt.datetime) -> None:
        self.now = moment


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def signup(world: World, clock: Clock) -> SignUp:
    lina = make_field_volunteer(
        "lina@example.net",
        "Lina Field",
        group=world.norcal,
        arrival_on=dt.date(2031, 4, 1),
        departure_on=dt.date(2031, 5, 1),
    )
    shift = make_shift(community=world.bilin, starts_at=START)
    return SignUp.objects.create(shift=shift, user=lina, status=SignUpStatus.CONFIRMED)


def subjects(mailoutbox: list[Any]) -> list[str]:
    return [m.subject for m in mailoutbox]


def test_nothing_before_six_the_evening_before(
    signup: SignUp, clock: Clock, mailoutbox: list[Any]
) -> None:
    clock.at(dt.datetime(2031, 4, 10, 17, 59, tzinfo=HEBRON))
    assert send_shift_reminders.call() == 0
    assert not mailoutbox


def test_the_evening_reminder_is_sent_once_with_a_link_to_the_shift(
    signup: SignUp, clock: Clock, mailoutbox: list[Any]
) -> None:
    clock.at(dt.datetime(2031, 4, 10, 18, 0, tzinfo=HEBRON))
    assert send_shift_reminders.call() == 1
    clock.at(dt.datetime(2031, 4, 10, 21, 0, tzinfo=HEBRON))
    assert send_shift_reminders.call() == 0
    assert subjects(mailoutbox) == ["Are you still coming?"]
    body = mailoutbox[0].body
    assert body.startswith("Hello Lina,")
    assert f"/en/field/shifts/{signup.shift_id}/" in body
    assert "Bil" not in body and "12:00" not in body and "2031" not in body


def test_the_hour_before_gets_its_own_reminder_once(
    signup: SignUp, clock: Clock, mailoutbox: list[Any]
) -> None:
    clock.at(dt.datetime(2031, 4, 10, 19, 0, tzinfo=HEBRON))
    send_shift_reminders.call()
    clock.at(START - dt.timedelta(minutes=59))
    assert send_shift_reminders.call() == 1
    assert send_shift_reminders.call() == 0
    assert subjects(mailoutbox) == ["Are you still coming?", "Your shift starts in an hour"]


def test_nothing_after_the_start(signup: SignUp, clock: Clock, mailoutbox: list[Any]) -> None:
    clock.at(START + dt.timedelta(minutes=1))
    assert send_shift_reminders.call() == 0
    assert not mailoutbox


def test_waiting_cancelled_and_cancelled_shifts_are_not_reminded(
    signup: SignUp, clock: Clock, mailoutbox: list[Any]
) -> None:
    SignUp.objects.filter(pk=signup.pk).update(status=SignUpStatus.WAITING)
    clock.at(dt.datetime(2031, 4, 10, 20, 0, tzinfo=HEBRON))
    assert send_shift_reminders.call() == 0
    SignUp.objects.filter(pk=signup.pk).update(status=SignUpStatus.CONFIRMED)
    Shift.objects.filter(pk=signup.shift_id).update(is_cancelled=True)
    assert send_shift_reminders.call() == 0
    assert not mailoutbox


def test_a_moved_shift_reminds_again(signup: SignUp, clock: Clock, mailoutbox: list[Any]) -> None:
    clock.at(dt.datetime(2031, 4, 10, 20, 0, tzinfo=HEBRON))
    assert send_shift_reminders.call() == 1
    later = START + dt.timedelta(days=1)
    Shift.objects.filter(pk=signup.shift_id).update(
        starts_at=later, ends_at=later + dt.timedelta(hours=3)
    )
    clock.at(dt.datetime(2031, 4, 11, 18, 30, tzinfo=HEBRON))
    assert send_shift_reminders.call() == 1
    assert len(mailoutbox) == 2


def test_a_reminder_that_could_not_be_sent_goes_on_the_next_run(
    signup: SignUp, clock: Clock, mailoutbox: list[Any], monkeypatch: Any
) -> None:
    from alongside.field.tasks import signups as tasks

    def broken(**kwargs: Any) -> int:
        raise ConnectionError("the mail server is down")

    working = tasks.send_notification
    clock.at(dt.datetime(2031, 4, 10, 20, 0, tzinfo=HEBRON))
    monkeypatch.setattr(tasks, "send_notification", broken)
    with pytest.raises(ConnectionError):
        send_shift_reminders.call()
    monkeypatch.setattr(tasks, "send_notification", working)
    assert send_shift_reminders.call() == 1
    assert len(mailoutbox) == 1
