"""Closing holds under concurrency, on SQLite (IMMEDIATE transactions) and on PostgreSQL (the
proposal's row lock): two workers running the task at once close a proposal once; the last
answers racing each other close it once with every answer kept; an answer racing the deadline is
refused whichever runs first, and the proposal closes once. Real threads, each with its own
database connection."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from alongside.decisions.actions import closing
from alongside.decisions.models import Position, Proposal, Response, Stage
from alongside.decisions.tests.factories import (
    a_principle,
    add_member,
    make_proposal,
    respond,
    team_on_shift,
)
from alongside.lib.models import AuditEntry
from conftest import World, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*runs: Callable[[], Any]) -> list[Any]:
    """Run each callable in its own thread, all released at once; return what each returned
    (or raised)."""
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    barrier = threading.Barrier(len(runs))
    results: list[Any] = [None] * len(runs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except BaseException as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _closes(proposal: Proposal) -> int:
    return AuditEntry.objects.filter(action="close", target_id=str(proposal.pk)).count()


def test_two_workers_closing_at_once_close_each_proposal_once(world: World) -> None:
    due = [
        make_proposal(
            group=world.norcal,
            proposer=world.core,
            stage=Stage.TEST,
            test_end=timezone.now() - dt.timedelta(minutes=1),
        )
        for _number in range(3)
    ]
    for proposal in due:
        respond(proposal, world.core, Position.AGREE)
    now = timezone.now()

    results = _race(lambda: closing.close_due(now), lambda: closing.close_due(now))

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 3
    for proposal in due:
        proposal.refresh_from_db()
        assert (proposal.stage, proposal.outcome) == (Stage.CLOSED, "consensus")
        assert _closes(proposal) == 1


def test_an_answer_racing_the_deadline_is_refused_and_it_closes_once(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.TEST,
        test_end=timezone.now() - dt.timedelta(seconds=5),
    )
    respond(proposal, world.core, Position.AGREE)
    late = {"position": "block", "reason": "Too late", "principle": a_principle(world.norcal).pk}
    client = sign_in(Client(), world.volunteer, second_factor=False)
    url = f"/en/decisions/northern-california/{proposal.pk}/respond/"

    results = _race(
        lambda: client.post(url, late).status_code,
        lambda: closing.close_due(timezone.now()),
    )

    assert not [r for r in results if isinstance(r, BaseException)], results
    # Refused either way: closed by the task already, or too late under the lock (which closes
    # it there and then, and leaves the task nothing to do).
    assert results[0] == 302
    assert results[1] in (0, 1)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.closed_how == "deadline"
    assert _closes(proposal) == 1
    # Whichever came first, the outcome is the rule's for what was answered by the deadline.
    assert not Response.objects.filter(proposal=proposal, member=world.volunteer).exists()
    assert proposal.outcome_detail["tally"]["agree"] == 1
    assert proposal.outcome_detail["tally"]["block"] == 0
    assert proposal.outcome == "consensus"


def test_the_last_two_of_a_team_answering_at_once_close_it_once_with_both_answers(
    world: World,
) -> None:
    shift, people = team_on_shift(world.bilin, size=4)
    client = sign_in(Client(), people[0], second_factor=False)
    client.post(
        f"/en/field/decide/new/{shift.pk}/",
        {"title": "Stay?", "text": "We stay an hour more.", "minutes": 10},
    )
    proposal = Proposal.objects.get()
    for person in people[:2]:
        respond(proposal, person, Position.AGREE)
    clients = [sign_in(Client(), person, second_factor=False) for person in people[2:]]
    url = f"/en/field/decide/{proposal.pk}/respond/"

    results = _race(*[lambda c=c: c.post(url, {"position": "agree"}).status_code for c in clients])

    assert results == [302, 302]
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.closed_how == "all_responded"
    assert proposal.outcome_detail["tally"]["agree"] == 4
    assert _closes(proposal) == 1


def test_many_members_answering_at_once_each_keep_one_answer_in_force(world: World) -> None:
    members = [add_member(world.norcal, f"Racer{number} Member") for number in range(6)]
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    url = f"/en/decisions/northern-california/{proposal.pk}/respond/"
    clients = [sign_in(Client(), member, second_factor=False) for member in members]
    # Each taps twice at once (a double tap on a slow phone).
    jobs = [
        (lambda c=c: c.post(url, {"position": "agree"}).status_code) for c in clients for _ in "ab"
    ]

    results = _race(*jobs)

    assert results == [302] * len(jobs)
    for member in members:
        assert Response.objects.filter(proposal=proposal, member=member).count() == 1
