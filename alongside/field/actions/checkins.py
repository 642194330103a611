"""Safety check-ins and their escalation.

A confirmed volunteer checks in with one tap: "OK", or "need help" with an optional short note.
A tap answers the earliest planned check-in that is due (or due within `EARLY`: arrival may be
given a little early) and not yet escalated; otherwise it is recorded as an unplanned one.

"Need help" raises an escalation at once at the coordinators' level (the team is told too). A
planned check-in left unanswered past its due time and the team's grace period is raised at the
team's level by the background task (`alongside.field.tasks.checkins`), which also moves each
unacknowledged escalation one level up every `escalate_every_minutes`: the team, then the field
coordinators, then the core members of the volunteer's support group. A volunteer alone on
their shift has no team to tell: their missed check-in goes straight to the coordinators, so
that someone hears of it at once rather than a level later. Acknowledging stops it; a later
check-in by the volunteer does not (someone must look and say so), but the escalation's page
shows it first.

Races: a tap and the task may reach the same check-in at once; each locks the check-in's row
before looking at it (a row lock on PostgreSQL; SQLite's IMMEDIATE transactions take turns), and
the one-to-one between a check-in and its escalation makes raising twice impossible. A tap locks
the sign-up's row, then the check-in's: the order of the field's other actions (invitation,
shift, person, then a shift's sign-ups and their check-ins), so that none waits on another. A
level goes up by a conditional UPDATE, so two workers cannot both raise it; each level's notice
is claimed per recipient before it is sent (`claim_notice`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.field.access.safety import support_group_id
from alongside.field.models import (
    CheckIn,
    CheckInAnswer,
    CheckInKind,
    Escalation,
    EscalationLevel,
    EscalationReason,
    Shift,
    SignUp,
    SignUpStatus,
)
from alongside.lib import audit
from alongside.lib.tasks import enqueue_on_commit
from alongside.movement.models import Role

# A planned check-in may be given this long before it is due (arriving a little early).
EARLY = dt.timedelta(minutes=30)
# Checking in opens this long before the shift starts and closes this long after it ends.
OPENS_BEFORE = dt.timedelta(hours=1)
CLOSES_AFTER = dt.timedelta(hours=3)
NOTE_MAX = 500
ACKNOWLEDGEMENT_MAX = 1000
# The task leaves check-ins missed longer ago than this alone: after a long outage of the
# workers, a burst of stale alerts would bury the ones that matter.
MISSED_LOOKBACK = dt.timedelta(hours=24)


class CheckInError(ValueError):
    """A check-in the shift's state does not allow; `message` is for the person."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def checkin_window(shift: Shift) -> tuple[dt.datetime, dt.datetime]:
    return shift.starts_at - OPENS_BEFORE, shift.ends_at + CLOSES_AFTER


def check_in(
    *,
    signup: SignUp,
    answer: str,
    note: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> CheckIn:
    """Record the volunteer's check-in on their shift; "need help" raises an escalation."""
    if answer not in CheckInAnswer.values:
        raise CheckInError(_("Choose OK or Need help."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise CheckInError(_("The note is too long: at most 500 characters."))
    if signup.user_id != actor.pk:
        raise CheckInError(_("Only the volunteer themself can check in."))
    with transaction.atomic():
        # Two taps at once (a double tap, a retry on a bad network) take turns here.
        locked = (
            SignUp.objects.select_for_update(of=("self",))
            .select_related("shift")
            .filter(pk=signup.pk)
            .first()
        )
        if locked is None or locked.status != SignUpStatus.CONFIRMED:
            raise CheckInError(_("You are not on this shift's team any more."))
        shift = locked.shift
        if shift.is_cancelled or not Shift.objects.live().filter(pk=shift.pk).exists():
            raise CheckInError(_("This shift was cancelled."))
        now = timezone.now()
        opens, closes = checkin_window(shift)
        if now < opens:
            raise CheckInError(_("Checking in opens an hour before the shift starts."))
        if now > closes:
            raise CheckInError(_("Checking in closed three hours after the shift ended."))
        checkin = (
            CheckIn.objects.select_for_update(of=("self",))
            .filter(
                signup=locked,
                answered_at__isnull=True,
                escalation__isnull=True,
                due_at__lte=now + EARLY,
            )
            .exclude(kind=CheckInKind.EXTRA)
            .order_by("due_at", "pk")
            .first()
        )
        if checkin is None:
            checkin = CheckIn(signup=locked, kind=CheckInKind.EXTRA, due_at=now)
        checkin.answered_at = now
        checkin.answer = answer
        checkin.note = note
        checkin.save()
        audit.record(
            actor=actor,
            action="checkin",
            target=checkin,
            request=request,
            detail={"kind": checkin.kind, "answer": answer, "note": bool(note)},
        )
        if answer == CheckInAnswer.HELP:
            _raise(checkin, EscalationReason.HELP, EscalationLevel.COORDINATORS, actor, request)
    return checkin


def _raise(
    checkin: CheckIn, reason: str, level: int, actor: User | None, request: HttpRequest | None
) -> Escalation | None:
    """Create the check-in's escalation (None when it has one already) and tell people. A
    team level with nobody on it (the volunteer is alone on the shift) starts at the
    coordinators'."""
    skipped_team = level == EscalationLevel.TEAM and not _team(checkin.signup).exists()
    if skipped_team:
        level = EscalationLevel.COORDINATORS
    try:
        with transaction.atomic():
            now = timezone.now()
            escalation = Escalation.objects.create(
                checkin=checkin, reason=reason, level=level, raised_at=now, level_changed_at=now
            )
    except IntegrityError:
        return None  # raised by someone else at the same moment
    audit.record(
        actor=actor,
        action="escalate",
        target=escalation,
        request=request,
        detail={"reason": reason, "level": level, **({"no_team": True} if skipped_team else {})},
    )
    _notify(escalation)
    return escalation


def _notify(escalation: Escalation) -> None:
    from alongside.field.tasks.checkins import notify_escalation

    enqueue_on_commit(notify_escalation, escalation.pk)


def raise_missed(*, checkin: CheckIn, grace: dt.timedelta) -> Escalation | None:
    """Raise a planned check-in left unanswered past its due time and `grace`, at the team's
    level; None when it was answered, already raised, or is not missed after all."""
    with transaction.atomic():
        locked = (
            CheckIn.objects.select_for_update(of=("self",))
            .filter(
                pk=checkin.pk,
                answered_at__isnull=True,
                due_at__lt=timezone.now() - grace,
                signup__status=SignUpStatus.CONFIRMED,
            )
            .exclude(kind=CheckInKind.EXTRA)
            .first()
        )
        if locked is None or Escalation.objects.filter(checkin=locked).exists():
            return None
        return _raise(locked, EscalationReason.MISSED, EscalationLevel.TEAM, None, None)


def raise_level(*, escalation: Escalation, every: dt.timedelta) -> bool:
    """One level up when the escalation is still open and was last raised `every` ago; False
    when someone acknowledged it, another worker raised it first, or it is at the top."""
    if escalation.level >= EscalationLevel.SUPPORT_GROUP:
        return False
    now = timezone.now()
    with transaction.atomic():
        moved = Escalation.objects.filter(
            pk=escalation.pk,
            level=escalation.level,
            acknowledged_at__isnull=True,
            level_changed_at__lte=now - every,
        ).update(level=escalation.level + 1, level_changed_at=now)
        if not moved:
            return False
        escalation.refresh_from_db()
        audit.record(
            actor=None,
            action="escalate_level",
            target=escalation,
            detail={"level": escalation.level},
        )
        _notify(escalation)
    return True


def acknowledge_escalation(
    *,
    escalation: Escalation,
    actor: User,
    note: str = "",
    request: HttpRequest | None = None,
) -> bool:
    """Someone took it in hand: it stops going further. False when it was acknowledged
    already (two people at once: the first one's note stays)."""
    if escalation.checkin.signup.user_id == actor.pk:
        # Whoever holds the volunteer's phone (a soldier at a checkpoint) must not be able to
        # call off the alert: someone else has to reach them and say so.
        raise CheckInError(_("Someone else must acknowledge an alert about you."))
    note = (note or "").strip()
    if len(note) > ACKNOWLEDGEMENT_MAX:
        raise CheckInError(_("The note is too long: at most 1000 characters."))
    with transaction.atomic():
        locked = (
            Escalation.objects.select_for_update(of=("self",))
            .filter(pk=escalation.pk, acknowledged_at__isnull=True)
            .first()
        )
        if locked is None:
            return False
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor
        locked.acknowledgement = note
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
        audit.record(
            actor=actor,
            action="acknowledge",
            target=locked,
            request=request,
            detail={"level": locked.level, "note": bool(note)},
        )
    escalation.refresh_from_db()
    return True


def open_checkin_note(*, actor: User, checkin: CheckIn, request: HttpRequest | None) -> str:
    """The note of a check-in, its reading recorded."""
    if checkin.note:
        audit.record(actor=actor, action="read", target=checkin, request=request)
    return str(checkin.note)


def open_acknowledgement(
    *, actor: User, escalation: Escalation, request: HttpRequest | None
) -> str:
    if escalation.acknowledgement:
        audit.record(
            actor=actor,
            action="read",
            target=escalation,
            request=request,
            detail={"field": "acknowledgement"},
        )
    return str(escalation.acknowledgement)


# --- who is told ----------------------------------------------------------------------------


def recipients(escalation: Escalation, level: int) -> list[User]:
    """Who a level tells: the other volunteers confirmed on the shift (the team), the core of
    the shift's field team (the coordinators), the core of the volunteer's support group."""
    signup = escalation.checkin.signup
    if level == EscalationLevel.TEAM:
        return list(_team(signup).order_by("pk"))
    if level == EscalationLevel.COORDINATORS:
        group_id: int | None = signup.shift.invitation.community.group_id
    else:
        group_id = support_group_id(signup.user_id)
    if group_id is None:
        return []
    # The volunteer is never told about themself.
    people = (
        User.objects.filter(is_active=True)
        .exclude(pk=signup.user_id)
        .filter(memberships__group_id=group_id, memberships__role=Role.CORE)
    )
    return list(people.distinct().order_by("pk"))


def _team(signup: SignUp) -> Any:
    """The other volunteers confirmed on the signup's shift (never the volunteer themself)."""
    return (
        User.objects.filter(is_active=True)
        .exclude(pk=signup.user_id)
        .filter(
            shift_signups__shift_id=signup.shift_id, shift_signups__status=SignUpStatus.CONFIRMED
        )
        .distinct()
    )
