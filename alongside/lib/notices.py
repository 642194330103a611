"""Sending a notice at most once, however often the task that sends it runs.

A reminder task may run twice (a retry, a second worker, an operator running it by hand); the
registrant must still get one reminder. The task claims the notice's key first and sends only
when the claim is new; when sending fails it releases the claim so that the next run retries:

    sent = send_once(key, lambda: send_notification(...))

The claim is committed on its own, before the email leaves: two runs racing for the same key
are decided by the database's unique constraint, not by who sends first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from alongside.lib.models import SentNotice


def claim_notice(key: str) -> bool:
    """True when this caller is the first to claim `key` and should send the notice."""
    try:
        with transaction.atomic():
            SentNotice.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def release_notice(key: str) -> None:
    """Forget the claim on `key` (the notice could not be sent), so that a later run sends it."""
    SentNotice.objects.filter(key=key).delete()


def send_once(key: str, send: Callable[[], int]) -> int:
    """Call `send` when this caller is the first to claim `key`; return what it returns (how
    many were sent), or 0 when the notice was claimed before. When `send` raises, the claim is
    released, so that a later run sends it, and the exception goes on."""
    if not claim_notice(key):
        return 0
    try:
        return send()
    except Exception:
        release_notice(key)
        raise
