"""Invitations for tests, made through the action so that their shifts are laid out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from alongside.field import recurrence
from alongside.field.actions.invitations import create_invitation
from alongside.field.models import ActivityKind, Invitation, Recurrence, Shift, SignUp
from alongside.movement.models import PartnerCommunity


def make_invitation(
    *,
    community: PartnerCommunity,
    actor: Any = None,
    kind: str = ActivityKind.DEMONSTRATION,
    how: str = Recurrence.WEEKLY,
    weekdays: tuple[int, ...] = (4,),
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    start_time: dt.time = dt.time(12, 0),
    end_time: dt.time = dt.time(15, 0),
    volunteers_min: int = 2,
    volunteers_max: int = 4,
    **values: Any,
) -> Invitation:
    """By default the weekly Friday demonstration, noon to three, from today on."""
    starts_on = starts_on or recurrence.today() + dt.timedelta(days=1)
    return create_invitation(
        actor=actor,
        community=community,
        invited_via=values.pop("invited_via", "platform"),
        invited_by=values.pop("invited_by", ""),
        values={
            "kind": kind,
            "recurrence": how,
            "weekdays": list(weekdays),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "start_time": start_time,
            "end_time": end_time,
            "volunteers_min": volunteers_min,
            "volunteers_max": volunteers_max,
            "languages": ["ar", "en"],
            **values,
        },
    )


def put_on(shift: Shift, user: Any, status: str = "confirmed") -> SignUp:
    """`user` on `shift`'s roster as it stands (no checks: the sign-ups part has its own)."""
    return SignUp.objects.create(shift=shift, user=user, status=status)
