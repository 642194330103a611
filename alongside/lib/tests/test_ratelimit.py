from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from alongside.lib import ratelimit
from alongside.lib.models import RateLimitBucket

LIMIT: dict[str, Any] = {"purpose": "test", "subject": "203.0.113.7", "limit": 3, "window": 600}


def test_hits_are_allowed_up_to_the_limit_and_refused_after(db: Any) -> None:
    assert [ratelimit.hit(**LIMIT) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.reached(**LIMIT)
    assert RateLimitBucket.objects.get().hits == 3


def test_each_subject_and_purpose_has_its_own_count(db: Any) -> None:
    for _ in range(3):
        ratelimit.hit(**LIMIT)
    assert ratelimit.hit(**(LIMIT | {"subject": "198.51.100.2"}))
    assert ratelimit.hit(**(LIMIT | {"purpose": "other"}))
    assert not ratelimit.hit(**LIMIT)


def test_a_new_window_starts_counting_again_and_forgets_old_windows(db: Any, monkeypatch) -> None:
    for _ in range(3):
        ratelimit.hit(**LIMIT)
    later = timezone.now() + timedelta(seconds=601)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert ratelimit.hit(**LIMIT)
    assert RateLimitBucket.objects.count() == 1


def test_the_visitor_address_is_not_stored(db: Any) -> None:
    ratelimit.hit(**LIMIT)
    bucket = RateLimitBucket.objects.get()
    assert "203.0.113.7" not in bucket.key


@pytest.mark.django_db(transaction=True)
def test_requests_racing_for_the_last_places_get_exactly_the_limit() -> None:
    """Twelve requests at the same moment against a limit of 3: exactly three get through,
    on SQLite (IMMEDIATE transactions) and on PostgreSQL (row locks) alike."""
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    results: list[bool] = []
    barrier = threading.Barrier(12)
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait()
            allowed = ratelimit.hit(**LIMIT)
            with lock:
                results.append(allowed)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 12
    assert results.count(True) == 3
    assert RateLimitBucket.objects.get().hits == 3
