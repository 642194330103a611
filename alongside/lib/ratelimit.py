"""Rate limits that hold under concurrent requests, across app servers.

A limit is a fixed window: at most `limit` hits per `window` seconds per key. Each window is one
row; a hit is a conditional UPDATE (`hits < limit`), which the database applies atomically, so
N requests racing for the last place let exactly one through on SQLite and PostgreSQL alike.
Keys are hashed with the site's secret: the table never holds a visitor's address.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from alongside.lib.models import RateLimitBucket


def bucket_key(purpose: str, subject: str, window_index: int) -> str:
    return salted_hmac("alongside.lib.ratelimit", f"{purpose}|{subject}|{window_index}").hexdigest()


def hit(*, purpose: str, subject: str, limit: int, window: int) -> bool:
    """Count one hit of `subject` (e.g. a client address) for `purpose`; False when the limit
    for the current window is already reached (the hit is then not counted)."""
    if limit < 1:
        return False
    now = timezone.now()
    index = math.floor(now.timestamp() / window)
    key = bucket_key(purpose, subject, index)
    window_ends_at = datetime.fromtimestamp((index + 1) * window, tz=UTC)
    buckets = RateLimitBucket.objects.filter(key=key, hits__lt=limit)
    with transaction.atomic():
        if buckets.update(hits=F("hits") + 1):
            return True
        try:
            with transaction.atomic():
                RateLimitBucket.objects.create(key=key, window_ends_at=window_ends_at, hits=1)
        except IntegrityError:
            # Another request created this window's row first: count against it.
            return bool(buckets.update(hits=F("hits") + 1))
    # The first hit of a new window: a good moment to forget windows that have ended.
    RateLimitBucket.objects.filter(window_ends_at__lt=now).delete()
    return True


def reached(*, purpose: str, subject: str, limit: int, window: int) -> bool:
    """Is the limit already reached? (Reading only: to refuse before doing costly work.)"""
    index = math.floor(timezone.now().timestamp() / window)
    key = bucket_key(purpose, subject, index)
    return RateLimitBucket.objects.filter(key=key, hits__gte=limit).exists()
