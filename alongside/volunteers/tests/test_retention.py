"""Personal data of volunteers who are gone is forgotten after the group's retention period;
only anonymous counts stay."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from alongside.lib.models import AuditEntry
from alongside.volunteers.actions.retention import add_months, purge_expired_applications
from alongside.volunteers.models import (
    Application,
    OutcomeCount,
    OutreachCount,
    PipelineSettings,
    Reference,
    ReportBack,
    ScreeningNote,
    Stage,
)
from alongside.volunteers.tasks import purge_expired_applications_daily
from conftest import World

RETURNED = dt.date(2026, 3, 10)


def _closed(world: World, user: Any, stage: str, **fields: Any) -> Application:
    application = Application.objects.create(
        user=user, group=world.norcal, stage=stage, full_name="Rhea Returned", phone="+1 555 0101",
        submitted_at=timezone.now(), **fields,
    )  # fmt: skip
    Reference.objects.create(application=application, position=1, name="Ref", email="r@x.org")
    ScreeningNote.objects.create(application=application, body="A careful note.")
    return application


@pytest.fixture
def moved_clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    def move(day: dt.date) -> None:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(3, 0)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


def test_months_are_added_by_the_calendar() -> None:
    assert add_months(dt.date(2026, 3, 10), 12) == dt.date(2027, 3, 10)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_a_returned_volunteer_is_kept_for_twelve_months_then_only_counted(
    world: World, moved_clock: Any
) -> None:
    application = _closed(world, world.volunteer, Stage.RETURNED, returned_on=RETURNED)
    ReportBack.objects.create(
        application=application, held_on=dt.date(2026, 5, 1), audience="Library", place="Oakland",
        size=40,
    )  # fmt: skip

    moved_clock(dt.date(2027, 3, 9))
    assert purge_expired_applications_daily.call() == 0
    assert Application.objects.filter(pk=application.pk).exists()

    moved_clock(dt.date(2027, 3, 10))
    assert purge_expired_applications_daily.call() == 1
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not Reference.objects.exists()
    assert not ScreeningNote.objects.exists()
    assert not ReportBack.objects.exists()
    outcome = OutcomeCount.objects.get(group=world.norcal, year=2026, stage=Stage.RETURNED)
    assert outcome.count == 1
    outreach = OutreachCount.objects.get(group=world.norcal, year=2026)
    assert (outreach.talks, outreach.people) == (1, 40)
    entry = AuditEntry.objects.get(action="purge")
    assert "Rhea" not in str(entry.detail)


def test_running_the_purge_twice_counts_once(world: World, moved_clock: Any) -> None:
    _closed(world, world.volunteer, Stage.RETURNED, returned_on=RETURNED)
    moved_clock(dt.date(2027, 6, 1))
    assert purge_expired_applications() == 1
    assert purge_expired_applications() == 0
    assert OutcomeCount.objects.get().count == 1


def test_a_volunteer_who_chose_to_stay_in_touch_is_kept(world: World, moved_clock: Any) -> None:
    _closed(world, world.volunteer, Stage.RETURNED, returned_on=RETURNED, stay_in_touch=True)
    moved_clock(dt.date(2030, 1, 1))
    assert purge_expired_applications() == 0
    assert Application.objects.count() == 1


def test_the_groups_own_retention_period_applies(world: World, moved_clock: Any) -> None:
    PipelineSettings.objects.create(group=world.norcal, retention_months=3)
    _closed(world, world.volunteer, Stage.RETURNED, returned_on=RETURNED)
    moved_clock(dt.date(2026, 6, 9))
    assert purge_expired_applications() == 0
    moved_clock(dt.date(2026, 6, 10))
    assert purge_expired_applications() == 1


def test_withdrawn_and_declined_count_from_closing_and_active_ones_are_never_purged(
    world: World, moved_clock: Any
) -> None:
    closed_at = timezone.make_aware(dt.datetime(2026, 1, 5, 12, 0))
    _closed(world, world.volunteer, Stage.WITHDRAWN, closed_at=closed_at)
    _closed(world, world.applicant, Stage.DECLINED, closed_at=closed_at)
    _closed(world, world.partner, Stage.IN_FIELD)
    moved_clock(dt.date(2027, 1, 5))
    assert purge_expired_applications() == 2
    assert list(Application.objects.values_list("stage", flat=True)) == [Stage.IN_FIELD]
    counts = dict(OutcomeCount.objects.values_list("stage", "count"))
    assert counts == {Stage.WITHDRAWN: 1, Stage.DECLINED: 1}
