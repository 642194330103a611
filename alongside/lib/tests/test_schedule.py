from __future__ import annotations

from io import StringIO
from typing import Any
from unittest import mock

from django.core.management import call_command

from alongside.lib import schedule

DAY = 24 * 3600


def test_each_periodic_task_is_enqueued_once_per_period(db: Any, settings: Any) -> None:
    settings.PERIODIC_TASKS = {"daily": ("x.daily", DAY), "hourly": ("x.hourly", 3600)}
    task = mock.Mock()
    with mock.patch("alongside.lib.schedule.import_string", return_value=task):
        noon = 20_000 * DAY + 12 * 3600
        assert schedule.enqueue_due(now=noon) == ["daily", "hourly"]
        assert schedule.enqueue_due(now=noon + 60) == []
        assert schedule.enqueue_due(now=noon + 3600) == ["hourly"]
        assert schedule.enqueue_due(now=noon + DAY) == ["daily", "hourly"]
    assert task.enqueue.call_count == 5


def test_the_scheduler_command_enqueues_each_configured_task_once_per_period(
    db: Any, settings: Any
) -> None:
    settings.PERIODIC_TASKS = {
        "volunteers.purge": ("alongside.volunteers.tasks.purge_expired_applications_daily", DAY)
    }
    task = mock.Mock()
    with mock.patch("alongside.lib.schedule.import_string", return_value=task) as load:
        call_command("run_scheduler", "--once", stdout=StringIO())
        call_command("run_scheduler", "--once", stdout=StringIO())
    load.assert_called_once_with("alongside.volunteers.tasks.purge_expired_applications_daily")
    assert task.enqueue.call_count == 1


def test_every_configured_periodic_task_exists() -> None:
    from django.utils.module_loading import import_string

    for periodic in schedule.periodic_tasks():
        assert callable(import_string(periodic.task_path).enqueue), periodic.name
