"""`manage.py verify_audit`: check that no audit entry was edited, removed or moved."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.lib.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit log in order and report every entry that was edited, removed or moved. "
        "Exits non-zero when anything is wrong."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Entries fetched from the database at a time (default 2000).",
        )
        parser.add_argument(
            "--max-problems",
            type=int,
            default=1000,
            help="Problems listed at most; all are counted (default 1000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(
            chunk_size=options["chunk_size"], max_problems=options["max_problems"]
        )
        if result.ok:
            # The head's seal, noted somewhere else (a ticket, a printout), lets a later run
            # show that the log was not cut back to an earlier point.
            self.stdout.write(
                self.style.SUCCESS(
                    f"The audit log is intact: {result.checked} entries, "
                    f"head #{result.head_sequence} {result.head_hash}."
                )
            )
            return
        for problem in result.problems:
            self.stderr.write(problem)
        hidden = result.problem_count - len(result.problems)
        if hidden:
            self.stderr.write(f"... and {hidden} more")
        if result.wrong_key_likely:
            self.stderr.write(
                "Every entry fails its seal: check that AUDIT_KEY (or var/audit_key) is the key "
                "the log was written with."
            )
        raise CommandError(
            f"The audit log was tampered with: {result.problem_count} problem(s) "
            f"in {result.checked} entries."
        )
