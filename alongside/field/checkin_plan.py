"""A shift's safety check-in plan: on arrival, every N hours while there, on leaving.

Each confirmed volunteer owes the plan's check-ins as `CheckIn` rows, laid out when their place
is confirmed (`plan_checkins`) and taken away when they leave the roster (`unplan_checkins`).
Rows are the plan: the escalation task finds a missed check-in with one indexed query."""

from __future__ import annotations

import datetime as dt

from alongside.field.models import CheckIn, CheckInKind, Shift, SignUp, SignUpStatus

# A check-in "while there" this close to the end is covered by the one on leaving.
_TOO_CLOSE_TO_LEAVING = dt.timedelta(minutes=30)


def planned_times(shift: Shift) -> list[tuple[str, dt.datetime]]:
    """(kind, due) of every check-in the shift's plan asks for, in time order."""
    plan = [(CheckInKind.ARRIVAL.value, shift.starts_at)]
    if shift.checkin_every_hours:
        step = dt.timedelta(hours=shift.checkin_every_hours)
        due = shift.starts_at + step
        while due < shift.ends_at - _TOO_CLOSE_TO_LEAVING:
            plan.append((CheckInKind.DURING.value, due))
            due += step
    plan.append((CheckInKind.LEAVING.value, shift.ends_at))
    return plan


def plan_checkins(signup: SignUp) -> None:
    """Lay out the check-ins a confirmed volunteer owes that are not laid out yet: all of them
    the first time, none when confirming twice, the missing ones when they come back onto the
    roster (what they answered or what was raised before stays)."""
    _lay_out_missing(signup, signup.shift)


def _lay_out_missing(signup: SignUp, shift: Shift) -> None:
    laid_out = set(signup.checkins.exclude(kind=CheckInKind.EXTRA).values_list("kind", "due_at"))
    CheckIn.objects.bulk_create(
        CheckIn(signup=signup, kind=kind, due_at=due)
        for kind, due in planned_times(shift)
        if (kind, due) not in laid_out
    )


def unplan_checkins(signup: SignUp) -> None:
    """Take away the check-ins not yet given nor escalated (the volunteer left the roster)."""
    signup.checkins.filter(answered_at__isnull=True, escalation__isnull=True).delete()


def replan_checkins(shift: Shift) -> None:
    """The shift's times or plan changed: lay out the plan again for everyone confirmed, keeping
    what was already answered or escalated."""
    for signup in shift.signups.filter(status=SignUpStatus.CONFIRMED):
        unplan_checkins(signup)
        _lay_out_missing(signup, shift)
