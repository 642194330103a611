"""Builders of field records for tests, shared by every part of the field app, so that each test
states only what matters to its story.

`make_invitation` writes the invitation and its shifts directly (not through the invitation
actions), so that tests of sign-ups, check-ins and the board do not depend on how shifts are
laid out from a recurrence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.field.models import ActivityKind, Invitation, Shift
from alongside.field.rules import TRAINING_SLUG
from alongside.lib.timezones import field_zone
from alongside.movement.models import Group, PartnerCommunity
from alongside.volunteers.models import (
    PrinciplesAgreement,
    Qualification,
    QualificationKind,
    Stage,
)
from alongside.volunteers.principles import principles_for


def in_days(days: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """`days` from today at `hour`:`minute` on the field's clock (Asia/Hebron)."""
    today = timezone.now().astimezone(field_zone()).date()
    day = today + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=field_zone())


def make_invitation(
    *,
    community: PartnerCommunity,
    kind: str = ActivityKind.DEMONSTRATION,
    starts_at: dt.datetime | None = None,
    hours: float = 3,
    shifts: int = 1,
    every_days: int = 7,
    places: int = 4,
    min_volunteers: int = 2,
    cutoff_hours: int = 3,
    checkin_every_hours: int | None = None,
    **fields: Any,
) -> Invitation:
    """An active invitation of `community` with `shifts` shifts, the first at `starts_at`
    (three days from now at noon, Hebron time, by default), then every `every_days` days, each
    `hours` long with `places` places. Any other Invitation field may be given."""
    first = starts_at or in_days(3)
    min_volunteers = min(min_volunteers, places)
    local = first.astimezone(field_zone())
    length = dt.timedelta(hours=hours)
    last = local + dt.timedelta(days=every_days * (shifts - 1))
    values: dict[str, Any] = {
        "kind": kind,
        "starts_on": local.date(),
        "ends_on": last.date() if shifts > 1 else None,
        "recurrence": "weekly" if shifts > 1 else "once",
        "weekdays": [local.weekday()] if shifts > 1 else [],
        "start_time": local.time(),
        "end_time": (local + length).time(),
        "volunteers_min": min_volunteers,
        "volunteers_max": places,
        "signup_cutoff_hours": cutoff_hours,
        "checkin_every_hours": checkin_every_hours,
    }
    values.update(fields)
    invitation = Invitation.objects.create(community=community, **values)
    for number in range(shifts):
        start = (local + dt.timedelta(days=every_days * number)).astimezone(dt.UTC)
        Shift.objects.create(
            invitation=invitation,
            starts_at=start,
            ends_at=start + length,
            places=places,
            min_volunteers=min_volunteers,
            cutoff_at=start - dt.timedelta(hours=cutoff_hours),
            checkin_every_hours=checkin_every_hours,
        )
    return invitation


def make_shift(*, community: PartnerCommunity, **kwargs: Any) -> Shift:
    """The first (or only) shift of a new invitation; see `make_invitation`."""
    return make_invitation(community=community, **kwargs).shifts.order_by("starts_at")[0]


def training_kind() -> QualificationKind:
    """The movement's two-day training (seeded by a migration of the volunteers app)."""
    kind, _ = QualificationKind.objects.get_or_create(
        slug=TRAINING_SLUG, defaults={"name_en": "The movement's two-day training"}
    )
    return kind


def make_field_volunteer(
    email: str,
    name: str,
    *,
    group: Group,
    languages: list[str] | tuple[str, ...] = ("en",),
    arrival_on: dt.date | None = None,
    departure_on: dt.date | None = None,
    qualified: bool = True,
    agreed: bool = True,
    stage: str = Stage.READY,
    language: str = "en",
) -> User:
    """A person whose application to `group` is READY (or `stage`), in the field from
    `arrival_on` (yesterday by default) to `departure_on` (in 60 days), holding the two-day
    training when `qualified`, and agreeing to the group's current principles when `agreed`."""
    from alongside.volunteers.tests.factories import make_application
    from conftest import make_user

    user = make_user(email, name, language=language)
    today = timezone.now().astimezone(field_zone()).date()
    make_application(
        user=user,
        group=group,
        stage=stage,
        languages=list(languages),
        arrival_on=arrival_on or today - dt.timedelta(days=1),
        departure_on=departure_on or today + dt.timedelta(days=60),
    )
    if qualified:
        Qualification.objects.create(
            user=user, kind=training_kind(), granted_on=today - dt.timedelta(days=30)
        )
    if agreed:
        version = principles_for(group)
        if version is not None:
            PrinciplesAgreement.objects.create(user=user, version=version)
    return user
