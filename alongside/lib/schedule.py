"""Periodic background work (daily purges, reminders) without cron.

`manage.py run_scheduler` wakes every few seconds and enqueues each task of
`settings.PERIODIC_TASKS` once per period (its "slot": the number of whole periods since the
epoch). The slot is claimed in the database first (`alongside.lib.notices`), so several
schedulers on several machines, or one restarted in the middle of a slot, enqueue each run
once. The worker (`manage.py db_worker`) then runs it like any other task.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from alongside.lib.notices import claim_notice


@dataclass(frozen=True)
class Periodic:
    name: str
    task_path: str
    every_seconds: int

    def slot(self, timestamp: float) -> int:
        return math.floor(timestamp / self.every_seconds)


def periodic_tasks(config: Mapping[str, tuple[str, int]] | None = None) -> list[Periodic]:
    config = settings.PERIODIC_TASKS if config is None else config
    return [Periodic(name, path, every) for name, (path, every) in config.items()]


def enqueue_due(*, now: float | None = None) -> list[str]:
    """Enqueue every periodic task whose current slot has not been enqueued yet; returns the
    names enqueued."""
    timestamp = timezone.now().timestamp() if now is None else now
    enqueued = []
    for periodic in periodic_tasks():
        if claim_notice(f"schedule:{periodic.name}:{periodic.slot(timestamp)}"):
            import_string(periodic.task_path).enqueue()
            enqueued.append(periodic.name)
    return enqueued
