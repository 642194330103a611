"""Enqueue periodic tasks on time; run beside `db_worker` (`make run` starts both)."""

from __future__ import annotations

import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.lib.schedule import enqueue_due

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of settings.PERIODIC_TASKS when they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit (for cron).")
        parser.add_argument(
            "--interval", type=float, default=20.0, help="Seconds between checks (default 20)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            for name in enqueue_due():
                log.info("enqueued periodic task %s", name)
            if options["once"] or stopping:
                return
            slept = 0.0
            while slept < options["interval"] and not stopping:
                time.sleep(0.5)
                slept += 0.5
            if stopping:
                return
