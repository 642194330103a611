"""Rotate the keys of encrypted fields (alongside.lib.crypto).

    manage.py rotate_keys --new-key      add a current key, then re-encrypt under it
    manage.py rotate_keys                re-encrypt what is not under the current key yet
    manage.py rotate_keys --status       report which keys encrypt how many values
    manage.py rotate_keys --retire KID   remove a key that no value uses any more
    manage.py rotate_keys --generate     print a fresh kid:key for ENCRYPTION_KEYS

Re-encryption goes in batches of rows, each batch in its own transaction, so it can be stopped
at any moment (Ctrl-C, --max-batches) and run again: values already under the current key are
not selected again, so a second run continues where the first stopped.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, router, transaction

from alongside.lib import crypto


@dataclass
class _Progress:
    batches: int = 0
    values: int = 0
    failures: list[str] = field(default_factory=list)
    max_batches: int | None = None

    @property
    def stopped(self) -> bool:
        return self.max_batches is not None and self.batches >= self.max_batches


def _stale(fields: list[crypto.EncryptedTextField], current: str) -> models.Q:
    """Rows with a value in any of `fields` that is not under the current key.

    `__gt=""` leaves out NULL and "", which are never encrypted, so such rows are never
    selected again and every run ends.
    """
    prefix = f"{crypto.VERSION}:{current}:"
    conditions = [
        models.Q(**{f"{encrypted.attname}__gt": ""})
        & ~models.Q(**{f"{encrypted.attname}__startswith": prefix})
        for encrypted in fields
    ]
    return reduce(operator.or_, conditions)


class Command(BaseCommand):
    help = "Add an encryption key, re-encrypt values under it, report and retire old keys."

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--new-key",
            action="store_true",
            help="Add a new current key to the keys file, then re-encrypt.",
        )
        action.add_argument(
            "--status", action="store_true", help="Only report which keys are in use."
        )
        action.add_argument("--retire", metavar="KID", help="Remove a key no value uses.")
        action.add_argument(
            "--generate",
            action="store_true",
            help="Print a fresh kid:key for ENCRYPTION_KEYS and change nothing.",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        parser.add_argument(
            "--max-batches", type=int, help="Stop after this many batches (run again to go on)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["generate"]:
            kid = crypto.new_key_id()
            self.stdout.write(f"{kid}:{crypto.generate_key()}")
            return
        if options["retire"]:
            self._retire(options["retire"])
            return
        if options["new_key"]:
            try:
                kid = crypto.add_key_to_file()
            except crypto.KeyConfigurationError as error:
                raise CommandError(f"{error} (rotate_keys --generate prints one).") from None
            self.stdout.write(f"New current key: {kid}")
        progress = _Progress(max_batches=options["max_batches"])
        if not options["status"]:
            self._reencrypt(batch_size=options["batch_size"], progress=progress)
            if progress.stopped:
                self.stdout.write(
                    f"Stopped after {progress.batches} batches; run rotate_keys again to go on."
                )
            self.stdout.write(f"Re-encrypted {progress.values} values.")
        left = self._report()
        if progress.failures:
            raise CommandError(
                f"{len(progress.failures)} values could not be decrypted and were left as they "
                "are: " + ", ".join(progress.failures)
            )
        if options["status"] and left:
            self.stdout.write("Run rotate_keys to re-encrypt them.")

    def _reencrypt(self, *, batch_size: int, progress: _Progress) -> None:
        current = crypto.current_key_id()
        for model, fields in crypto.encrypted_fields():
            if progress.stopped:
                return
            self._reencrypt_model(model, fields, current, batch_size, progress)
        for source in crypto.token_sources():
            while not progress.stopped:
                done = source.reencrypt_batch(batch_size)
                if not done:
                    break
                progress.batches += 1
                progress.values += done
                self.stdout.write(f"{source.label}: re-encrypted {done} values")

    def _reencrypt_model(
        self,
        model: type[models.Model],
        fields: list[crypto.EncryptedTextField],
        current: str,
        batch_size: int,
        progress: _Progress,
    ) -> None:
        label = model._meta.label
        using = router.db_for_write(model)
        manager = model._base_manager.db_manager(using)
        stale = _stale(fields, current)
        total = manager.filter(stale).count()
        if not total:
            return
        self.stdout.write(f"{label}: {total} rows to re-encrypt")
        done_rows = 0
        last_pk: Any = None
        while not progress.stopped:
            # Keyset pagination: a row that cannot be decrypted stays stale, and must not be
            # selected again and again.
            candidates = manager.filter(stale).order_by("pk")
            if last_pk is not None:
                candidates = candidates.filter(pk__gt=last_pk)
            pks = list(candidates.values_list("pk", flat=True)[:batch_size])
            if not pks:
                return
            with transaction.atomic(using=using):
                rows = (
                    manager.select_for_update()
                    .filter(pk__in=pks)
                    .order_by("pk")
                    .only("pk", "row_key", *[f.attname for f in fields])
                )
                for row in rows:
                    progress.values += self._reencrypt_row(row, fields, current, progress)
            last_pk = pks[-1]
            done_rows += len(pks)
            progress.batches += 1
            self.stdout.write(f"{label}: {min(done_rows, total)}/{total} rows")

    def _reencrypt_row(
        self,
        row: models.Model,
        fields: list[crypto.EncryptedTextField],
        current: str,
        progress: _Progress,
    ) -> int:
        stale = [
            f
            for f in fields
            if row.__dict__.get(f.attname) and crypto.key_id_of(row.__dict__[f.attname]) != current
        ]
        try:
            for encrypted in stale:
                # Reading decrypts under the old key; save() encrypts under the current one.
                getattr(row, encrypted.attname)
        except crypto.DecryptionError:
            # The pk and field name only: never the value.
            progress.failures.append(f"{row._meta.label} pk={row.pk}")
            return 0
        if stale:
            row.save(update_fields=[f.name for f in stale])
        return len(stale)

    def _report(self) -> int:
        """Print the values per key and return how many are not under the current key."""
        ring = crypto.key_ring()
        usage = crypto.count_key_usage()
        self.stdout.write(f"Current key: {ring.current} (keys: {', '.join(ring.kids)})")
        left = 0
        for label, counter in usage.items():
            if counter:
                counts = ", ".join(f"{kid} {count}" for kid, count in sorted(counter.items()))
                self.stdout.write(f"  {label}: {counts}")
            left += sum(count for kid, count in counter.items() if kid != ring.current)
        self.stdout.write(f"Left to re-encrypt: {left} values")
        # A store that never registered is invisible here, so say which ones were counted.
        others = ", ".join(source.label for source in crypto.token_sources()) or "none registered"
        self.stdout.write(f"Values kept outside encrypted fields, counted from: {others}")
        in_use = {kid for counter in usage.values() for kid in counter}
        for kid in ring.kids:
            if kid != ring.current and kid not in in_use:
                self.stdout.write(
                    f"Key {kid} encrypts nothing; retire it with: rotate_keys --retire {kid}"
                )
        return left

    def _retire(self, kid: str) -> None:
        ring = crypto.key_ring()
        if kid not in ring.kids:
            raise CommandError(f"There is no key {kid!r}.")
        if kid == ring.current:
            raise CommandError(f"{kid} is the current key; add a new one first (--new-key).")
        in_use = sum(counter[kid] for counter in crypto.count_key_usage().values())
        if in_use:
            raise CommandError(
                f"Key {kid} still encrypts {in_use} values; run rotate_keys first, then retire it."
            )
        try:
            crypto.remove_key_from_file(kid)
        except crypto.KeyConfigurationError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Retired key {kid}.")
