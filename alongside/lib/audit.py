"""The audit log: who read or changed what, never the values themselves.

Call `record(...)` from inside the action's `transaction.atomic()` block, so that the entry is
committed exactly when the change is; a read that changes nothing may call it on its own.

Each entry is sealed with HMAC-SHA256, keyed with the audit key, over a canonical JSON of its
content and the previous entry's seal. Someone who can write to the database but does not hold
the key can neither edit an entry nor forge a replacement chain; `verify_chain` (and
`manage.py verify_audit`) names every entry that was edited, removed or moved. The key comes
from `settings.AUDIT_KEY`, else the `AUDIT_KEY` environment variable, else `var/audit_key`,
generated on first run (mode 0600). See docs/decisions/0003-audit-log.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from alongside.lib.models import GENESIS_HASH, AuditChainHead, AuditEntry

# What `detail` may hold: facts about a change (field names, counts, a status), never content.
# Anything longer than a short label or shaped like prose is refused rather than truncated:
# the start of a sensitive text is still sensitive.
DETAIL_MAX_KEYS = 20
DETAIL_MAX_TEXT = 64
DETAIL_MAX_LIST = 50
_DETAIL_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_ACTION = re.compile(r"[a-z][a-z0-9_.-]{0,31}")
# Whitespace too: labels (field names, statuses, slugs) never need it; names and sentences do.
_NOT_A_LABEL = re.compile(r"[\s\x00-\x1f\x7f]")
# Larger integers lose precision in many JSON readers, which would break a seal outside Python.
_MAX_SAFE_INT = 2**53 - 1

DetailValue = str | int | bool | None | list[str]


class AuditDetailError(ValueError):
    """`detail` holds something that might carry content. The message never repeats the value."""


class AuditChainBroken(RuntimeError):
    """The chain head is gone while entries remain: appending would hide the damage."""


# --- recording -----------------------------------------------------------------------------


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    detail: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Append one entry and return it.

    `actor` is a User, an AnonymousUser (a visitor) or None (the platform itself: tasks,
    commands). `action` is a short verb such as "read", "update" or "export". `target` is a
    saved model instance: its type and primary key are recorded, never its values; record a
    deletion before deleting, while the instance still has its key. `detail` holds a few
    non-sensitive facts, such as the names of the fields changed (see `clean_detail`).
    `request` contributes the resolved URL name and the method, never the path, the address
    or the browser.
    """
    actor_id, actor_label = _actor(actor)
    entry = AuditEntry(
        actor_id=actor_id,
        actor_label=actor_label,
        action=_clean_action(action),
        detail=clean_detail(detail),
    )
    entry.target_type, entry.target_id = _target(target)
    entry.url_name, entry.method = _request_facts(request)
    using = router.db_for_write(AuditEntry)
    with transaction.atomic(using=using):
        head = _lock_head(using)
        entry.sequence = head.sequence + 1
        entry.prev_hash = head.hash
        # Taken under the lock, so that time never runs backwards along the chain on one clock.
        entry.at = timezone.now()
        entry.hash = seal_entry(entry)
        entry.save(using=using)
        head.sequence = entry.sequence
        head.hash = entry.hash
        head.mac = seal_head(head.sequence, head.hash)
        head.save(using=using, update_fields=["sequence", "hash", "mac"])
    return entry


def _lock_head(using: str) -> AuditChainHead:
    """The chain head, locked until the transaction ends.

    On PostgreSQL `FOR UPDATE` makes the second of two concurrent writers wait and then read the
    head the first one wrote; on SQLite the IMMEDIATE transaction already holds the write lock.
    The row is created on first use (also after a test flush), never while entries exist.
    """
    heads = AuditChainHead.objects.using(using).select_for_update()
    head = heads.filter(pk=1).first()
    if head is not None:
        return head
    # Two first writers may race here: the loser's insert waits for the winner, then does
    # nothing, and its locking read below sees the winner's head.
    AuditChainHead.objects.using(using).bulk_create(
        [AuditChainHead(pk=1, sequence=0, hash=GENESIS_HASH, mac=seal_head(0, GENESIS_HASH))],
        ignore_conflicts=True,
    )
    head = heads.get(pk=1)
    if head.sequence == 0 and AuditEntry.objects.using(using).exists():
        # Someone removed the head: starting a new chain would hide what they did.
        raise AuditChainBroken(
            "The audit chain head is missing while entries exist; run manage.py verify_audit."
        )
    return head


def _actor(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, "system"
    if not actor.is_authenticated:
        return None, "anonymous"
    return int(actor.pk), f"user:{actor.pk}"


def _clean_action(action: str) -> str:
    if not isinstance(action, str) or not _ACTION.fullmatch(action):
        raise AuditDetailError(
            "An audit action is a short lowercase verb such as 'read' or 'update'."
        )
    return action


def _target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if target.pk is None:
        raise ValueError(
            "An audit target needs a primary key: record a creation after saving and a "
            "deletion before deleting."
        )
    target_id = str(target.pk)
    if len(target_id) > 64:
        raise ValueError("An audit target's primary key must fit in 64 characters.")
    return target._meta.label_lower, target_id


def _request_facts(request: HttpRequest | None) -> tuple[str, str]:
    if request is None:
        return "", ""
    match = getattr(request, "resolver_match", None)
    url_name = match.view_name if match is not None else ""
    return url_name[:200], (request.method or "")[:8]


def clean_detail(detail: Mapping[str, object] | None) -> dict[str, DetailValue]:
    """`detail` as it will be stored, or AuditDetailError.

    Allowed: up to 20 keys that are lowercase identifiers (at most 40 characters), each mapped
    to None, a bool, an integer (at most 2**53 - 1 either way), a label (a text of at most 64
    characters without spaces or control characters), or a list of at most 50 labels.
    Everything else (longer texts, floats, nested objects, dates) is refused, never truncated.
    """
    if not detail:
        return {}
    if not isinstance(detail, Mapping):
        raise AuditDetailError("Audit detail must be a mapping of names to small facts.")
    if len(detail) > DETAIL_MAX_KEYS:
        raise AuditDetailError(f"Audit detail may hold at most {DETAIL_MAX_KEYS} keys.")
    cleaned: dict[str, DetailValue] = {}
    for key, value in detail.items():
        if not isinstance(key, str) or not _DETAIL_KEY.fullmatch(key):
            raise AuditDetailError(
                "Audit detail keys are lowercase identifiers of at most 40 characters."
            )
        cleaned[key] = _clean_value(key, value)
    return cleaned


def _clean_value(key: str, value: object) -> DetailValue:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE_INT:
            raise AuditDetailError(f"Audit detail {key!r}: the number is too large.")
        return int(value)
    if isinstance(value, str):
        return _short_text(key, value)
    if isinstance(value, list | tuple | set | frozenset):
        if len(value) > DETAIL_MAX_LIST:
            raise AuditDetailError(
                f"Audit detail {key!r}: a list may hold at most {DETAIL_MAX_LIST} items."
            )
        items = sorted(value) if isinstance(value, set | frozenset) else list(value)
        return [_short_text(key, item) for item in items]
    raise AuditDetailError(
        f"Audit detail {key!r}: a {type(value).__name__} is not allowed; "
        "use a short text, a number, a bool, None or a list of short texts."
    )


def _short_text(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise AuditDetailError(f"Audit detail {key!r}: list items must be short texts.")
    # A text choice (an enum) is stored as its plain value.
    text = value.value if isinstance(value, enum.Enum) else value
    text = str.__str__(text)
    if len(text) > DETAIL_MAX_TEXT or _NOT_A_LABEL.search(text):
        raise AuditDetailError(
            f"Audit detail {key!r}: texts are labels of at most {DETAIL_MAX_TEXT} characters "
            "without spaces, never content."
        )
    return text


# --- sealing -------------------------------------------------------------------------------


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's seal covers: every field but its number and its own seal.

    The number is left out on purpose: the order is fixed by each seal covering the one
    before, so an entry moved elsewhere still verifies on its own and is reported as out of
    order rather than as edited.
    """
    at = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload = {
        "action": entry.action,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "at": at,
        "detail": entry.detail,
        "method": entry.method,
        "prev_hash": entry.prev_hash,
        "target_id": entry.target_id,
        "target_type": entry.target_type,
        "url_name": entry.url_name,
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def seal_entry(entry: AuditEntry) -> str:
    return hmac.new(
        audit_key(), b"alongside.audit.entry\x00" + canonical(entry), hashlib.sha256
    ).hexdigest()


def seal_head(sequence: int, hash_: str) -> str:
    message = f"alongside.audit.head\x00{sequence}\x00{hash_}".encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def audit_key() -> bytes:
    key = getattr(settings, "AUDIT_KEY", None) or os.environ.get("AUDIT_KEY")
    if not key:
        key = _key_from_file(Path(settings.VAR_DIR) / "audit_key")
    if len(key) < 32:
        raise ImproperlyConfigured("AUDIT_KEY must be at least 32 characters long.")
    return key.encode("utf-8")


@functools.cache
def _key_from_file(path: Path) -> str:
    if not path.exists():
        # Written whole to a private temporary file, then linked into place: the web server and
        # the worker starting at once agree on one key, and neither reads a half-written file.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


# --- verifying -----------------------------------------------------------------------------


@dataclass
class Verification:
    """What `verify_chain` found: how many entries it checked and what is wrong with them."""

    checked: int = 0
    edited: int = 0
    head_sequence: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    max_problems: int = 1000

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def wrong_key_likely(self) -> bool:
        """Every seal fails: more likely a different AUDIT_KEY than a rewrite of everything."""
        return self.checked > 1 and self.edited == self.checked

    def add(self, problem: str) -> None:
        # Count everything but keep only the first ones: a log of millions could otherwise
        # produce a report of millions of lines.
        self.problem_count += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"entry #{first} is missing"
    return f"entries #{first} to #{last} are missing"


def verify_chain(*, chunk_size: int = 2000, max_problems: int = 1000) -> Verification:
    """Walk the whole log in number order, streaming, and report every entry that was edited,
    removed or moved, and a head that does not match the last entry."""
    result = Verification(max_problems=max_problems)
    using = router.db_for_read(AuditEntry)
    # The head first: entries appended while we walk lie beyond it and wait for the next run.
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    entries = AuditEntry.objects.using(using).order_by("sequence")
    if head is not None:
        entries = entries.filter(sequence__lte=head.sequence)

    expected_sequence = 1
    expected_prev = GENESIS_HASH
    prev_sealed = True
    out_of_order: set[int] = set()
    last: AuditEntry | None = None
    for entry in entries.iterator(chunk_size=chunk_size):
        result.checked += 1
        sealed = hmac.compare_digest(seal_entry(entry), entry.hash)
        gap = entry.sequence > expected_sequence
        if gap:
            result.add(_missing(expected_sequence, entry.sequence - 1))
        if not sealed:
            result.edited += 1
            result.add(f"entry #{entry.sequence} was edited")
        # A gap or an edited entry already explains a broken link next to it; only a link
        # between two intact neighbours says that something is missing or moved.
        if not gap and sealed and prev_sealed and entry.prev_hash != expected_prev:
            problem = _diagnose_link(entry, using, out_of_order)
            if problem:
                result.add(problem)
        expected_sequence = entry.sequence + 1
        expected_prev = entry.hash
        prev_sealed = sealed
        last = entry

    _check_head(
        result,
        head,
        last,
        last_explained=last is not None and (not prev_sealed or last.sequence in out_of_order),
    )
    return result


def _diagnose_link(entry: AuditEntry, using: str, out_of_order: set[int]) -> str | None:
    """Why `entry` does not follow the entry numbered before it."""
    if entry.prev_hash == GENESIS_HASH:
        predecessor: int | None = 0
    else:
        predecessor = (
            AuditEntry.objects.using(using)
            .filter(hash=entry.prev_hash)
            .values_list("sequence", flat=True)
            .first()
        )
    if predecessor is None:
        return f"an entry is missing just before #{entry.sequence}"
    if out_of_order & {entry.sequence, entry.sequence - 1, predecessor}:
        # The other side of a swap or move already reported.
        return None
    out_of_order.update({entry.sequence, predecessor})
    if predecessor > entry.sequence:
        return f"entries #{entry.sequence} and #{predecessor} are out of order"
    return f"entries #{predecessor + 1} and #{entry.sequence} are out of order"


def _check_head(
    result: Verification,
    head: AuditChainHead | None,
    last: AuditEntry | None,
    *,
    last_explained: bool,
) -> None:
    if head is None:
        if last is not None:
            result.add("the chain head is missing")
        return
    result.head_sequence, result.head_hash = head.sequence, head.hash
    if not hmac.compare_digest(seal_head(head.sequence, head.hash), head.mac):
        result.add("the chain head was edited")
        return
    last_sequence = last.sequence if last is not None else 0
    if last_sequence < head.sequence:
        result.add(_missing(last_sequence + 1, head.sequence))
    elif last is not None and last.hash != head.hash and not last_explained:
        result.add(f"entry #{last.sequence} is not the last entry written")
