"""What a closed proposal does: the group's decision carried out.

`apply_outcome` is called by the close (`actions/closing.py`) for every proposal it closes,
inside the close's transaction, once the outcome is stored: so the effect is committed exactly
when the outcome is, and a close that runs twice (it finds the proposal closed and stops) never
applies it twice. Each effect also checks, at the close, that what the proposal names still
stands (the candidate is still a member; the mandate is still in force; the decision still waits
for ratification): the world may have moved during the proposal's weeks, and the close must not
fail for it. What was done, or why nothing was, is in the audit log (labels only).

The platform acts here, not a person: the audit entries have no actor. Nobody grants the core
role, adopts a rule or gives a mandate by rank; the group's consensus does.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from alongside.decisions.actions import lock_proposal
from alongside.decisions.models import (
    AGREED_OUTCOMES,
    DecisionRule,
    Mandate,
    Proposal,
    ProposalKind,
    Ratification,
    Stage,
)
from alongside.decisions.participants import is_member
from alongside.lib import audit
from alongside.movement import actions as movement_actions
from alongside.movement.models import Role


def apply_outcome(proposal: Proposal) -> None:
    """Carry out the closed `proposal`'s outcome: grant the core role, adopt a new decision
    rule, give or withdraw a mandate, mark a decision ratified or not, queue a quick decision
    taken outside any mandate for ratification. Does nothing for a proposal that is not closed
    (a first round that goes on to a second one is not a close)."""
    if proposal.stage != Stage.CLOSED or not proposal.outcome:
        return
    agreed = proposal.outcome in AGREED_OUTCOMES
    kind = proposal.kind
    if kind == ProposalKind.RATIFICATION:
        _settle_ratification(proposal, agreed=agreed)
    elif not agreed:
        return
    elif kind == ProposalKind.CORE_MEMBERSHIP:
        _grant_core(proposal)
    elif kind == ProposalKind.DECISION_RULE:
        _adopt_rule(proposal)
    elif kind == ProposalKind.MANDATE:
        _give_mandate(proposal)
    elif kind == ProposalKind.MANDATE_WITHDRAWAL:
        _withdraw_mandate(proposal)
    elif kind == ProposalKind.QUICK:
        _queue_for_ratification(proposal)


def _closed_at(proposal: Proposal) -> dt.datetime:
    return proposal.closed_at or timezone.now()


def _not_done(proposal: Proposal, effect: str, why: str) -> None:
    audit.record(
        actor=None,
        action="carry_out",
        target=proposal,
        detail={"effect": effect, "done": False, "why": why},
    )


def _done(proposal: Proposal, effect: str, **facts: int | str) -> None:
    audit.record(
        actor=None,
        action="carry_out",
        target=proposal,
        detail={"effect": effect, "done": True, **facts},
    )


def _grant_core(proposal: Proposal) -> None:
    candidate = proposal.candidate
    if candidate is None or not is_member(candidate, proposal.group):
        # They left the group (or their account was closed) while the group was deciding.
        _not_done(proposal, "grant_core", "not_a_member")
        return
    granted = movement_actions.grant_role(
        actor=None,  # the group's decision, carried out by the platform
        group=proposal.group,
        user=candidate,
        role=Role.CORE,
        by_consensus=True,
    )
    if granted:
        _done(proposal, "grant_core", user=candidate.pk)
    else:
        _not_done(proposal, "grant_core", "already_core")


def _adopt_rule(proposal: Proposal) -> None:
    if DecisionRule.objects.filter(adopted_by=proposal).exists():
        return
    terms = proposal.terms or {}
    rule = DecisionRule(group=proposal.group, adopted_at=_closed_at(proposal), adopted_by=proposal)
    for name in (
        "quorum_percent",
        "weak_at_stand_asides",
        "block_needs_second",
        "fallback",
        "supermajority_percent",
    ):
        if name in terms:
            setattr(rule, name, terms[name])
    try:
        rule.full_clean(exclude=["adopted_by"])
    except ValidationError:
        # Checked when the draft was saved; a close must never fail on it (see the docstring).
        _not_done(proposal, "adopt_rule", "invalid_terms")
        return
    rule.save()
    _done(proposal, "adopt_rule", rule=rule.pk)


def _give_mandate(proposal: Proposal) -> None:
    if Mandate.objects.filter(granted_by=proposal).exists():
        return
    terms = proposal.terms or {}
    try:
        until = dt.date.fromisoformat(str(terms.get("until")))
    except ValueError:
        _not_done(proposal, "give_mandate", "invalid_terms")
        return
    mandate = Mandate(
        group=proposal.group,
        holder=terms.get("holder", ""),
        title=terms.get("title", ""),
        scope=terms.get("scope", ""),
        limits=terms.get("limits", ""),
        until=until,
        report_back=terms.get("report_back", ""),
        granted_by=proposal,
        granted_at=_closed_at(proposal),
    )
    try:
        mandate.full_clean(exclude=["granted_by"])
    except ValidationError:
        _not_done(proposal, "give_mandate", "invalid_terms")
        return
    mandate.save()
    _done(proposal, "give_mandate", mandate=mandate.pk)


def _withdraw_mandate(proposal: Proposal) -> None:
    if proposal.target_mandate_id is None:
        _not_done(proposal, "withdraw_mandate", "no_mandate")
        return
    # Lock the mandate: two withdrawal proposals closing at once must not both withdraw it.
    mandate = Mandate.objects.select_for_update().get(pk=proposal.target_mandate_id)
    if mandate.withdrawn_at is not None:
        _not_done(proposal, "withdraw_mandate", "already_withdrawn")
        return
    mandate.withdrawn_at = _closed_at(proposal)
    mandate.withdrawn_by = proposal
    mandate.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _done(proposal, "withdraw_mandate", mandate=mandate.pk)


def _settle_ratification(proposal: Proposal, *, agreed: bool) -> None:
    if proposal.ratifies_id is None:
        return
    decision = lock_proposal(proposal.ratifies_id)
    if decision.ratification != Ratification.PENDING:
        _not_done(proposal, "ratify", "not_pending")
        return
    decision.ratification = Ratification.RATIFIED if agreed else Ratification.REFUSED
    decision.save(update_fields=["ratification"])
    _done(proposal, "ratify", decision=decision.pk, ratification=decision.ratification)


def _queue_for_ratification(proposal: Proposal) -> None:
    """An agreed quick decision stands on its own only under a mandate of the group that was
    in force when it closed; any other waits for the group to ratify it."""
    mandate = proposal.mandate
    on = timezone.localdate(_closed_at(proposal))
    if mandate is not None and mandate.group_id == proposal.group_id and mandate.is_in_force(on):
        return
    if proposal.ratification == Ratification.PENDING:
        return
    proposal.ratification = Ratification.PENDING
    proposal.save(update_fields=["ratification"])
    _done(proposal, "queue_ratification")
