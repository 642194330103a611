"""Enqueueing background tasks (Django's Tasks API through django-tasks)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, /, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` once the current transaction commits, so that a worker never picks up
    work about rows it cannot see yet, and a rolled-back change sends nothing."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=False)
