"""Background work of the safety check-ins: raise missed check-ins, move unacknowledged
escalations up a level, and tell each level's people once.

`escalate_checkins` runs every minute (settings.PERIODIC_TASKS). Run twice, or in two workers at
once, it ends in the same state and sends nothing twice: see `alongside.field.actions.checkins`."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from alongside.accounts.models import User
from alongside.field.models import (
    CheckIn,
    CheckInKind,
    Escalation,
    EscalationLevel,
    FieldSettings,
    InvitationStatus,
    SignUpStatus,
)
from alongside.lib.email import absolute_url, send_notification
from alongside.lib.notices import send_once

_DEFAULTS = FieldSettings()
logger = logging.getLogger(__name__)


def _timings() -> dict[int, FieldSettings]:
    """Every field team's saved timings, by team id (one query); teams without a row use the
    model's defaults, as `alongside.field.rules.settings_for` does."""
    return {row.team_id: row for row in FieldSettings.objects.all()}


@task()
def escalate_checkins() -> int:
    """Raise what was missed, move what waits up, send what is unsent. Returns how many
    escalations were raised or moved up."""
    from alongside.field.actions.checkins import MISSED_LOOKBACK, raise_level, raise_missed

    now = timezone.now()
    timings = _timings()
    shortest_grace = min(
        [row.checkin_grace_minutes for row in timings.values()] + [_DEFAULTS.checkin_grace_minutes]
    )
    changed = 0
    missed = (
        CheckIn.objects.filter(
            answered_at__isnull=True,
            escalation__isnull=True,
            due_at__lt=now - dt.timedelta(minutes=shortest_grace),
            due_at__gte=now - MISSED_LOOKBACK,
            signup__status=SignUpStatus.CONFIRMED,
            signup__shift__is_cancelled=False,
            signup__shift__invitation__status=InvitationStatus.ACTIVE,
        )
        .exclude(kind=CheckInKind.EXTRA)
        .select_related("signup__shift__invitation__community")
        .order_by("due_at", "pk")
    )
    for checkin in missed:
        team_id = checkin.signup.shift.invitation.community.group_id
        grace = timings.get(team_id, _DEFAULTS).checkin_grace_minutes
        if raise_missed(checkin=checkin, grace=dt.timedelta(minutes=grace)) is not None:
            changed += 1

    waiting = (
        Escalation.objects.open()
        .filter(level__lt=EscalationLevel.SUPPORT_GROUP)
        .select_related("checkin__signup__shift__invitation__community")
        .order_by("level_changed_at", "pk")
    )
    for escalation in waiting:
        team_id = escalation.checkin.signup.shift.invitation.community.group_id
        every = timings.get(team_id, _DEFAULTS).escalate_every_minutes
        if raise_level(escalation=escalation, every=dt.timedelta(minutes=every)):
            changed += 1

    # A notice whose email failed (or whose enqueue was lost) is sent on a later run. One that
    # fails does not keep the others from being told: each is tried, then the run fails.
    failure: Exception | None = None
    failed = 0
    for escalation_id in Escalation.objects.open().values_list("pk", flat=True):
        try:
            notify_escalation.call(escalation_id)
        except Exception as error:
            failed += 1
            failure = failure or error
    if failure is not None:
        logger.warning("Escalation notices failed for %d escalations; retried next run", failed)
        raise failure
    return changed


@task()
def notify_escalation(escalation_id: int) -> int:
    """Tell the people of every level the escalation has reached, once each per level: their
    first name and a link to the escalation's page. Never the volunteer's name, the place, the
    community or the time: the email passes through servers and inboxes nobody here controls."""
    from alongside.field.actions.checkins import recipients

    escalation = (
        Escalation.objects.select_related("checkin__signup__shift__invitation__community")
        .filter(pk=escalation_id, acknowledged_at__isnull=True)
        .first()
    )
    if escalation is None:
        return 0  # acknowledged since: nobody needs telling any more
    # A call for help goes to the team and the coordinators at once; a missed check-in starts
    # with the team. Either way every level up to the current one is told.
    levels = range(EscalationLevel.TEAM, escalation.level + 1)
    sent = 0
    failure: Exception | None = None
    for level in levels:
        for person in recipients(escalation, level):
            key = f"escalation:{escalation.pk}:{level}:{person.pk}"
            try:
                sent += send_once(key, partial(_send, escalation, person, level))
            except Exception as error:
                failure = failure or error
    if failure is not None:
        raise failure
    return sent


def _send(escalation: Escalation, person: User, level: int) -> int:
    """One email to one person. Which level told them is not said either: the link's page
    shows it to whoever may read it."""
    language = person.language or "en"
    with translation.override(language):
        path = reverse("safety:escalation", kwargs={"escalation_id": escalation.pk})
    return send_notification(
        to=[person.email],
        template="field/email/escalation",
        context={"first_name": person.first_name, "link": absolute_url(path)},
        language=language,
    )
