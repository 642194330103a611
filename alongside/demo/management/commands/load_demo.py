"""`manage.py load_demo`: the fictional demo world that `make run` serves. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.demo.content import DEMO_PASSWORD, PEOPLE
from alongside.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the fictional demo data. Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-https",
            action="store_true",
            help="Load even though HTTPS=1 (a public site): only for a public demo server.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo accounts have published passwords and TOTP secrets: a production site that
        # loaded them would give anyone a core member's access.
        if settings.HTTPS and not options["allow_https"]:
            raise CommandError(
                "HTTPS=1 looks like a real site; the demo accounts have public passwords. "
                "Pass --allow-https only for a public demo server."
            )
        created = load_demo()
        if created:
            summary = ", ".join(f"{count} {what}" for what, count in sorted(created.items()))
            self.stdout.write(f"Demo data loaded: {summary}.")
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        if options["verbosity"] >= 1:
            personas = ", ".join(p.email for p in PEOPLE if p.persona)
            self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): {personas}")
