"""Builders for the tests of safety check-ins, escalations, incident notes and the live board:
a shift of the field team with confirmed volunteers whose check-ins are laid out, and a clock
the tests move."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from alongside.accounts.models import User
from alongside.field.checkin_plan import plan_checkins
from alongside.field.models import Shift, SignUp, SignUpStatus
from alongside.field.tests.factories import make_field_volunteer, make_shift
from alongside.movement.models import Group, PartnerCommunity

_numbers = itertools.count(1)


def volunteer(name: str, *, group: Group, **kwargs: Any) -> User:
    """A volunteer ready for the field, sent by `group` (a new one each call)."""
    number = next(_numbers)
    return make_field_volunteer(f"safety{number}@example.net", name, group=group, **kwargs)


def confirm(shift: Shift, user: User) -> SignUp:
    """`user` confirmed on `shift`, their check-ins laid out."""
    signup = SignUp.objects.create(shift=shift, user=user, status=SignUpStatus.CONFIRMED)
    plan_checkins(signup)
    return signup


def shift_now(
    community: PartnerCommunity,
    *,
    started_minutes_ago: int = 10,
    hours: float = 3,
    checkin_every_hours: int | None = None,
    **kwargs: Any,
) -> Shift:
    """A shift that started `started_minutes_ago` (negative: starts in that many minutes)."""
    start = timezone.now() - dt.timedelta(minutes=started_minutes_ago)
    return make_shift(
        community=community,
        starts_at=start,
        hours=hours,
        checkin_every_hours=checkin_every_hours,
        **kwargs,
    )


@dataclass
class Clock:
    """The platform's clock, moved by the test (`timezone.now` everywhere that calls it)."""

    now: dt.datetime

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def moved_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Take over `timezone.now` for the test; move it with `advance`."""
    moved = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: moved.now)
    return moved
