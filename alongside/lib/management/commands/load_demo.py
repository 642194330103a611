"""Placeholder: the demo data loader (idempotent) replaces this."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the fictional demo data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("No demo data yet.")
