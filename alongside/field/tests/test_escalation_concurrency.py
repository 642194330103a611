"""Two workers running the escalation task at the same moment raise each missed check-in once,
move each escalation up one level once, and send each notice once (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from alongside.field.models import Escalation, EscalationLevel, EscalationReason
from alongside.field.tasks.checkins import escalate_checkins
from alongside.field.tests.factories_safety import confirm, shift_now, volunteer
from alongside.lib.models import AuditEntry
from conftest import World


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_end_as_one_would(world: World) -> None:
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    # Mira missed her arrival 40 minutes ago; Tariq's alert has waited 31 minutes at the team.
    missed_shift = shift_now(world.bilin, started_minutes_ago=40)
    confirm(missed_shift, volunteer("Mira Missed", group=world.norcal))
    waiting_shift = shift_now(world.bilin, started_minutes_ago=90)
    tariq = confirm(waiting_shift, volunteer("Tariq Waiting", group=world.norcal))
    long_ago = timezone.now() - dt.timedelta(minutes=31)
    waiting = Escalation.objects.create(
        checkin=tariq.checkins.order_by("due_at")[0],
        reason=EscalationReason.MISSED,
        raised_at=long_ago,
        level_changed_at=long_ago,
    )
    mail.outbox = []

    workers = 4
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            barrier.wait()
            escalate_checkins.call()
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert Escalation.objects.count() == 2
    waiting.refresh_from_db()
    assert waiting.level == EscalationLevel.COORDINATORS
    assert AuditEntry.objects.filter(action="escalate").count() == 1
    assert AuditEntry.objects.filter(action="escalate_level").count() == 1
    # Nobody else was on either shift: Mira's alert went straight to the coordinators. The
    # coordinator hears once about each.
    mira = Escalation.objects.exclude(pk=waiting.pk).get()
    assert mira.level == EscalationLevel.COORDINATORS
    assert [message.to[0] for message in mail.outbox] == [world.coordinator.email] * 2
