"""When an invitation asks for people: its schedule expanded into shifts' instants.

An invitation names Hebron dates and Hebron clock times ("every Friday at noon", "school days at
7:00"); a shift is a pair of UTC instants. Each date is turned into instants on its own, so that
a weekly demonstration stays at noon in Bil'in across daylight-saving changes, and an end time at
or before the start time runs into the next day (an overnight stay).

Clock times that do not exist (the hour skipped in spring) are read with the offset before the
change (PEP 495, `fold=0`): 02:30 on the night the clocks go forward becomes 03:30. Clock times
that happen twice (the hour repeated in autumn) are the first of the two.

Recurring invitations may be open-ended, so shifts are laid out only up to a horizon
(`HORIZON`) and never more than `MAX_AT_ONCE` at once; the daily task moves the horizon on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.utils import timezone

from alongside.field.models import Invitation, Recurrence
from alongside.lib.timezones import field_zone

HORIZON = dt.timedelta(weeks=8)
MAX_AT_ONCE = 200
# Sunday to Thursday: the school week in Palestine (Python weekdays).
SCHOOL_DAYS = (6, 0, 1, 2, 3)


@dataclass(frozen=True)
class Schedule:
    """What an invitation says about time, without the rest of it (property tests build these)."""

    recurrence: str
    weekdays: tuple[int, ...]
    starts_on: dt.date
    ends_on: dt.date | None
    start_time: dt.time
    end_time: dt.time

    @classmethod
    def of(cls, invitation: Invitation) -> Schedule:
        return cls(
            recurrence=invitation.recurrence,
            weekdays=tuple(int(day) for day in invitation.weekdays or ()),
            starts_on=invitation.starts_on,
            ends_on=invitation.ends_on,
            start_time=invitation.start_time,
            end_time=invitation.end_time,
        )


def dates(schedule: Schedule, *, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The schedule's dates between `first` and `last` (both included), in order."""
    start = max(schedule.starts_on, first)
    end = last if schedule.ends_on is None else min(schedule.ends_on, last)
    if schedule.recurrence == Recurrence.ONCE:
        if start <= schedule.starts_on <= end:
            yield schedule.starts_on
        return
    days: Collection[int] = (
        range(7) if schedule.recurrence == Recurrence.DAILY else set(schedule.weekdays)
    )
    day = start
    while day <= end:
        if day.weekday() in days:
            yield day
        day += dt.timedelta(days=1)


def instants(
    day: dt.date, start_time: dt.time, end_time: dt.time, zone: dt.tzinfo | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The UTC start and end of the span that begins on `day` at `start_time` (Hebron clock)."""
    zone = zone or field_zone()
    # The rule above, whatever `fold` a time arrives with (Python reads fold=1 the other way).
    start_time, end_time = start_time.replace(fold=0), end_time.replace(fold=0)
    end_day = day if end_time > start_time else day + dt.timedelta(days=1)
    wall_start = dt.datetime.combine(day, start_time)
    wall_end = dt.datetime.combine(end_day, end_time)
    starts = wall_start.replace(tzinfo=zone).astimezone(dt.UTC)
    ends = wall_end.replace(tzinfo=zone).astimezone(dt.UTC)
    if ends <= starts:
        # Both ends moved by a clock change inside a short span: keep its length on the wall.
        ends = starts + (wall_end - wall_start)
    return starts, ends


def local_date(moment: dt.datetime) -> dt.date:
    """The Hebron date a shift starting at `moment` belongs to."""
    return moment.astimezone(field_zone()).date()


def today() -> dt.date:
    return timezone.now().astimezone(field_zone()).date()


def expand(
    schedule: Schedule,
    *,
    now: dt.datetime,
    horizon: dt.timedelta = HORIZON,
    limit: int = MAX_AT_ONCE,
    skip: Collection[dt.date] = (),
) -> list[tuple[dt.datetime, dt.datetime]]:
    """(starts_at, ends_at) of the schedule's shifts that start after `now` and on a date before
    the horizon, leaving out the dates in `skip` (laid out already), at most `limit` of them."""
    zone = field_zone()
    first = now.astimezone(zone).date()
    last = (now + horizon).astimezone(zone).date()
    found: list[tuple[dt.datetime, dt.datetime]] = []
    for day in dates(schedule, first=first, last=last):
        if len(found) >= limit:
            break
        if day in skip:
            continue
        starts, ends = instants(day, schedule.start_time, schedule.end_time, zone)
        if starts > now:
            found.append((starts, ends))
    return found


def next_start(schedule: Schedule, *, now: dt.datetime) -> dt.datetime | None:
    """When the schedule's first shift after `now` starts, however far ahead (None when no
    date of the schedule is still to come)."""
    first = max(schedule.starts_on, now.astimezone(field_zone()).date() - dt.timedelta(days=1))
    last = schedule.ends_on or first + dt.timedelta(days=7)
    for day in dates(schedule, first=first, last=last):
        starts, _ends = instants(day, schedule.start_time, schedule.end_time)
        if starts > now:
            return starts
    return None
