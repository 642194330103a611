"""Who may take which shift, and if not, why not, in words the volunteer understands.

A volunteer's side of the question is loaded once (`volunteer_for`, a handful of queries
whatever the number of shifts) and then asked about each shift in memory (`why_not`), so that
"Shifts I can take" answers for a page of shifts without a query per shift. Matching asks the
same about everyone ready for the field at once (`eligible_for`), in a number of queries that
does not grow with the number of volunteers.

Presence windows are encrypted dates: they are decrypted here, in Python, never filtered on in
SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.field.models import (
    HOLDING_PLACE,
    ActivityRules,
    InvitationStatus,
    Shift,
    SignUp,
    SignUpStatus,
)
from alongside.lib.i18n import localized
from alongside.lib.timezones import field_zone
from alongside.movement.models import GroupKind, PrinciplesVersion
from alongside.volunteers.models import Application, PrinciplesAgreement, Qualification, Stage

# Applications whose people may take shifts.
FIELD_STAGES = (Stage.READY, Stage.IN_FIELD)


@dataclass(frozen=True)
class Refusal:
    """Why a volunteer cannot take a shift. `code` is for code and tests, `message` for people.

    Codes: cancelled, started, already, not_ready, no_window, outside_window, qualification,
    principles, overlap, closed, full."""

    code: str
    message: str

    @property
    def may_wait(self) -> bool:
        """Full: the volunteer may join the waiting list instead."""
        return self.code == "full"


@dataclass
class Volunteer:
    """What the field needs to know to answer "may this person take that shift?"."""

    user_id: int
    # (arrival, departure) of each application ready for the field; either may be missing.
    windows: list[tuple[dt.date | None, dt.date | None]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    # kind id → (granted on, expires on) of each qualification held.
    qualifications: dict[int, list[tuple[dt.date, dt.date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    must_agree: bool = False
    # Shifts where they hold a place (confirmed, or offered), for overlaps.
    held: list[Shift] = field(default_factory=list)
    # Their own sign-ups that are not cancelled, by shift id (only when loaded for one person).
    signups: dict[int, SignUp] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return bool(self.windows)

    def in_window(self, shift: Shift) -> bool:
        start, end = field_dates(shift)
        return any(
            arrival is not None and departure is not None and arrival <= start and end <= departure
            for arrival, departure in self.windows
        )

    def qualified(self, kind_id: int, day: dt.date) -> bool:
        return any(
            granted <= day and (expires is None or expires >= day)
            for granted, expires in self.qualifications.get(kind_id, ())
        )

    def overlapping(self, shift: Shift) -> Shift | None:
        for other in self.held:
            if (
                other.pk != shift.pk
                and other.starts_at < shift.ends_at
                and other.ends_at > shift.starts_at
            ):
                return other
        return None

    def window_ranges(self) -> list[tuple[dt.datetime, dt.datetime]]:
        """The windows as UTC instants (from the arrival's midnight to the end of the departure
        day, Hebron time), for ordering shifts inside them first in SQL."""
        zone = field_zone()
        ranges = []
        for arrival, departure in self.windows:
            if arrival is None or departure is None:
                continue
            start = dt.datetime.combine(arrival, dt.time(), tzinfo=zone)
            end = dt.datetime.combine(departure + dt.timedelta(days=1), dt.time(), tzinfo=zone)
            ranges.append((start, end))
        return ranges


def field_dates(shift: Shift) -> tuple[dt.date, dt.date]:
    """The first and last day of a shift on the field's calendar (an overnight stay ending at
    midnight or in the early hours still belongs to the day it started)."""
    zone = field_zone()
    start = shift.starts_at.astimezone(zone).date()
    end = (shift.ends_at - dt.timedelta(seconds=1)).astimezone(zone).date()
    return start, max(start, end)


# --- loading -------------------------------------------------------------------------------


def volunteer_for(user: Any, *, now: dt.datetime | None = None) -> Volunteer:
    """Everything about `user` that `why_not` needs, in a constant number of queries."""
    now = now or timezone.now()
    volunteer = Volunteer(user_id=user.pk)
    if not getattr(user, "is_authenticated", False):
        return volunteer
    found = _load(Application.objects.filter(user=user), overlapping=None, now=now)
    if user.pk in found:
        volunteer = found[user.pk]
    mine = (
        SignUp.objects.filter(user=user, shift__ends_at__gt=now)
        .exclude(status=SignUpStatus.CANCELLED)
        .select_related("shift__invitation__community")
    )
    for signup in mine:
        volunteer.signups[signup.shift_id] = signup
    return volunteer


def field_volunteers(*, overlapping: Shift | None = None) -> dict[int, Volunteer]:
    """Everyone ready for the field (or in it), by user id. With `overlapping`, only the held
    shifts that overlap it are loaded: matching asks about one shift."""
    return _load(Application.objects.all(), overlapping=overlapping, now=timezone.now())


def _load(
    applications: Any, *, overlapping: Shift | None, now: dt.datetime
) -> dict[int, Volunteer]:
    ready = list(
        applications.filter(stage__in=FIELD_STAGES).only(
            "pk",
            "row_key",
            "user_id",
            "group_id",
            "languages",
            "arrival_on",
            "departure_on",
            "stage",
        )
    )
    if not ready:
        return {}
    found: dict[int, Volunteer] = {}
    for application in ready:
        volunteer = found.setdefault(application.user_id, Volunteer(application.user_id))
        volunteer.windows.append((application.arrival_on, application.departure_on))
        for code in application.languages or []:
            if code not in volunteer.languages:
                volunteer.languages.append(code)
    user_ids = list(found)
    for user_id, kind_id, granted, expires in Qualification.objects.filter(
        user__in=user_ids
    ).values_list("user_id", "kind_id", "granted_on", "expires_on"):
        found[user_id].qualifications[kind_id].append((granted, expires))
    for user_id in _must_agree(ready):
        found[user_id].must_agree = True
    held = SignUp.objects.filter(
        user__in=user_ids,
        status__in=HOLDING_PLACE,
        shift__is_cancelled=False,
        shift__invitation__status=InvitationStatus.ACTIVE,
    ).select_related("shift__invitation__community")
    if overlapping is not None:
        held = held.filter(
            shift__starts_at__lt=overlapping.ends_at, shift__ends_at__gt=overlapping.starts_at
        )
    else:
        held = held.filter(shift__ends_at__gt=now)
    for signup in held:
        found[signup.user_id].held.append(signup.shift)
    return found


def _must_agree(applications: Iterable[Application]) -> set[int]:
    """Users among `applications` who have not agreed to their group's current principles, in
    two queries (see `alongside.volunteers.principles.needs_to_agree`: a group's own latest
    version, else the movement's, the field team's, latest)."""
    applications = list(applications)
    group_ids = {a.group_id for a in applications}
    versions = list(
        PrinciplesVersion.objects.filter(
            Q(group__in=group_ids) | Q(group__kind=GroupKind.FIELD)
        ).values_list("pk", "group_id", "number", "published_at", "group__kind")
    )
    own: dict[int, tuple[int, int]] = {}
    movement: tuple[Any, int] | None = None
    for pk, group_id, number, published_at, kind in versions:
        if group_id in group_ids and (group_id not in own or number > own[group_id][0]):
            own[group_id] = (number, pk)
        # `principles_for` takes the movement's latest published, then latest created.
        if kind == GroupKind.FIELD and (movement is None or (published_at, pk) > movement):
            movement = (published_at, pk)
    current: dict[int, int] = {}
    for group_id in group_ids:
        if group_id in own:
            current[group_id] = own[group_id][1]
        elif movement is not None:
            current[group_id] = movement[1]
    if not current:
        return set()
    agreed = set(
        PrinciplesAgreement.objects.filter(
            user__in={a.user_id for a in applications}, version__in=set(current.values())
        ).values_list("user_id", "version_id")
    )
    return {
        a.user_id
        for a in applications
        if a.group_id in current and (a.user_id, current[a.group_id]) not in agreed
    }


# --- asking --------------------------------------------------------------------------------


def weekday_name(moment: dt.datetime) -> str:
    return formats.date_format(moment.astimezone(field_zone()), "l")


def community_label(shift: Shift) -> str:
    community = shift.invitation.community
    return localized(community, "locality") or localized(community, "name")


def personal_reason(volunteer: Volunteer, shift: Shift, rules: ActivityRules) -> Refusal | None:
    """Why this person cannot be on this shift, whatever its places and deadlines."""
    if not volunteer.ready:
        return Refusal("not_ready", _("You are not ready for the field yet."))
    if not any(a and d for a, d in volunteer.windows):
        return Refusal(
            "no_window", _("Tell your group when you will be in Hebron (your presence window).")
        )
    if not volunteer.in_window(shift):
        return Refusal("outside_window", _("Outside your presence window (dates in Hebron)."))
    kind = rules.required_qualification
    if kind is not None and not volunteer.qualified(kind.pk, field_dates(shift)[0]):
        return Refusal(
            "qualification",
            _("Needs a qualification valid on the day: %(qualification)s.")
            % {"qualification": localized(kind, "name")},
        )
    if volunteer.must_agree:
        return Refusal("principles", _("Agree to the current principles first."))
    other = volunteer.overlapping(shift)
    if other is not None:
        return Refusal(
            "overlap",
            _("Overlaps your shift at %(community)s on %(weekday)s.")
            % {"community": community_label(other), "weekday": weekday_name(other.starts_at)},
        )
    return None


def why_not(
    volunteer: Volunteer,
    shift: Shift,
    rules: ActivityRules,
    *,
    taken: int,
    now: dt.datetime | None = None,
) -> Refusal | None:
    """Why `volunteer` cannot take `shift` now, or None when they can. `taken`: the places held
    (confirmed or offered). A refusal with `may_wait` (full) lets them join the waiting list."""
    now = now or timezone.now()
    if shift.is_cancelled or shift.invitation.status != InvitationStatus.ACTIVE:
        return Refusal("cancelled", _("This shift is cancelled."))
    if shift.starts_at <= now:
        return Refusal("started", _("This shift has already started."))
    if shift.pk in volunteer.signups:
        return Refusal("already", _("You are already signed up."))
    reason = personal_reason(volunteer, shift, rules)
    if reason is not None:
        return reason
    if shift.cutoff_at <= now:
        return Refusal("closed", _("Sign-up has closed: a field coordinator can still add you."))
    if taken >= shift.places:
        return Refusal("full", _("Full: you can join the waiting list."))
    return None


def eligible_for(shift: Shift, rules: ActivityRules, *, exclude: Iterable[int] = ()) -> list[int]:
    """The user ids of everyone ready for the field who could be on `shift` (window,
    qualification, principles, no overlap), leaving out `exclude` (those on its roster).
    Deadlines and places are the caller's: a coordinator may assign after the cut-off."""
    left_out = set(exclude)
    return [
        user_id
        for user_id, volunteer in field_volunteers(overlapping=shift).items()
        if user_id not in left_out and personal_reason(volunteer, shift, rules) is None
    ]
