from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections

from alongside.lib.models import SentNotice
from alongside.lib.notices import claim_notice, release_notice, send_once


def test_a_notice_is_claimed_once_only(db: Any) -> None:
    assert claim_notice("training-reminder:1")
    assert not claim_notice("training-reminder:1")
    assert claim_notice("training-reminder:2")
    assert SentNotice.objects.count() == 2


def test_a_released_notice_can_be_claimed_again(db: Any) -> None:
    assert claim_notice("training-reminder:1")
    release_notice("training-reminder:1")
    assert claim_notice("training-reminder:1")


def test_a_refused_claim_leaves_the_surrounding_transaction_usable(db: Any) -> None:
    from django.db import transaction

    with transaction.atomic():
        claim_notice("training-reminder:1")
        assert not claim_notice("training-reminder:1")
        assert SentNotice.objects.filter(key="training-reminder:1").exists()


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_notice_let_exactly_one_send() -> None:
    results: list[bool] = []
    barrier = threading.Barrier(6)
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait()
            claimed = claim_notice("training-reminder:7")
            with lock:
                results.append(claimed)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]


def test_send_once_sends_on_the_first_claim_only(db: Any) -> None:
    calls: list[str] = []

    def send() -> int:
        calls.append("sent")
        return 1

    assert send_once("stage-notice:1", send) == 1
    assert send_once("stage-notice:1", send) == 0
    assert calls == ["sent"]
    assert SentNotice.objects.filter(key="stage-notice:1").exists()


def test_send_once_releases_the_claim_when_sending_fails(db: Any) -> None:
    def broken() -> int:
        raise ConnectionError("the mail server is down")

    with pytest.raises(ConnectionError):
        send_once("stage-notice:1", broken)
    assert not SentNotice.objects.filter(key="stage-notice:1").exists()
    assert send_once("stage-notice:1", lambda: 1) == 1
