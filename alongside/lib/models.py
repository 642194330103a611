"""The platform's own records: the audit log of who read or changed what.

Entries are appended by `alongside.lib.audit.record` only. Each is sealed with an HMAC over its
content and the seal of the entry before it, so `manage.py verify_audit` finds an entry that was
edited, removed or moved. Entries hold ids, type names and field names, never the sensitive
values themselves, and no foreign keys: deleting a person must neither cascade into the log nor
change a sealed row (docs/decisions/0003-audit-log.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The `prev_hash` of the first entry: there is nothing before it.
GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit entry through the ORM."""


def _refuse(what: str) -> NoReturn:
    raise AppendOnlyError(f"The audit log is append-only: {what} is refused.")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def about(self, target: models.Model) -> AuditEntryQuerySet:
        """Everything recorded about one record: who read or changed it, and when."""
        return self.filter(target_type=target._meta.label_lower, target_id=str(target.pk))

    def by(self, user: Any) -> AuditEntryQuerySet:
        """Everything one person did; still answers after the person's account is deleted."""
        return self.filter(actor_id=user.pk)

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("updating entries")

    def delete(self) -> NoReturn:
        _refuse("deleting entries")

    def bulk_update(
        self, objs: Any, fields: Iterable[str], batch_size: int | None = None
    ) -> NoReturn:
        _refuse("updating entries")


class AuditEntry(models.Model):
    """One thing a person (or the platform itself) did to one record."""

    sequence = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    at = models.DateTimeField(_("when"), editable=False)
    # A plain id, not a foreign key: the entry outlives the account and stays verifiable.
    actor_id = models.BigIntegerField(_("person id"), null=True, blank=True, editable=False)
    actor_label = models.CharField(
        _("who"),
        max_length=32,
        editable=False,
        help_text=_('"user:<id>", "anonymous" for a visitor, or "system" for the platform.'),
    )
    action = models.CharField(_("action"), max_length=32, editable=False)
    target_type = models.CharField(_("record type"), max_length=100, blank=True, editable=False)
    target_id = models.CharField(_("record id"), max_length=64, blank=True, editable=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True, editable=False)
    # The resolved URL name and the method: paths and addresses could identify people.
    url_name = models.CharField(_("page"), max_length=200, blank=True, editable=False)
    method = models.CharField(_("method"), max_length=8, blank=True, editable=False)
    prev_hash = models.CharField(_("previous seal"), max_length=64, editable=False)
    hash = models.CharField(_("seal"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="lib_audit_target_idx"),
            models.Index(fields=["actor_id"], name="lib_audit_actor_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="lib_auditentry_sequence_positive"
            ),
            # Two writers that read the same head would fork the chain: the database refuses.
            # (Constraints rather than unique=True: no extra LIKE indexes on PostgreSQL.)
            models.UniqueConstraint(fields=["prev_hash"], name="lib_auditentry_prev_hash_unique"),
            models.UniqueConstraint(fields=["hash"], name="lib_auditentry_hash_unique"),
        ]

    def __str__(self) -> str:
        target = f" {self.target_type}:{self.target_id}" if self.target_type else ""
        return f"#{self.sequence} {self.actor_label} {self.action}{target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            _refuse("changing an entry")
        # Never let Django fall back to an UPDATE of a row that happens to share the id.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("deleting an entry")


class AuditChainHead(models.Model):
    """The number and seal of the newest entry, in a single row.

    Every append locks this row, so concurrent writers take turns instead of forking the chain,
    and updates it in the same transaction, so removing entries from the end of the log (which
    a chain alone cannot show) is noticed. Its own `mac` stops a forged head.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="lib_auditchainhead_single_row"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash[:16]}"


class RateLimitBucket(models.Model):
    """How many times one key (a hashed visitor address and purpose) acted in one fixed window.

    Kept in the database rather than the cache because a conditional UPDATE is atomic on
    SQLite and PostgreSQL alike: N requests racing for the last allowed hit let exactly one
    through, on one app server or many (see `alongside.lib.ratelimit`)."""

    key = models.CharField(max_length=64, unique=True)
    window_ends_at = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "rate limit bucket"

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.hits}"


class SentNotice(models.Model):
    """A notice (a reminder email, say) that has been sent, by a key naming what it was about.

    Claiming the key before sending (`alongside.lib.notices.claim_notice`) makes a task safe to
    run twice, or on two workers at once: the unique key lets exactly one of them send."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sent notice"

    def __str__(self) -> str:
        return self.key
