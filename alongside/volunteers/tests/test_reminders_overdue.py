"""Owners of overdue steps get one reminder per application and due date, grouped in one email
per owner, however often the hourly task runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from alongside.accounts.models import User
from alongside.lib.models import SentNotice
from alongside.volunteers import tasks
from alongside.volunteers.models import Application, Stage
from alongside.volunteers.tasks import remind_owners_of_overdue_steps
from alongside.volunteers.tests.factories import make_application
from alongside.volunteers.tests.test_safespace_raise import make_core
from conftest import World

START = dt.datetime(2031, 4, 10, 12, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def days(self, n: int) -> None:
        self.now += dt.timedelta(days=n)

    @property
    def today(self) -> dt.date:
        return timezone.localdate()


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    moved = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moved.now)
    return moved


def owned(world: World, owner: User, due_on: dt.date, **fields: Any) -> Application:
    return make_application(
        group=world.norcal,
        stage=fields.pop("stage", Stage.INTERVIEW),
        owner=owner,
        step_due_on=due_on,
        full_name="Noor Haddad",
        **fields,
    )


def test_each_owner_gets_one_email_listing_their_overdue_steps_even_when_run_twice(
    world: World, clock: Clock, mailoutbox: list[Any]
) -> None:
    kim = make_core(world, "kim@example.org", "Kim Core")
    first = owned(world, world.core, clock.today - dt.timedelta(days=1))
    second = owned(world, world.core, clock.today - dt.timedelta(days=5))
    owned(world, kim, clock.today - dt.timedelta(days=2))

    assert remind_owners_of_overdue_steps.call() == 2
    assert remind_owners_of_overdue_steps.call() == 0
    clock.days(1)
    assert remind_owners_of_overdue_steps.call() == 0

    assert sorted(m.to[0] for m in mailoutbox) == ["core@example.org", "kim@example.org"]
    [maya] = [m for m in mailoutbox if m.to == ["core@example.org"]]
    assert "2 steps you own are overdue" in maya.subject
    assert "Hello Maya," in maya.body
    for application in (first, second):
        link = f"{settings.SITE_URL}/en/manage/northern-california/pipeline/{application.pk}/"
        assert link in maya.body


def test_the_email_carries_no_personal_data_beyond_the_owners_first_name(
    world: World, clock: Clock, mailoutbox: list[Any]
) -> None:
    application = owned(world, world.core, clock.today - dt.timedelta(days=1))
    remind_owners_of_overdue_steps.call()
    [email] = mailoutbox
    text = email.subject + email.body
    for leak in ("Noor", "Haddad", application.user.email, "Core", "core@example.org"):
        assert leak not in text


def test_a_new_due_date_after_reassignment_earns_a_new_reminder(
    world: World, clock: Clock, mailoutbox: list[Any]
) -> None:
    kim = make_core(world, "kim@example.org", "Kim Core")
    application = owned(world, world.core, clock.today - dt.timedelta(days=1))
    assert remind_owners_of_overdue_steps.call() == 1

    Application.objects.filter(pk=application.pk).update(
        owner=kim, step_due_on=clock.today + dt.timedelta(days=2)
    )
    assert remind_owners_of_overdue_steps.call() == 0  # not overdue yet
    clock.days(3)
    assert remind_owners_of_overdue_steps.call() == 1
    assert remind_owners_of_overdue_steps.call() == 0

    assert [m.to for m in mailoutbox] == [["core@example.org"], ["kim@example.org"]]


def test_closed_applications_drafts_unowned_steps_and_steps_not_yet_due_are_left_alone(
    world: World, clock: Clock, mailoutbox: list[Any]
) -> None:
    past = clock.today - dt.timedelta(days=3)
    for stage in (Stage.WITHDRAWN, Stage.DECLINED, Stage.RETURNED, Stage.DRAFT):
        owned(world, world.core, past, stage=stage)
    owned(world, world.core, clock.today)  # due today: not overdue yet
    owned(world, world.core, clock.today + dt.timedelta(days=4))
    make_application(group=world.norcal, stage=Stage.INTERVIEW, step_due_on=past)

    assert remind_owners_of_overdue_steps.call() == 0
    assert not mailoutbox


def test_an_owner_is_written_in_their_own_language(
    world: World, clock: Clock, mailoutbox: list[Any]
) -> None:
    rana = make_core(world, "rana@example.org", "Rana Core", language="ar")
    application = owned(world, rana, clock.today - dt.timedelta(days=1))
    remind_owners_of_overdue_steps.call()
    [email] = mailoutbox
    assert f"/ar/manage/northern-california/pipeline/{application.pk}/" in email.body


def test_an_owner_whose_email_failed_is_reminded_on_the_next_run_and_others_still_are(
    world: World, clock: Clock, mailoutbox: list[Any], monkeypatch: Any
) -> None:
    kim = make_core(world, "kim@example.org", "Kim Core")
    owned(world, world.core, clock.today - dt.timedelta(days=1))
    kims = owned(world, kim, clock.today - dt.timedelta(days=1))
    real = tasks.send_notification

    def down_for_maya(**kwargs: Any) -> int:
        if kwargs["to"] == ["core@example.org"]:
            raise ConnectionError("the mail server refused")
        return real(**kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "send_notification", down_for_maya)
        with pytest.raises(ConnectionError):
            remind_owners_of_overdue_steps.call()
    assert [m.to for m in mailoutbox] == [["kim@example.org"]]
    day = clock.today - dt.timedelta(days=1)
    assert set(SentNotice.objects.values_list("key", flat=True)) == {
        f"overdue:{kims.pk}:{day.isoformat()}",
        f"overdue-summary:{kim.pk}:{clock.today.isoformat()}",
    }

    assert remind_owners_of_overdue_steps.call() == 1
    assert [m.to for m in mailoutbox] == [["kim@example.org"], ["core@example.org"]]


def test_the_scheduler_runs_the_reminder_every_hour() -> None:
    assert settings.PERIODIC_TASKS["volunteers.overdue_reminders"] == (
        "alongside.volunteers.tasks.remind_owners_of_overdue_steps",
        3600,
    )
