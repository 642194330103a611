"""Invitations: a partner community asks for volunteers, changes or cancels what it asked for;
a field coordinator may do the same on the community's behalf. Shifts follow the invitation.

Rows are locked in the order every field action takes (actions/locks): the invitation's row,
then its shifts' rows in time order, then people's rows, and the audit chain's head last. Every
change to an invitation's shifts, a single date's cancellation included, first locks the
invitation and only then the shifts it touches.

Notices go to everyone on a changed shift (confirmed, offered a place or waiting), to the
team's field coordinators and to the community's partner contacts (never to whoever made the
change): a first name and a link, once, after the change commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.field import recurrence
from alongside.field.actions.locks import lock_coming_shifts, lock_invitation, lock_shift
from alongside.field.actions.signups import offer_free_places
from alongside.field.checkin_plan import replan_checkins, unplan_checkins
from alongside.field.models import (
    HOLDING_PLACE,
    ON_THE_ROSTER,
    ActivityKind,
    ActivityRules,
    CalendarFeed,
    FieldSettings,
    Invitation,
    InvitationStatus,
    InvitedVia,
    Recurrence,
    Shift,
    SignUp,
    SignUpStatus,
)
from alongside.field.rules import default_rules, rules_for
from alongside.lib import audit
from alongside.lib.changes import apply_changes
from alongside.lib.tasks import enqueue_on_commit
from alongside.lib.timezones import field_zone, format_when
from alongside.movement.models import Membership, PartnerCommunity, PartnerContact, Role

# What a partner or coordinator may set on an invitation (the rest is the platform's).
INVITATION_FIELDS = (
    "kind",
    "title",
    "language",
    "recurrence",
    "weekdays",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "volunteers_min",
    "volunteers_max",
    "languages",
    "briefing",
    "place",
    "coordinates",
    "signup_cutoff_hours",
    "checkin_every_hours",
    "invited_via",
    "invited_by",
)
# Dates a change may add to an invitation at once, beyond the shifts it already has.
MAX_NEW = recurrence.MAX_AT_ONCE

RULES_FIELDS = (
    "min_team_size",
    "needs_experienced",
    "needs_language_coverage",
    "required_qualification",
    "checkin_every_hours",
    "signup_cutoff_hours",
)
SETTINGS_FIELDS = ("offer_hours", "checkin_grace_minutes", "escalate_every_minutes")


class InvitationError(ValueError):
    """A change the invitation's state does not allow; `message` is for the person."""

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class TooFewPlaces(InvitationError):
    """Fewer places than the volunteers who already hold one on a coming shift."""


@dataclass(frozen=True)
class ShiftPlan:
    """What an invitation's shifts get from it and from the team's rules."""

    places: int
    min_volunteers: int
    cutoff: dt.timedelta
    checkin_every_hours: int | None

    @classmethod
    def of(cls, invitation: Invitation) -> ShiftPlan:
        return cls(
            places=invitation.volunteers_max,
            min_volunteers=invitation.volunteers_min,
            cutoff=dt.timedelta(hours=invitation.signup_cutoff_hours),
            checkin_every_hours=invitation.checkin_every_hours,
        )

    def shift(self, invitation: Invitation, starts: dt.datetime, ends: dt.datetime) -> Shift:
        return Shift(
            invitation=invitation,
            starts_at=starts,
            ends_at=ends,
            places=self.places,
            min_volunteers=self.min_volunteers,
            cutoff_at=starts - self.cutoff,
            checkin_every_hours=self.checkin_every_hours,
        )


# --- creating --------------------------------------------------------------------------------


def create_invitation(
    *,
    actor: Any,
    community: PartnerCommunity,
    values: Mapping[str, Any],
    invited_via: str = InvitedVia.PLATFORM,
    invited_by: str = "",
    request: HttpRequest | None = None,
) -> Invitation:
    """A new invitation of `community` and its first shifts (up to the horizon).

    Entered by a partner of the community (`invited_via` platform), or by a field coordinator on
    the community's behalf (how it invited, and who). The sign-up cut-off and the check-in
    interval default to the team's rules for the kind when `values` leaves them out."""
    kind = values["kind"]
    rules = rules_for(community.group, kind)
    invitation = Invitation(community=community, created_by=actor)
    for name in INVITATION_FIELDS:
        if name in values:
            setattr(invitation, name, values[name])
    if "signup_cutoff_hours" not in values or values["signup_cutoff_hours"] is None:
        invitation.signup_cutoff_hours = rules.signup_cutoff_hours
    if "checkin_every_hours" not in values:
        invitation.checkin_every_hours = rules.checkin_every_hours
    invitation.invited_via = invited_via
    invitation.invited_by = invited_by if invited_via != InvitedVia.PLATFORM else ""
    invitation.weekdays = _weekdays(invitation)
    if invitation.recurrence == Recurrence.ONCE:
        invitation.ends_on = None
    with transaction.atomic():
        invitation.save()
        made = _lay_out(invitation, now=timezone.now())
        audit.record(
            actor=actor,
            action="create",
            target=invitation,
            request=request,
            detail={"via": invited_via, "shifts": made},
        )
    _notify_coordinators(invitation, actor=actor, change="new")
    return invitation


def extend_shifts(*, invitation: Invitation, now: dt.datetime | None = None) -> int:
    """Lay out the invitation's shifts up to the horizon from `now`; the dates laid out already
    (kept or cancelled) are left alone, so running it twice adds nothing. Returns how many
    shifts were added."""
    with transaction.atomic():
        locked = lock_invitation(invitation.pk)
        if locked.status != InvitationStatus.ACTIVE:
            return 0
        return _lay_out(locked, now=now or timezone.now())


def _lay_out(invitation: Invitation, *, now: dt.datetime) -> int:
    schedule = recurrence.Schedule.of(invitation)
    taken = {
        recurrence.local_date(start)
        for start in invitation.shifts.filter(
            starts_at__gte=now - dt.timedelta(days=1)
        ).values_list("starts_at", flat=True)
    }
    plan = ShiftPlan.of(invitation)
    new = [
        plan.shift(invitation, starts, ends)
        for starts, ends in recurrence.expand(schedule, now=now, skip=taken)
    ]
    # A second worker laying out the same dates meets the (invitation, starts_at) constraint.
    created = Shift.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)


# --- changing --------------------------------------------------------------------------------


def update_invitation(
    *,
    invitation: Invitation,
    values: Mapping[str, Any],
    actor: Any,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change what the invitation asks for. Shifts to come (not yet started) follow the new
    times, places and plan; dates no longer in the schedule are cancelled; dates new to it are
    laid out. Lowering the places below the volunteers who already hold one on a coming shift
    is refused (`TooFewPlaces`); raising them offers the new places to the waiting list.
    Returns the names of the fields changed."""
    now = timezone.now()
    raised: list[Shift] = []
    moved: list[Shift] = []
    told: set[int] = set()
    with transaction.atomic():
        locked = lock_invitation(invitation.pk)
        if locked.status != InvitationStatus.ACTIVE:
            raise InvitationError(_("This invitation is cancelled; it cannot be changed."))
        changed = apply_changes(locked, values, INVITATION_FIELDS)
        locked.weekdays = _weekdays(locked)
        if locked.recurrence == Recurrence.ONCE:
            locked.ends_on = None
        if not changed:
            return []
        locked.updated_at = now
        locked.save()
        plan = ShiftPlan.of(locked)
        coming = lock_coming_shifts(locked, now)
        _refuse_too_few_places(coming, plan.places)
        wanted = {
            recurrence.local_date(starts): (starts, ends)
            for starts, ends in recurrence.expand(
                recurrence.Schedule.of(locked), now=now, limit=len(coming) + MAX_NEW
            )
        }
        cancelled = 0
        for shift in coming:
            day = recurrence.local_date(shift.starts_at)
            if day not in wanted:
                told.update(_cancel_locked_shift(shift, actor=actor, request=request, now=now))
                cancelled += 1
                continue
            told.update(_roster_ids(shift))
            places_before = shift.places
            if _follow_plan(shift, plan, *wanted[day], now=now):
                replan_checkins(shift)
                moved.append(shift)
            if shift.places > places_before:
                raised.append(shift)
        added = _lay_out(locked, now=now)
        audit.record(
            actor=actor,
            action="update",
            target=locked,
            request=request,
            detail={
                "fields": sorted(changed),
                "moved": len(moved),
                "cancelled": cancelled,
                "added": added,
            },
        )
        if raised:
            for shift in raised:
                offer_free_places(shift=shift, actor=actor, request=request)
        _notify(locked, told, actor=actor, change="changed")
    invitation.refresh_from_db()
    return changed


def _refuse_too_few_places(shifts: list[Shift], places: int) -> None:
    holding = dict(
        SignUp.objects.filter(shift__in=shifts, status__in=HOLDING_PLACE)
        .values("shift")
        .annotate(count=Count("pk"))
        .values_list("shift", "count")
    )
    for shift in shifts:
        count = holding.get(shift.pk, 0)
        if count > places:
            raise TooFewPlaces(
                ngettext(
                    "%(count)d volunteer already holds a place on %(date)s; "
                    "ask for at least that many.",
                    "%(count)d volunteers already hold a place on %(date)s; "
                    "ask for at least that many.",
                    count,
                )
                % {"count": count, "date": format_when(shift.starts_at, field_zone())},
                field="volunteers_max",
            )


def _follow_plan(
    shift: Shift, plan: ShiftPlan, starts: dt.datetime, ends: dt.datetime, *, now: dt.datetime
) -> bool:
    """Give a coming shift the invitation's new times and numbers; True when its times or
    check-in plan changed (its check-ins must be laid out again)."""
    new = plan.shift(shift.invitation, starts, ends)
    before = (shift.starts_at, shift.ends_at, shift.checkin_every_hours)
    names = ("starts_at", "ends_at", "places", "min_volunteers", "cutoff_at", "checkin_every_hours")
    if all(getattr(shift, name) == getattr(new, name) for name in names):
        return False
    for name in names:
        setattr(shift, name, getattr(new, name))
    shift.changed_at = now
    shift.save(update_fields=[*names, "changed_at"])
    return before != (shift.starts_at, shift.ends_at, shift.checkin_every_hours)


def cancel_invitation(
    *, invitation: Invitation, actor: Any, request: HttpRequest | None = None
) -> int:
    """Cancel the invitation and all its shifts to come. Returns how many shifts were cancelled;
    cancelling twice changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        locked = lock_invitation(invitation.pk)
        if locked.status == InvitationStatus.CANCELLED:
            return 0
        locked.status = InvitationStatus.CANCELLED
        locked.cancelled_at = locked.updated_at = now
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        coming = lock_coming_shifts(locked, now)
        told: set[int] = set()
        for shift in coming:
            told.update(_cancel_locked_shift(shift, actor=actor, request=request, now=now))
        audit.record(
            actor=actor,
            action="cancel",
            target=locked,
            request=request,
            detail={"shifts": len(coming)},
        )
        _notify(locked, told, actor=actor, change="cancelled")
    invitation.refresh_from_db()
    return len(coming)


def cancel_shift(*, shift: Shift, actor: Any, request: HttpRequest | None = None) -> bool:
    """Cancel one date of an invitation: its sign-ups end and their check-ins are taken away.
    Returns False when it was cancelled already or has started."""
    now = timezone.now()
    with transaction.atomic():
        # The invitation first, then the shift: the order every other change takes.
        invitation = lock_invitation(shift.invitation_id)
        locked = lock_shift(shift.pk, invitation=invitation)
        if locked.is_cancelled:
            return False
        if locked.starts_at <= now:
            raise InvitationError(_("This date has already begun; it cannot be cancelled here."))
        told = _cancel_locked_shift(locked, actor=actor, request=request, now=now)
        _notify(invitation, told, actor=actor, change="cancelled")
    shift.refresh_from_db()
    return True


def _cancel_locked_shift(
    shift: Shift, *, actor: Any, request: HttpRequest | None, now: dt.datetime
) -> list[int]:
    """Cancel a shift the caller has locked; returns who was on its roster."""
    shift.is_cancelled = True
    shift.cancelled_at = shift.changed_at = now
    shift.save(update_fields=["is_cancelled", "cancelled_at", "changed_at"])
    ended = list(shift.signups.filter(status__in=ON_THE_ROSTER).select_related("shift"))
    for signup in ended:
        unplan_checkins(signup)
    SignUp.objects.filter(pk__in=[s.pk for s in ended]).update(
        status=SignUpStatus.CANCELLED, cancelled_at=now, offer_expires_at=None
    )
    audit.record(
        actor=actor,
        action="cancel",
        target=shift,
        request=request,
        detail={"signups": len(ended)},
    )
    return [signup.user_id for signup in ended]


def _roster_ids(shift: Shift) -> list[int]:
    return list(shift.signups.filter(status__in=ON_THE_ROSTER).values_list("user_id", flat=True))


def _weekdays(invitation: Invitation) -> list[int]:
    if invitation.recurrence != Recurrence.WEEKLY:
        return []
    return sorted({int(day) for day in invitation.weekdays or ()})


# --- notices ---------------------------------------------------------------------------------


def _notify(invitation: Invitation, people: Iterable[int], *, actor: Any, change: str) -> None:
    """Tell `people` (those on the changed shifts' rosters), the team's field coordinators and
    the community's partner contacts, once the change commits; never the person who made the
    change."""
    from alongside.field.tasks.invitations import notify_invitation_change

    told = {*people, *_coordinator_ids(invitation), *_partner_ids(invitation)}
    told.discard(_pk(actor))
    if told:
        stamp = timezone.now().isoformat()
        enqueue_on_commit(notify_invitation_change, invitation.pk, sorted(told), change, stamp)


def _notify_coordinators(invitation: Invitation, *, actor: Any, change: str) -> None:
    from alongside.field.tasks.invitations import notify_invitation_change

    people = set(_coordinator_ids(invitation))
    people.discard(_pk(actor))
    if people:
        stamp = invitation.created_at.isoformat()
        enqueue_on_commit(notify_invitation_change, invitation.pk, sorted(people), change, stamp)


def _pk(actor: Any) -> int:
    return int(getattr(actor, "pk", None) or 0)


def _coordinator_ids(invitation: Invitation) -> list[int]:
    return list(
        Membership.objects.filter(
            group_id=invitation.community.group_id, role=Role.CORE
        ).values_list("user_id", flat=True)
    )


def _partner_ids(invitation: Invitation) -> list[int]:
    return list(
        PartnerContact.objects.filter(community_id=invitation.community_id).values_list(
            "user_id", flat=True
        )
    )


# --- team rules ------------------------------------------------------------------------------


@transaction.atomic
def save_team_rules(
    *,
    team: Any,
    rules: Mapping[str, Mapping[str, Any]],
    settings_values: Mapping[str, Any],
    actor: Any,
    request: HttpRequest | None = None,
) -> list[str]:
    """Set the team's rules for each kind in `rules` and its timings. A kind whose values equal
    the defaults and has no row keeps having none. Returns the kinds (and "settings") changed."""
    changed_parts: list[str] = []
    for kind, values in rules.items():
        if kind not in ActivityKind.values:
            raise ValueError(f"unknown kind {kind!r}")
        saved = ActivityRules.objects.select_for_update().filter(team=team, kind=kind).first()
        current = saved or default_rules(team, kind)
        changed = apply_changes(current, values, RULES_FIELDS)
        if not changed:
            continue
        current.save()
        audit.record(
            actor=actor,
            action="update" if saved else "create",
            target=current,
            request=request,
            detail={"kind": kind, "fields": changed},
        )
        changed_parts.append(kind)
    timings = FieldSettings.objects.select_for_update().filter(team=team).first()
    current_settings = timings or FieldSettings(team=team)
    changed = apply_changes(current_settings, settings_values, SETTINGS_FIELDS)
    if changed:
        current_settings.save()
        audit.record(
            actor=actor,
            action="update" if timings else "create",
            target=current_settings,
            request=request,
            detail={"fields": changed},
        )
        changed_parts.append("settings")
    return changed_parts


# --- calendar feeds --------------------------------------------------------------------------


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(
    *,
    user: Any,
    community: PartnerCommunity | None = None,
    request: HttpRequest | None = None,
) -> CalendarFeed:
    """The person's live feed (of their shifts, or of `community`'s invitations), made now when
    there is none. Making one twice returns the same address."""
    with transaction.atomic():
        live = CalendarFeed.objects.select_for_update().filter(
            user=user, community=community, revoked_at__isnull=True
        )
        existing = live.first()
        if existing is not None:
            return existing
        token = secrets.token_urlsafe(32)
        feed = CalendarFeed.objects.create(
            user=user, community=community, token=token, token_hash=hash_feed_token(token)
        )
        audit.record(
            actor=user,
            action="create",
            target=feed,
            request=request,
            detail={"of": "community" if community else "shifts"},
        )
    return feed


def revoke_feed(
    *,
    user: Any,
    community: PartnerCommunity | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """End the person's live feed address for good. False when there was none."""
    with transaction.atomic():
        feed = (
            CalendarFeed.objects.select_for_update()
            .filter(user=user, community=community, revoked_at__isnull=True)
            .first()
        )
        if feed is None:
            return False
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(actor=user, action="revoke", target=feed, request=request)
    return True
