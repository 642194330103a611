"""Closing a proposal: at its deadline (the task, to the minute), or as soon as everyone has
answered; the outcome computed by the group's rule and stored with the rule and the numbers;
the same result whichever comes first, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alongside.decisions.actions import DecisionError, closing
from alongside.decisions.actions.responses import record_response
from alongside.decisions.models import (
    Absence,
    ClosedHow,
    DecisionRule,
    Fallback,
    Outcome,
    Position,
    Proposal,
    Stage,
)
from alongside.decisions.tasks import advance_proposals
from alongside.decisions.tests.factories import a_principle, add_member, make_proposal, respond
from alongside.lib.models import AuditEntry
from conftest import World, sign_in


def _due(world: World, **fields: Any) -> Proposal:
    """A Northern California proposal whose test ended a minute ago."""
    return make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.TEST,
        test_end=timezone.now() - dt.timedelta(minutes=1),
        **fields,
    )


def _closes(proposal: Proposal) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="close", target_id=str(proposal.pk)))


def test_the_task_closes_a_test_whose_deadline_passed_with_the_rule_and_numbers(
    world: World,
) -> None:
    proposal = _due(world)
    respond(proposal, world.core, Position.AGREE)
    respond(proposal, world.volunteer, Position.STAND_ASIDE)

    advance_proposals.call()

    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.outcome == Outcome.CONSENSUS
    assert proposal.closed_how == ClosedHow.DEADLINE
    assert proposal.closed_at is not None
    detail = proposal.outcome_detail
    assert detail["rule"]["quorum_percent"] == 50
    assert detail["tally"] == {
        "members": 2,
        "excused": 0,
        "agree": 1,
        "reservations": 0,
        "stand_aside": 1,
        "block": 0,
        "abstain": 0,
        "round": 1,
    }
    assert detail["reasons"] == ["quorum_met", "consensus_reached"]
    [entry] = _closes(proposal)
    assert entry.actor_id is None
    assert entry.detail["outcome"] == "consensus" and entry.detail["how"] == "deadline"


def test_the_task_run_twice_changes_nothing_more(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = _due(world)
    respond(proposal, world.core, Position.AGREE)
    with django_capture_on_commit_callbacks(execute=True):
        assert advance_proposals.call() == 1
    first = Proposal.objects.get(pk=proposal.pk)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert advance_proposals.call() == 0
    again = Proposal.objects.get(pk=proposal.pk)
    assert (again.stage, again.outcome, again.closed_at, again.outcome_detail) == (
        first.stage,
        first.outcome,
        first.closed_at,
        first.outcome_detail,
    )
    assert len(_closes(proposal)) == 1
    assert len(mail.outbox) == sent


def test_a_test_not_yet_due_stays_open(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    advance_proposals.call()
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.TEST


def test_a_deadline_extended_in_the_meantime_is_looked_at_again_under_the_lock(
    world: World,
) -> None:
    proposal = _due(world)
    respond(proposal, world.core, Position.AGREE)
    # Found due by the query, then extended before the lock was taken.
    later = timezone.now() + dt.timedelta(hours=1)
    Proposal.objects.filter(pk=proposal.pk).update(test_end=later)
    assert closing.close_due(timezone.now()) == 0
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.TEST


def test_it_closes_as_soon_as_everyone_has_answered(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    record_response(proposal=proposal, member=world.core, position=Position.AGREE)
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.TEST

    record_response(proposal=proposal, member=world.volunteer, position=Position.AGREE)

    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.closed_how == ClosedHow.ALL_RESPONDED
    assert proposal.outcome == Outcome.CONSENSUS
    [entry] = _closes(proposal)
    assert entry.actor_id == world.volunteer.pk


def test_the_last_answer_through_the_page_closes_it_and_says_so(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    respond(proposal, world.core, Position.AGREE)
    client = sign_in(Client(), world.volunteer, second_factor=False)
    response = client.post(
        f"/en/decisions/northern-california/{proposal.pk}/respond/",
        {"position": "agree"},
        follow=True,
    )
    assert "the proposal is now closed" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.CLOSED


def test_too_few_answers_at_the_deadline_is_no_quorum(world: World) -> None:
    for number in range(3):
        add_member(world.norcal, f"Quiet{number} Member")
    proposal = _due(world)
    respond(proposal, world.core, Position.AGREE)
    advance_proposals.call()
    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.NO_QUORUM
    assert proposal.outcome_detail["quorum_needed"] == 3


def test_members_away_on_excused_absence_do_not_count_against_the_quorum(world: World) -> None:
    away = [add_member(world.norcal, f"Away{number} Member") for number in range(3)]
    today = timezone.localdate()
    for member in away:
        Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
            group=world.norcal,
            member=member,
            starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=5),
        )
    proposal = _due(world)
    respond(proposal, world.core, Position.AGREE)
    advance_proposals.call()
    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.CONSENSUS
    assert proposal.outcome_detail["tally"]["excused"] == 3
    assert proposal.outcome_detail["tally"]["members"] == 5


def test_an_absence_in_another_group_excuses_nobody(world: World) -> None:
    member = add_member(world.norcal, "Away Member")
    Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
        group=world.london,
        member=member,
        starts_on=timezone.localdate() - dt.timedelta(days=1),
        ends_on=timezone.localdate(),
    )
    proposal = _due(world)
    assert closing.tally_for(proposal, timezone.now()).excused == 0


def test_only_the_current_versions_answers_count(world: World) -> None:
    proposal = _due(world)
    respond(proposal, world.core, Position.AGREE)
    respond(proposal, world.volunteer, Position.AGREE)
    Proposal.objects.filter(pk=proposal.pk).update(version=2)
    proposal.refresh_from_db()
    assert closing.tally_for(proposal, timezone.now()).responded == 0


def test_every_close_calls_the_effects_inside_its_transaction(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, str]] = []
    monkeypatch.setattr(
        closing.effects,
        "apply_outcome",
        lambda proposal: seen.append((proposal.pk, proposal.outcome)),
    )
    agreed = _due(world)
    respond(agreed, world.core, Position.AGREE)
    failed = _due(world)
    advance_proposals.call()
    assert sorted(seen) == sorted([(agreed.pk, "consensus"), (failed.pk, "no_quorum")])


def test_a_failing_effect_leaves_the_proposal_open_for_the_next_run(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(proposal: Proposal) -> None:
        raise RuntimeError("the effect failed")

    monkeypatch.setattr(closing.effects, "apply_outcome", broken)
    proposal = _due(world)
    other = _due(world)
    with pytest.raises(RuntimeError):
        closing.close_due(timezone.now())
    # Neither was closed half-way: the outcome and the effect commit together or not at all.
    assert set(
        Proposal.objects.filter(pk__in=[proposal.pk, other.pk]).values_list("stage", flat=True)
    ) == {Stage.TEST}
    assert not AuditEntry.objects.filter(action="close").exists()


def test_nothing_is_answered_after_the_close(world: World) -> None:
    proposal = _due(world)
    respond(proposal, world.core, Position.AGREE)
    advance_proposals.call()
    with pytest.raises(DecisionError):
        record_response(proposal=proposal, member=world.volunteer, position=Position.AGREE)


def test_closing_a_closed_proposal_again_does_nothing(world: World) -> None:
    proposal = _due(world)
    now = timezone.now()
    assert closing.close_proposal(proposal_id=proposal.pk, now=now) is not None
    assert closing.close_proposal(proposal_id=proposal.pk, now=now) is None
    assert len(_closes(proposal)) == 1


def test_with_a_supermajority_fallback_a_block_leads_to_a_discussion_then_a_second_round(
    world: World,
) -> None:
    DecisionRule.objects.create(group=world.norcal, fallback=Fallback.SUPERMAJORITY)
    others = [add_member(world.norcal, f"Other{number} Member") for number in range(3)]
    proposal = _due(world)
    respond(proposal, world.core, Position.AGREE)
    for member in others:
        respond(proposal, member, Position.AGREE)
    respond(proposal, world.volunteer, Position.BLOCK, principle=a_principle(world.norcal))
    Proposal.objects.filter(pk=proposal.pk).update(paused_at=timezone.now())

    advance_proposals.call()

    proposal.refresh_from_db()
    assert proposal.stage == Stage.DISCUSSION
    assert proposal.outcome == "" and proposal.paused_at is None
    assert proposal.discussion_end is not None and proposal.second_round_end is not None
    assert proposal.outcome_detail["first_round"]["outcome"] == "second_round"
    assert AuditEntry.objects.filter(action="second_round", target_id=str(proposal.pk)).exists()
    assert not _closes(proposal)

    # The discussion ends; the second round begins (actions/stages), everyone answers afresh.
    Proposal.objects.filter(pk=proposal.pk).update(
        discussion_end=timezone.now() - dt.timedelta(minutes=1)
    )
    advance_proposals.call()
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.round) == (Stage.SECOND_ROUND, 2)
    for member in [world.core, *others]:
        record_response(proposal=proposal, member=member, position=Position.AGREE)
    record_response(
        proposal=proposal,
        member=world.volunteer,
        position=Position.BLOCK,
        reason="Still no.",
        principle=a_principle(world.norcal),
    )
    # Everyone answered in the second round: a block no longer holds it open.
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.outcome == Outcome.FALLBACK_PASSED
    assert proposal.outcome_detail["round"] == 2
    assert proposal.outcome_detail["first_round"]["outcome"] == "second_round"
