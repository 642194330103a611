"""An invitation's schedule becomes shifts on the Hebron clock, across daylight-saving changes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.field.models import Recurrence
from alongside.field.recurrence import Schedule, dates, expand, instants

HEBRON = zoneinfo.ZoneInfo("Asia/Hebron")
# Around 2026 and 2027, whose springs and autumns move the clocks on dates of their own.
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31))
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
weekday_sets = st.sets(st.integers(0, 6), min_size=1, max_size=7)


def _exists(day: dt.date, clock: dt.time) -> bool:
    """Does `clock` happen on `day` in Hebron (not skipped by the spring change)?"""
    wall = dt.datetime.combine(day, clock, tzinfo=HEBRON)
    return wall.astimezone(dt.UTC).astimezone(HEBRON).replace(tzinfo=None) == wall.replace(
        tzinfo=None
    )


@settings(max_examples=150, deadline=None)
@given(
    start=days,
    span=st.integers(0, 120),
    weekdays=weekday_sets,
    start_time=times,
    end_time=times,
    now_offset=st.integers(-30, 60),
)
def test_weekly_shifts_fall_on_the_chosen_days_at_the_chosen_hebron_time(
    start: dt.date,
    span: int,
    weekdays: set[int],
    start_time: dt.time,
    end_time: dt.time,
    now_offset: int,
) -> None:
    schedule = Schedule(
        Recurrence.WEEKLY,
        tuple(weekdays),
        start,
        start + dt.timedelta(days=span),
        start_time,
        end_time,
    )
    now = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC) + dt.timedelta(days=now_offset)
    shifts = expand(schedule, now=now, limit=200)
    starts = [s for s, _e in shifts]
    assert len(starts) == len(set(starts)), "no two shifts start at once"
    assert starts == sorted(starts)
    assert len(shifts) <= 200
    for begins, ends in shifts:
        assert begins > now
        assert ends > begins
        assert ends - begins <= dt.timedelta(hours=25)
        local = begins.astimezone(HEBRON)
        assert start <= local.date() <= start + dt.timedelta(days=span)
        assert local.weekday() in weekdays
        if _exists(local.date(), start_time):
            assert local.time() == start_time
        else:
            # Skipped by the spring change: the same span of time, an hour later on the clock.
            assert (
                local.time()
                == (dt.datetime.combine(start, start_time) + dt.timedelta(hours=1)).time()
            )


@settings(max_examples=80, deadline=None)
@given(start=days, span=st.integers(0, 400), start_time=times, end_time=times)
def test_daily_shifts_are_one_a_day_and_never_more_than_the_bound(
    start: dt.date, span: int, start_time: dt.time, end_time: dt.time
) -> None:
    schedule = Schedule(
        Recurrence.DAILY, (), start, start + dt.timedelta(days=span), start_time, end_time
    )
    now = dt.datetime.combine(start, dt.time(), tzinfo=HEBRON) - dt.timedelta(minutes=1)
    shifts = expand(schedule, now=now, horizon=dt.timedelta(days=500), limit=200)
    local_days = [s.astimezone(HEBRON).date() for s, _e in shifts]
    assert len(local_days) == len(set(local_days))
    assert len(shifts) == min(span + 1, 200)


@given(start=days, weekdays=weekday_sets)
def test_an_open_ended_weekly_invitation_stops_at_the_horizon(
    start: dt.date, weekdays: set[int]
) -> None:
    schedule = Schedule(Recurrence.WEEKLY, tuple(weekdays), start, None, dt.time(7), dt.time(8))
    now = dt.datetime.combine(start, dt.time(), tzinfo=HEBRON) - dt.timedelta(minutes=1)
    shifts = expand(schedule, now=now)
    assert len(shifts) <= 9 * len(weekdays)
    assert all(s <= now + dt.timedelta(weeks=8, days=1) for s, _e in shifts)


def test_a_friday_noon_demonstration_keeps_noon_across_the_autumn_change() -> None:
    # Hebron leaves summer time in the night of Friday 23 to Saturday 24 October 2026.
    schedule = Schedule(
        Recurrence.WEEKLY, (4,), dt.date(2026, 10, 1), None, dt.time(12), dt.time(15)
    )
    now = dt.datetime(2026, 9, 30, tzinfo=dt.UTC)
    shifts = expand(schedule, now=now, horizon=dt.timedelta(weeks=6))
    utc_hours = [s.astimezone(dt.UTC).hour for s, _e in shifts]
    assert utc_hours[:4] == [9, 9, 9, 9]  # UTC+3 in October
    assert utc_hours[4:] and set(utc_hours[4:]) == {10}  # UTC+2 from 30 October
    assert {s.astimezone(HEBRON).time() for s, _e in shifts} == {dt.time(12)}


def test_an_overnight_stay_ends_the_next_morning() -> None:
    begins, ends = instants(dt.date(2026, 5, 1), dt.time(20), dt.time(8))
    assert ends - begins == dt.timedelta(hours=12)
    assert ends.astimezone(HEBRON).date() == dt.date(2026, 5, 2)


def test_an_end_equal_to_the_start_is_a_whole_day_and_night() -> None:
    begins, ends = instants(dt.date(2026, 5, 1), dt.time(9), dt.time(9))
    assert ends - begins == dt.timedelta(hours=24)


def test_a_time_skipped_in_spring_moves_an_hour_later() -> None:
    # 28 March 2026: Hebron's clocks jump from 02:00 to 03:00.
    begins, _ends = instants(dt.date(2026, 3, 28), dt.time(2, 30), dt.time(6))
    assert begins.astimezone(HEBRON).time() == dt.time(3, 30)


def test_once_is_one_date_only_inside_the_window() -> None:
    schedule = Schedule(Recurrence.ONCE, (), dt.date(2026, 6, 5), None, dt.time(7), dt.time(9))
    assert list(dates(schedule, first=dt.date(2026, 6, 1), last=dt.date(2026, 6, 30))) == [
        dt.date(2026, 6, 5)
    ]
    assert list(dates(schedule, first=dt.date(2026, 6, 6), last=dt.date(2026, 6, 30))) == []
