"""Quick incident notes from the field: what happened (detention, injury, a deportation order,
confiscation, a settler or army attack), when, on which shift, and a short encrypted note, for
the documentation work that comes later.

Written by a volunteer confirmed on the shift or a field coordinator of its team; read, for now,
by the field coordinators only (the documenters get them with the documentation work). Every
write and every reading of a note is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.field.access.safety import is_core_of, is_on_shift
from alongside.field.models import IncidentKind, IncidentNote, Shift
from alongside.lib import audit

NOTE_MAX = 2000
# Phones' clocks drift; a time a few minutes ahead is "now", not the future.
CLOCK_SKEW = dt.timedelta(minutes=10)
# An incident is noted during the shift or soon after, not weeks later from this form.
EARLIEST_BEFORE_START = dt.timedelta(days=1)


class IncidentError(ValueError):
    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def may_record_incident(user: Any, shift: Shift) -> bool:
    return is_on_shift(user, shift.pk) or is_core_of(user, shift.invitation.community.group_id)


def record_incident(
    *,
    shift: Shift,
    kind: str,
    occurred_at: dt.datetime,
    note: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> IncidentNote:
    if not may_record_incident(actor, shift):
        raise IncidentError(_("Only the team on this shift and its coordinators can note this."))
    if kind not in IncidentKind.values:
        raise IncidentError(_("Choose what happened."), field="kind")
    if timezone.is_naive(occurred_at):
        raise IncidentError(_("Give the time with its zone."), field="occurred_at")
    now = timezone.now()
    if occurred_at > now + CLOCK_SKEW:
        raise IncidentError(_("The time is in the future."), field="occurred_at")
    if occurred_at < shift.starts_at - EARLIEST_BEFORE_START:
        raise IncidentError(_("The time is long before this shift started."), field="occurred_at")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise IncidentError(_("The note is too long: at most 2000 characters."), field="note")
    with transaction.atomic():
        incident = IncidentNote.objects.create(
            shift=shift, reported_by=actor, kind=kind, occurred_at=occurred_at, note=note
        )
        audit.record(
            actor=actor,
            action="create",
            target=incident,
            request=request,
            detail={"kind": kind, "note": bool(note)},
        )
    return incident


def read_incident_notes(
    *, actor: User, incidents: list[IncidentNote], request: HttpRequest | None = None
) -> None:
    """Record that `actor` was shown the notes of `incidents` (those that have one)."""
    with transaction.atomic():
        for incident in incidents:
            if incident.note:
                audit.record(actor=actor, action="read", target=incident, request=request)
