"""Proposals move to their next stage when a stage's deadline passes, once however often the task
runs, and never out of the test (closing is the close's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from alongside.decisions import notify
from alongside.decisions.actions import proposals as actions
from alongside.decisions.actions.stages import advance_due
from alongside.decisions.models import Proposal, ProposalKind, Stage
from alongside.decisions.tests.factories import make_proposal
from alongside.decisions.views.proposals import timeline
from alongside.lib.models import AuditEntry
from conftest import World, sign_in

BASE = "/en/decisions/northern-california/"


def _end(proposal: Proposal, name: str) -> dt.datetime:
    value = getattr(proposal, f"{name}_end")
    assert value is not None
    return value


@pytest.fixture
def stage_moves(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    sent: list[tuple[int, str]] = []
    monkeypatch.setattr(notify, "stage_started", lambda p: sent.append((p.pk, p.stage)))
    return sent


def test_a_stage_ends_at_its_deadline_and_the_next_begins(
    world: World, stage_moves: list[tuple[int, str]]
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.QUESTIONS)
    assert advance_due(_end(proposal, "questions") - dt.timedelta(minutes=1)) == 0
    at = _end(proposal, "questions")
    assert advance_due(at) == 1
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CONCERNS
    assert proposal.stage_started_at == at
    assert stage_moves == [(proposal.pk, Stage.CONCERNS)]
    # Run again at the same moment: nothing more happens.
    assert advance_due(at) == 0
    assert stage_moves == [(proposal.pk, Stage.CONCERNS)]
    entry = AuditEntry.objects.filter(action="stage", target_id=str(proposal.pk)).get()
    assert entry.actor_id is None
    assert entry.detail == {"from": "questions", "to": "concerns", "how": "deadline"}


def test_the_test_begins_after_the_amendments_and_is_never_closed_here(
    world: World, stage_moves: list[tuple[int, str]]
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.AMENDMENTS)
    advance_due(_end(proposal, "amendments"))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.TEST
    assert proposal.test_started_at == _end(proposal, "amendments")
    assert advance_due(_end(proposal, "test") + dt.timedelta(days=1)) == 0
    proposal.refresh_from_db()
    assert proposal.stage == Stage.TEST


def test_a_worker_stopped_for_days_catches_up_to_the_test_at_once(
    world: World, stage_moves: list[tuple[int, str]]
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.QUESTIONS)
    later = _end(proposal, "amendments") + dt.timedelta(minutes=5)
    assert advance_due(later) == 1
    proposal.refresh_from_db()
    assert proposal.stage == Stage.TEST
    # The members are told once, of the stage the proposal is in now.
    assert stage_moves == [(proposal.pk, Stage.TEST)]
    assert AuditEntry.objects.filter(action="stage", target_id=str(proposal.pk)).count() == 3


def test_drafts_closed_and_withdrawn_proposals_do_not_move(world: World) -> None:
    long_ago = timezone.now() - dt.timedelta(days=30)
    for stage in (Stage.DRAFT, Stage.WITHDRAWN):
        make_proposal(group=world.norcal, proposer=world.core, stage=stage, questions_end=long_ago)
    make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.CLOSED, outcome="consensus",
        closed_at=long_ago,
    )  # fmt: skip
    assert advance_due(timezone.now() + dt.timedelta(days=60)) == 0


def test_an_extended_deadline_holds_the_stage_until_then(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    old_end = _end(proposal, "concerns")
    actions.extend_stage(
        proposal_id=proposal.pk, actor=world.core, until=old_end + dt.timedelta(hours=6)
    )
    assert advance_due(old_end + dt.timedelta(minutes=1)) == 0
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CONCERNS
    assert advance_due(old_end + dt.timedelta(hours=6)) == 1


def test_a_further_discussion_leads_to_the_second_round(
    world: World, stage_moves: list[tuple[int, str]]
) -> None:
    now = timezone.now()
    proposal = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.DISCUSSION,
        discussion_end=now + dt.timedelta(days=3), paused_at=now - dt.timedelta(days=1),
    )  # fmt: skip
    advance_due(now + dt.timedelta(days=3))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.SECOND_ROUND
    assert proposal.round == 2
    assert proposal.paused_at is None
    assert proposal.second_round_end == now + dt.timedelta(days=6)
    page = sign_in(Client(), world.volunteer).get(f"{BASE}{proposal.pk}/").content.decode()
    assert "Further discussion" in page and "Second round" in page


def test_the_proposal_page_shows_each_stage_with_its_deadline(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    response = sign_in(Client(), world.volunteer).get(f"{BASE}{proposal.pk}/")
    timeline = response.context["timeline"]
    assert [step["state"] for step in timeline] == ["done", "current", "next", "next"]
    stages = ("questions", "concerns", "amendments", "test")
    assert [step["ends"] for step in timeline] == [_end(proposal, name) for name in stages]
    page = response.content.decode()
    assert 'aria-current="step"' in page and "(UTC)" in page


def test_a_quick_decision_shows_only_its_test(world: World) -> None:
    proposal = Proposal(kind=ProposalKind.QUICK, stage=Stage.TEST, test_end=timezone.now())
    assert [step["stage"] for step in timeline(proposal)] == [Stage.TEST]
