"""The row locks of the field actions, in the one order they are taken.

Lock order (the same in every field action, so that two of them never wait for each other on
PostgreSQL): the invitation's row, then its shifts' rows in time order, then people's rows
(`accounts.User`, one per transaction). Every change to an invitation's shifts, a single date's
cancellation included, first locks the invitation and only then the shifts it touches;
sign-ups lock a shift's row before counting places and then the person's row
(actions/signups), so a roster cannot grow past the new number of places while the number is
being lowered. A lock taken on a query that reads related rows along names only its own table
(`select_for_update(of=("self",))`). The audit chain's head (`audit.record`) comes last: after
an entry is written, an action locks nothing it does not hold already.

On SQLite the settings open every transaction IMMEDIATE, so the write lock is taken at BEGIN
and writers take turns; `select_for_update` adds no SQL there.
"""

from __future__ import annotations

import datetime as dt

from alongside.accounts.models import User
from alongside.field.models import Invitation, Shift


def lock_invitation(invitation_id: int) -> Invitation:
    """The invitation's row, locked: first of all."""
    return Invitation.objects.select_for_update().get(pk=invitation_id)


def lock_coming_shifts(invitation: Invitation, now: dt.datetime) -> list[Shift]:
    """The invitation's shifts not yet started nor cancelled, locked in time order (after the
    invitation's row)."""
    return list(
        Shift.objects.select_for_update()
        .filter(invitation=invitation, starts_at__gt=now, is_cancelled=False)
        .order_by("starts_at")
    )


def lock_shift(shift_id: int, *, invitation: Invitation | None = None) -> Shift:
    """The shift's row, locked (only its own row: `of=("self",)`). Its invitation, community and
    team are read along; when the caller holds the invitation's lock already, pass it as
    `invitation` and only the shift is read."""
    if invitation is not None:
        locked = Shift.objects.select_for_update(of=("self",)).get(pk=shift_id)
        locked.invitation = invitation
        return locked
    return (
        Shift.objects.select_for_update(of=("self",))
        .select_related("invitation__community__group")
        .get(pk=shift_id)
    )


def lock_person(user_id: int) -> None:
    """Lock the person's row (after their shift's), so that their other places are read only
    once no other tab of theirs is taking one."""
    User.objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True).get()
