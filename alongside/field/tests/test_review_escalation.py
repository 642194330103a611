"""Escalations reach someone at once: a volunteer alone on a shift has no team to tell, so the
coordinators hear of a missed check-in straight away; and one notice that fails to send does
not keep the task from telling the people of the other open escalations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from alongside.field.models import CheckInKind, Escalation, EscalationLevel, EscalationReason
from alongside.field.tasks import checkins as checkin_tasks
from alongside.field.tasks.checkins import escalate_checkins
from alongside.field.tests.factories_safety import confirm, moved_clock, shift_now, volunteer
from alongside.lib.models import AuditEntry
from conftest import World


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    def go() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return int(escalate_checkins.call())

    return go


def test_a_lone_volunteer_s_missed_check_in_goes_straight_to_the_coordinators(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    confirm(shift, volunteer("Vera Alone", group=world.norcal))
    clock.advance(minutes=31)

    assert run() == 1
    escalation = Escalation.objects.get()
    assert escalation.reason == EscalationReason.MISSED
    assert escalation.level == EscalationLevel.COORDINATORS
    # Told now, not half an hour later.
    assert world.coordinator.email in [message.to[0] for message in mail.outbox]
    entry = AuditEntry.objects.get(action="escalate", target_id=str(escalation.pk))
    assert entry.detail["level"] == EscalationLevel.COORDINATORS
    assert entry.detail["no_team"] is True

    # The next level still comes after the team's interval, from now.
    clock.advance(minutes=29)
    run()
    escalation.refresh_from_db()
    assert escalation.level == EscalationLevel.COORDINATORS


def test_with_a_team_on_the_shift_a_missed_check_in_starts_with_the_team(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=0)
    confirm(shift, volunteer("Vera Field", group=world.norcal))
    omar = volunteer("Omar Teammate", group=world.norcal)
    confirm(shift, omar).checkins.update(answer="ok", answered_at=clock.now)
    clock.advance(minutes=31)
    assert run() == 1
    escalation = Escalation.objects.get()
    assert escalation.level == EscalationLevel.TEAM
    entry = AuditEntry.objects.get(action="escalate", target_id=str(escalation.pk))
    assert "no_team" not in entry.detail
    assert [message.to[0] for message in mail.outbox] == [omar.email]


def _open_escalation(world: World, name: str, teammate: str, *, minutes_ago: int) -> Any:
    """An escalation at the team's level whose notice has not gone out yet; its only recipient
    is `teammate`."""
    shift = shift_now(world.bilin, started_minutes_ago=5)
    signup = confirm(shift, volunteer(name, group=world.norcal))
    mate = volunteer(teammate, group=world.norcal)
    confirm(shift, mate)
    checkin = signup.checkins.get(kind=CheckInKind.ARRIVAL)
    raised = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Escalation.objects.create(
        checkin=checkin,
        reason=EscalationReason.MISSED,
        level=EscalationLevel.TEAM,
        raised_at=raised,
        level_changed_at=raised,
    )
    return mate


def test_one_failing_notice_does_not_stop_the_others_and_the_run_fails(
    world: World, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    # The newest escalation comes first in the task's loop: make that one fail.
    told = _open_escalation(world, "Vera Field", "Tala Told", minutes_ago=2)
    failing = _open_escalation(world, "Wafa Field", "Fay Failing", minutes_ago=1)
    real = checkin_tasks.send_notification

    def send(*, to: list[str], **kwargs: Any) -> int:
        if to == [failing.email]:
            raise OSError("mail server down")
        return int(real(to=to, **kwargs))

    monkeypatch.setattr(checkin_tasks, "send_notification", send)
    with pytest.raises(OSError):
        run()
    assert [message.to[0] for message in mail.outbox] == [told.email]

    # The failed one is sent on the next run, the other not again.
    monkeypatch.setattr(checkin_tasks, "send_notification", real)
    run()
    assert [message.to[0] for message in mail.outbox] == [told.email, failing.email]
