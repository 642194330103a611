"""Forgetting volunteers once the group no longer needs to know them.

Personal data of returned, withdrawn or declined volunteers is kept for the group's retention
period (default 12 months after return or closing) unless the volunteer chose to stay in touch.
Then the application and everything hanging from it (references, notes, stage history,
registrations, report-backs) is deleted; only anonymous counts remain, so the group can still
say how many volunteers it sent and how many people their talks reached.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from django.db import transaction
from django.db.models import Count, F, Sum
from django.http import HttpRequest
from django.utils import timezone

from alongside.accounts.models import User
from alongside.lib import audit
from alongside.lib.changes import save_changes
from alongside.movement.models import Group
from alongside.volunteers.models import (
    CLOSED_STAGES,
    Application,
    OutcomeCount,
    OutreachCount,
    PipelineSettings,
)

log = logging.getLogger(__name__)
DEFAULT_RETENTION_MONTHS = 12


def add_months(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def closed_on(application: Application) -> dt.date | None:
    """When the group stopped needing the person: their return, else the closing."""
    if application.returned_on:
        return application.returned_on
    if application.closed_at:
        return timezone.localdate(application.closed_at)
    return None


def purge_expired_applications(*, today: dt.date | None = None) -> int:
    """Delete every closed application whose retention period has ended; returns how many.
    Safe to run twice or in two workers at once: each purge re-checks its row under a lock."""
    today = today or timezone.localdate()
    months = dict(PipelineSettings.objects.values_list("group_id", "retention_months"))
    candidates = Application.objects.filter(stage__in=CLOSED_STAGES, stay_in_touch=False).only(
        "pk", "group_id", "returned_on", "closed_at"
    )
    purged = 0
    for application in candidates.iterator(chunk_size=500):
        ended = closed_on(application)
        keep = months.get(application.group_id, DEFAULT_RETENTION_MONTHS)
        if ended is not None and add_months(ended, keep) <= today and _purge(application.pk):
            purged += 1
    if purged:
        log.info("purged %d applications past their retention period", purged)
    return purged


@transaction.atomic
def _purge(pk: int) -> bool:
    application = (
        Application.objects.select_for_update()
        .filter(pk=pk, stage__in=CLOSED_STAGES, stay_in_touch=False)
        .only("pk", "group_id", "stage", "returned_on", "closed_at")
        .first()
    )
    if application is None:
        return False  # purged by another run, or the person chose to stay in touch meanwhile
    _forget(application, actor=None, action="purge")
    return True


@transaction.atomic
def erase_application(
    *, actor: User, application: Application, request: HttpRequest | None = None
) -> None:
    """Forget an application now, whatever its stage, because the person asked for it (their
    right, before the retention period ends). Only anonymous counts remain."""
    locked = Application.objects.select_for_update().filter(pk=application.pk).first()
    if locked is not None:
        _forget(locked, actor=actor, action="erase", request=request)


def _forget(
    application: Application,
    *,
    actor: User | None,
    action: str,
    request: HttpRequest | None = None,
) -> None:
    ended = closed_on(application)
    year = (ended or timezone.localdate()).year
    _count_outcome(group_id=application.group_id, year=year, stage=application.stage)
    talks = application.report_backs.values("held_on__year").annotate(
        n=Count("pk"), people=Sum("size")
    )
    for row in talks:
        _count_outreach(
            group_id=application.group_id,
            year=row["held_on__year"],
            talks=row["n"],
            people=row["people"] or 0,
        )
    # Imported here: training imports the tasks module, which imports this one for the purge
    # task, so importing training at the top would be a cycle whichever loads first.
    from alongside.volunteers.actions.training import release_training_places

    release_training_places(application=application, actor=actor, request=request)
    audit.record(
        actor=actor,
        action=action,
        target=application,
        request=request,
        detail={"stage": application.stage},
    )
    application.delete()


def _count_outcome(*, group_id: int, year: int, stage: str) -> None:
    row, _ = OutcomeCount.objects.get_or_create(group_id=group_id, year=year, stage=stage)
    OutcomeCount.objects.filter(pk=row.pk).update(count=F("count") + 1)


def _count_outreach(*, group_id: int, year: int, talks: int, people: int) -> None:
    row, _ = OutreachCount.objects.get_or_create(group_id=group_id, year=year)
    OutreachCount.objects.filter(pk=row.pk).update(
        talks=F("talks") + talks, people=F("people") + people
    )


@transaction.atomic
def update_retention(
    *, actor: User, group: Group, months: int, request: HttpRequest | None = None
) -> PipelineSettings:
    settings, _ = PipelineSettings.objects.select_for_update().get_or_create(group=group)
    save_changes(settings, {"retention_months": months}, actor=actor, request=request)
    return settings
