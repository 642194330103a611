"""What a closed proposal does: the group's consensus grants the core role, adopts a decision
rule, gives and withdraws mandates, ratifies emergency decisions; anything not agreed changes
nothing (except that a ratification not agreed is refused)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from alongside.decisions.actions import closing
from alongside.decisions.actions.effects import apply_outcome
from alongside.decisions.models import (
    Body,
    ClosedHow,
    DecisionRule,
    Mandate,
    MandateHolder,
    Outcome,
    ProposalKind,
    Ratification,
    Stage,
)
from alongside.decisions.tests.factories import (
    close_as,
    join_group,
    make_mandate,
    make_proposal,
    respond,
)
from alongside.lib.models import AuditEntry
from alongside.movement.models import Membership, Role
from conftest import World, sign_in

RULE_TERMS = {
    "quorum_percent": 60,
    "weak_at_stand_asides": 2,
    "block_needs_second": True,
    "fallback": "minus_one",
    "supermajority_percent": 75,
}


def _mandate_terms(**changes: object) -> dict[str, object]:
    terms: dict[str, object] = {
        "holder": MandateHolder.SHIFT_TEAMS,
        "title": "Leave when soldiers close the road",
        "scope": "A team on shift may decide to leave an action.",
        "limits": "Only for the safety of the team.",
        "until": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        "report_back": "At the weekly meeting",
    }
    terms.update(changes)
    return terms


def test_consensus_on_joining_the_core_group_grants_the_core_role(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.volunteer,
        kind=ProposalKind.CORE_MEMBERSHIP,
        candidate=world.volunteer,
        stage=Stage.TEST,
    )
    close_as(proposal, Outcome.CONSENSUS)
    apply_outcome(proposal)
    assert Membership.objects.filter(
        group=world.norcal, user=world.volunteer, role=Role.CORE
    ).exists()
    entry = AuditEntry.objects.filter(action="carry_out", target_id=str(proposal.pk)).get()
    assert entry.actor_id is None
    assert entry.detail["effect"] == "grant_core" and entry.detail["done"] is True


@pytest.mark.parametrize("outcome", [Outcome.BLOCKED, Outcome.NO_QUORUM, Outcome.NO_SUPPORT])
def test_no_consensus_grants_nothing(world: World, outcome: str) -> None:
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.volunteer,
        kind=ProposalKind.CORE_MEMBERSHIP,
        candidate=world.volunteer,
        stage=Stage.TEST,
    )
    close_as(proposal, outcome, agree=1, block=1)
    apply_outcome(proposal)
    assert not Membership.objects.filter(user=world.volunteer, role=Role.CORE).exists()
    assert not AuditEntry.objects.filter(action="carry_out").exists()


def test_a_candidate_who_left_the_group_is_not_made_core(world: World) -> None:
    candidate = join_group(world.norcal, "Leila Leaving")
    proposal = make_proposal(
        group=world.norcal,
        proposer=candidate,
        kind=ProposalKind.CORE_MEMBERSHIP,
        candidate=candidate,
        stage=Stage.TEST,
    )
    Membership.objects.filter(user=candidate).delete()
    close_as(proposal, Outcome.WEAK, agree=1, stand_aside=3)
    apply_outcome(proposal)
    assert not Membership.objects.filter(user=candidate).exists()
    entry = AuditEntry.objects.get(action="carry_out")
    assert entry.detail == {"effect": "grant_core", "done": False, "why": "not_a_member"}


def test_an_agreed_rule_change_becomes_the_rule_in_force(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.core,
        kind=ProposalKind.DECISION_RULE,
        terms=RULE_TERMS,
        stage=Stage.TEST,
    )
    close_as(proposal, Outcome.CONSENSUS)
    apply_outcome(proposal)
    apply_outcome(proposal)  # a second call (a retried close) adopts nothing twice
    rule = DecisionRule.objects.in_force(world.norcal)
    assert rule.adopted_by == proposal
    assert (rule.quorum_percent, rule.weak_at_stand_asides, rule.block_needs_second) == (
        60,
        2,
        True,
    )
    assert rule.fallback == "minus_one"
    assert DecisionRule.objects.filter(group=world.norcal).count() == 1
    assert DecisionRule.objects.in_force(world.london).pk is None


def test_rule_terms_that_break_the_models_checks_do_not_stop_the_close(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.core,
        kind=ProposalKind.DECISION_RULE,
        terms={**RULE_TERMS, "quorum_percent": 0},
        stage=Stage.TEST,
    )
    close_as(proposal, Outcome.CONSENSUS)
    apply_outcome(proposal)
    assert not DecisionRule.objects.exists()
    assert AuditEntry.objects.get(action="carry_out").detail["why"] == "invalid_terms"


def test_an_agreed_mandate_is_given_with_its_terms(world: World) -> None:
    proposal = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.MANDATE,
        terms=_mandate_terms(),
        stage=Stage.TEST,
    )
    close_as(proposal, Outcome.CONSENSUS)
    apply_outcome(proposal)
    mandate = Mandate.objects.get()
    assert mandate.granted_by == proposal
    assert mandate.holder == MandateHolder.SHIFT_TEAMS
    assert mandate.title == "Leave when soldiers close the road"
    assert mandate.is_in_force()
    assert mandate.granted_at == proposal.closed_at


def test_an_agreed_withdrawal_withdraws_the_mandate_once(world: World) -> None:
    mandate = make_mandate(group=world.norcal)
    first = make_proposal(
        group=world.norcal,
        proposer=world.core,
        kind=ProposalKind.MANDATE_WITHDRAWAL,
        target_mandate=mandate,
        stage=Stage.TEST,
    )
    second = make_proposal(
        group=world.norcal,
        proposer=world.volunteer,
        kind=ProposalKind.MANDATE_WITHDRAWAL,
        target_mandate=mandate,
        stage=Stage.TEST,
    )
    close_as(first, Outcome.CONSENSUS)
    apply_outcome(first)
    close_as(second, Outcome.CONSENSUS)
    apply_outcome(second)
    mandate.refresh_from_db()
    assert mandate.withdrawn_by == first
    assert not mandate.is_in_force()
    details = [e.detail for e in AuditEntry.objects.filter(action="carry_out").order_by("pk")]
    assert details[0]["done"] is True
    assert details[1] == {"effect": "withdraw_mandate", "done": False, "why": "already_withdrawn"}


def _pending_quick_decision(world: World) -> object:
    decision = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        stage=Stage.TEST,
        title="Stay with the family tonight",
    )
    close_as(decision, Outcome.CONSENSUS)
    decision.ratification = Ratification.PENDING
    decision.save()
    return decision


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome.CONSENSUS, Ratification.RATIFIED),
        (Outcome.WEAK, Ratification.RATIFIED),
        (Outcome.BLOCKED, Ratification.REFUSED),
        (Outcome.NO_QUORUM, Ratification.REFUSED),
    ],
)
def test_a_ratification_settles_the_emergency_decision(
    world: World, outcome: str, expected: str
) -> None:
    decision = _pending_quick_decision(world)
    proposal = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.RATIFICATION,
        ratifies=decision,
        stage=Stage.TEST,
    )
    close_as(proposal, outcome, agree=1, stand_aside=3)
    apply_outcome(proposal)
    decision.refresh_from_db()  # type: ignore[attr-defined]
    assert decision.ratification == expected  # type: ignore[attr-defined]


def test_an_open_proposal_is_left_alone(world: World) -> None:
    """A first round that goes on to a second is not a close: nothing is carried out."""
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.volunteer,
        kind=ProposalKind.CORE_MEMBERSHIP,
        candidate=world.volunteer,
        stage=Stage.DISCUSSION,
    )
    apply_outcome(proposal)
    assert not Membership.objects.filter(user=world.volunteer, role=Role.CORE).exists()


def test_an_agreed_quick_decision_outside_any_mandate_waits_for_ratification(
    world: World,
) -> None:
    under = make_mandate(group=world.field_team, holder=MandateHolder.SHIFT_TEAMS)
    ended = make_mandate(
        group=world.field_team,
        holder=MandateHolder.SHIFT_TEAMS,
        until=timezone.localdate() - dt.timedelta(days=1),
    )
    results = {}
    for name, mandate in (("none", None), ("under", under), ("ended", ended)):
        proposal = make_proposal(
            group=world.field_team,
            proposer=world.coordinator,
            kind=ProposalKind.QUICK,
            body=Body.SHIFT_TEAM,
            shift=_a_shift(world),
            mandate=mandate,
            stage=Stage.TEST,
        )
        close_as(proposal, Outcome.CONSENSUS, how=ClosedHow.ALL_RESPONDED)
        apply_outcome(proposal)
        proposal.refresh_from_db()
        results[name] = proposal.ratification
    assert results == {
        "none": Ratification.PENDING,
        "under": Ratification.NOT_NEEDED,
        "ended": Ratification.PENDING,
    }


def test_a_blocked_quick_decision_needs_no_ratification(world: World) -> None:
    proposal = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.QUICK,
        body=Body.SHIFT_TEAM,
        shift=_a_shift(world),
        stage=Stage.TEST,
    )
    close_as(proposal, Outcome.BLOCKED, how=ClosedHow.BLOCK, agree=1, block=1)
    apply_outcome(proposal)
    proposal.refresh_from_db()
    assert proposal.ratification == Ratification.NOT_NEEDED


def _a_shift(world: World) -> object:
    from alongside.field.tests.factories import make_shift

    return make_shift(community=world.bilin, starts_at=timezone.now())


def test_the_close_carries_out_the_decision_in_the_same_transaction(world: World) -> None:
    """Through the real close: everyone agreed at the deadline, the candidate is core."""
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.volunteer,
        kind=ProposalKind.CORE_MEMBERSHIP,
        candidate=world.volunteer,
        stage=Stage.TEST,
        test_end=timezone.now() - dt.timedelta(minutes=1),
    )
    respond(proposal, world.volunteer)
    respond(proposal, world.core)
    assert closing.close_due(timezone.now()) == 1
    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.CONSENSUS
    assert Membership.objects.filter(
        group=world.norcal, user=world.volunteer, role=Role.CORE
    ).exists()
    assert closing.close_due(timezone.now()) == 0
    assert AuditEntry.objects.filter(action="grant").count() == 1


def test_an_absence_excuses_a_silent_member_at_the_close(world: World) -> None:
    """The rule's numbers on the record say so: one member on an excused absence."""
    today = timezone.localdate()
    sign_in(Client(), world.volunteer).post(
        "/en/decisions/northern-california/away/",
        {"starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=3)).isoformat()},
    )
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.TEST,
        test_end=timezone.now() - dt.timedelta(minutes=1),
    )
    respond(proposal, world.core)
    closing.close_due(timezone.now())
    proposal.refresh_from_db()
    assert proposal.outcome_detail["tally"]["excused"] == 1
    assert proposal.outcome == Outcome.CONSENSUS
