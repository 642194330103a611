"""The day before a training, everyone registered gets one reminder, however often the task
runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from alongside.lib.models import SentNotice
from alongside.volunteers.models import RegistrationStatus, Stage, Training, TrainingRegistration
from alongside.volunteers.tasks import remind_training_registrants
from alongside.volunteers.tests.factories import make_application, make_training
from conftest import World

NOON = dt.datetime(2031, 4, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _at_noon(monkeypatch: Any) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOON)


def training_on(world: World, day: dt.date, hour: int = 9) -> Training:
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
    return make_training(group=world.norcal, starts_at=start, ends_at=start + dt.timedelta(hours=8))


def register(training: Training, status: str = RegistrationStatus.REGISTERED) -> Any:
    return TrainingRegistration.objects.create(
        training=training,
        application=make_application(group=training.group, stage=Stage.TRAINING),
        status=status,
    )


def test_everyone_registered_for_tomorrow_gets_one_reminder_even_when_run_twice(
    world: World, mailoutbox: list[Any]
) -> None:
    tomorrow = training_on(world, dt.date(2031, 4, 11), hour=0)
    late = training_on(world, dt.date(2031, 4, 11), hour=23)
    registrations = [register(tomorrow), register(tomorrow), register(late)]
    assert remind_training_registrants.call() == 3
    assert remind_training_registrants.call() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        r.application.user.email for r in registrations
    )
    body = mailoutbox[0].body
    assert "/en/volunteer/trainings/" in body
    assert "Two-day training" not in body and "Oakland" not in body


def test_nobody_is_reminded_of_a_training_two_days_away_or_today(
    world: World, mailoutbox: list[Any]
) -> None:
    register(training_on(world, dt.date(2031, 4, 12)))
    register(training_on(world, dt.date(2031, 4, 10), hour=18))
    assert remind_training_registrants.call() == 0
    assert not mailoutbox


def test_cancelled_and_waiting_people_are_not_reminded(world: World, mailoutbox: list[Any]) -> None:
    tomorrow = training_on(world, dt.date(2031, 4, 11))
    register(tomorrow, RegistrationStatus.CANCELLED)
    register(tomorrow, RegistrationStatus.WAITLISTED)
    kept = register(tomorrow)
    remind_training_registrants.call()
    assert [m.to for m in mailoutbox] == [[kept.application.user.email]]


def test_a_reminder_that_could_not_be_sent_is_sent_on_the_next_run(
    world: World, mailoutbox: list[Any], monkeypatch: Any
) -> None:
    register(training_on(world, dt.date(2031, 4, 11)))
    from alongside.volunteers import tasks

    def broken(**kwargs: Any) -> int:
        raise ConnectionError("the mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "send_notification", broken)
        with pytest.raises(ConnectionError):
            remind_training_registrants.call()
    assert not SentNotice.objects.exists()
    assert remind_training_registrants.call() == 1
    assert len(mailoutbox) == 1
