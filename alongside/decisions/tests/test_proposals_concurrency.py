"""Two workers that run the stage task at the same moment, or the facilitator extending a
deadline as it passes, move a proposal once: real threads, each with its own database
connection, on SQLite (IMMEDIATE transactions) and on PostgreSQL (the proposal's row lock)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from alongside.decisions.actions import DecisionError
from alongside.decisions.actions import proposals as actions
from alongside.decisions.actions.stages import advance_due
from alongside.decisions.models import Stage
from alongside.decisions.tests.factories import make_proposal
from alongside.lib.models import AuditEntry
from conftest import World

RACERS = 4


def _race(tasks: list[Callable[[], object]]) -> list[BaseException]:
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    barrier = threading.Barrier(len(tasks))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def run(task: Callable[[], object]) -> None:
        try:
            barrier.wait()
            task()
        except DecisionError:
            pass  # a refusal the loser may get: the state it found had moved on
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_workers_racing_at_a_deadline_move_the_proposal_once(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.AMENDMENTS)
    assert proposal.amendments_end is not None
    at = proposal.amendments_end + dt.timedelta(seconds=1)
    errors = _race([lambda: advance_due(at) for _ in range(RACERS)])
    assert not errors, errors
    proposal.refresh_from_db()
    assert proposal.stage == Stage.TEST
    assert AuditEntry.objects.filter(action="stage", target_id=str(proposal.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_moving_on_while_the_deadline_passes_moves_one_stage(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.QUESTIONS)
    assert proposal.questions_end is not None
    at = proposal.questions_end + dt.timedelta(seconds=1)
    errors = _race(
        [
            lambda: advance_due(at),
            lambda: actions.move_on(
                proposal_id=proposal.pk, actor=world.core, stage=Stage.QUESTIONS, now=at
            ),
        ]
    )
    assert not errors, errors
    proposal.refresh_from_db()
    # Whichever ran first, the proposal went from the questions to the concerns, not further.
    assert proposal.stage == Stage.CONCERNS
    assert AuditEntry.objects.filter(action="stage", target_id=str(proposal.pk)).count() == 1
