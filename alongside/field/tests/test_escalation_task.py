"""A missed check-in escalates by background task: the team, then the field coordinators, then
the core of the volunteer's support group, until someone acknowledges it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from alongside.field.actions.checkins import acknowledge_escalation, raise_level
from alongside.field.models import (
    CheckInKind,
    Escalation,
    EscalationLevel,
    EscalationReason,
    FieldSettings,
    SignUpStatus,
)
from alongside.field.tasks.checkins import escalate_checkins
from alongside.field.tests.factories_safety import confirm, moved_clock, shift_now, volunteer
from alongside.lib.models import AuditEntry
from conftest import World, sign_in


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    """Run the task as the worker would, its notices sent when it commits."""

    def go() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return int(escalate_checkins.call())

    return go


def _only_arrival_missed(signup: Any, now: Any) -> None:
    """Her later check-ins answered: only the arrival's escalation is followed."""
    signup.checkins.exclude(kind=CheckInKind.ARRIVAL).update(answer="ok", answered_at=now)


def _recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def test_a_missed_check_in_escalates_after_the_grace_period_not_before(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    vera = volunteer("Vera Field", group=world.norcal)
    omar = volunteer("Omar Teammate", group=world.norcal)
    signup = confirm(shift, vera)
    confirm(shift, omar).checkins.update(answer="ok", answered_at=clock.now)

    clock.advance(minutes=29)
    assert run() == 0
    assert not Escalation.objects.exists()

    clock.advance(minutes=2)
    assert run() == 1
    escalation = Escalation.objects.get()
    assert escalation.checkin.signup == signup
    assert escalation.checkin.kind == CheckInKind.ARRIVAL
    assert escalation.reason == EscalationReason.MISSED
    assert escalation.level == EscalationLevel.TEAM
    # The team is told: Omar, not Vera herself, not yet the coordinators.
    assert _recipients() == [omar.email]
    body = mail.outbox[0].body
    assert "Hello Omar," in body and f"/en/field/safety/escalations/{escalation.pk}/" in body
    assert "Vera" not in body and "Bil" not in body
    assert AuditEntry.objects.filter(action="escalate", target_id=str(escalation.pk)).exists()


def test_the_team_may_give_itself_a_shorter_grace_period(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    FieldSettings.objects.create(team=world.field_team, checkin_grace_minutes=5)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    confirm(shift, volunteer("Vera Field", group=world.norcal))
    clock.advance(minutes=6)
    assert run() == 1


def test_it_moves_up_a_level_each_interval_until_the_support_group(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    vera = volunteer("Vera Field", group=world.norcal)
    _only_arrival_missed(confirm(shift, vera), clock.now)
    omar = volunteer("Omar Teammate", group=world.norcal)
    confirm(shift, omar).checkins.update(answer="ok", answered_at=clock.now)

    clock.advance(minutes=31)
    run()
    escalation = Escalation.objects.get()
    assert _recipients() == [omar.email]

    clock.advance(minutes=29)
    run()
    escalation.refresh_from_db()
    assert escalation.level == EscalationLevel.TEAM

    clock.advance(minutes=2)
    run()
    escalation.refresh_from_db()
    assert escalation.level == EscalationLevel.COORDINATORS
    assert _recipients() == sorted([omar.email, world.coordinator.email])

    clock.advance(minutes=31)
    run()
    escalation.refresh_from_db()
    assert escalation.level == EscalationLevel.SUPPORT_GROUP
    # Maya is a core member of Northern California, which sent Vera.
    assert _recipients() == sorted([omar.email, world.coordinator.email, world.core.email])

    clock.advance(hours=5)
    run()
    escalation.refresh_from_db()
    assert escalation.level == EscalationLevel.SUPPORT_GROUP
    assert len(mail.outbox) == 3
    assert AuditEntry.objects.filter(action="escalate_level").count() == 2


def test_running_twice_ends_the_same_and_sends_each_level_once(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    confirm(shift, volunteer("Vera Field", group=world.norcal))
    omar = volunteer("Omar Teammate", group=world.norcal)
    confirm(shift, omar).checkins.update(answer="ok", answered_at=clock.now)

    for minutes in (31, 31, 31):
        clock.advance(minutes=minutes)
        run()
        first = list(Escalation.objects.values_list("pk", "level", "level_changed_at"))
        run()
        assert list(Escalation.objects.values_list("pk", "level", "level_changed_at")) == first

    assert Escalation.objects.count() == 1
    assert _recipients() == sorted([omar.email, world.coordinator.email, world.core.email])


def test_a_stale_worker_cannot_raise_a_level_again(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    confirm(shift, volunteer("Vera Field", group=world.norcal))
    omar = volunteer("Omar Teammate", group=world.norcal)
    confirm(shift, omar).checkins.update(answer="ok", answered_at=clock.now)
    clock.advance(minutes=31)
    run()
    clock.advance(minutes=31)
    seen_by_one = Escalation.objects.get()
    seen_by_other = Escalation.objects.get()
    every = dt.timedelta(minutes=30)
    assert raise_level(escalation=seen_by_one, every=every)
    # The other worker read the row before the first one raised it, and the interval is gone.
    assert not raise_level(escalation=seen_by_other, every=dt.timedelta(0))
    assert Escalation.objects.get().level == EscalationLevel.COORDINATORS


def test_an_acknowledged_escalation_goes_no_further(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    _only_arrival_missed(confirm(shift, volunteer("Vera Field", group=world.norcal)), clock.now)
    clock.advance(minutes=31)
    run()
    escalation = Escalation.objects.get()
    assert acknowledge_escalation(escalation=escalation, actor=world.coordinator, note="Called.")
    assert not acknowledge_escalation(escalation=escalation, actor=world.core, note="Me too.")

    clock.advance(hours=3)
    run()
    escalation.refresh_from_db()
    # Alone on the shift, Vera's missed check-in went straight to the coordinators, and no
    # further once acknowledged: the coordinator was told once, when it was raised.
    assert escalation.level == EscalationLevel.COORDINATORS
    assert escalation.acknowledged_by == world.coordinator
    assert escalation.acknowledgement == "Called."
    assert _recipients() == [world.coordinator.email]
    assert AuditEntry.objects.filter(action="acknowledge").count() == 1


def test_a_later_check_in_does_not_close_the_escalation(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    vera = volunteer("Vera Field", group=world.norcal)
    confirm(shift, vera)
    clock.advance(minutes=31)
    run()
    clock.advance(minutes=2)
    sign_in(Client(), vera, second_factor=False).post(
        f"/en/field/safety/shifts/{shift.pk}/checkin/", {"answer": "ok"}
    )
    escalation = Escalation.objects.get()
    assert escalation.acknowledged_at is None
    # The tap was an unplanned check-in: the missed one keeps its escalation.
    assert escalation.checkin.answered_at is None
    page = sign_in(Client(), world.coordinator).get(
        f"/en/field/safety/escalations/{escalation.pk}/"
    )
    assert "Checked in since" in page.content.decode()


def test_nothing_escalates_for_a_cancelled_place_or_shift(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    left = shift_now(world.bilin, started_minutes_ago=0)
    gone = confirm(left, volunteer("Vera Field", group=world.norcal))
    gone.status = SignUpStatus.CANCELLED
    gone.save()
    cancelled = shift_now(world.bilin, started_minutes_ago=1)
    confirm(cancelled, volunteer("Omar Field", group=world.norcal))
    cancelled.is_cancelled = True
    cancelled.save()
    clock.advance(hours=1)
    assert run() == 0
    assert not Escalation.objects.exists()
