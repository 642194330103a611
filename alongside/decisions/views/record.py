"""The record part of the proposal page (`decisions/_record.html`): the outcome and how the
rule was applied, the kind's terms, the mandate cited, the ratification state, the action items
and the review date, for the proposal page (`views/proposals.py`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from alongside.decisions.actions.group import (
    may_add_action_items,
    may_mark_done,
    possible_owners,
)
from alongside.decisions.explain import (
    reasons_in_words,
    rule_from_terms,
    rule_in_words,
    stored_rule,
)
from alongside.decisions.forms.group import ActionItemForm
from alongside.decisions.models import (
    OPEN_STAGES,
    ActionItem,
    DecisionRule,
    Mandate,
    MandateHolder,
    Proposal,
    ProposalKind,
    Ratification,
    Stage,
)
from alongside.decisions.participants import can_see, roles_in
from alongside.decisions.register import with_final_title


@dataclass
class Terms:
    """What a proposal of a special kind would do, for the page."""

    candidate: Any = None
    rule_words: list[str] = field(default_factory=list)
    rule_in_force_words: list[str] = field(default_factory=list)
    adopted_rule: DecisionRule | None = None
    mandate: dict[str, Any] | None = None
    given_mandate: Mandate | None = None
    target_mandate: Mandate | None = None
    ratifies: Proposal | None = None


@dataclass
class Record:
    proposal: Proposal
    reasons: list[str]
    rule_words: list[str]
    first_round_reasons: list[str]
    tally: dict[str, int]
    terms: Terms | None
    items: list[tuple[ActionItem, bool]]
    item_form: ActionItemForm | None
    ratification_proposals: list[Proposal]
    propose_ratification: bool
    # A proposal to ratify is open that this reader may not open (the core group's own).
    ratification_open_elsewhere: bool = False

    @property
    def closed(self) -> bool:
        return self.proposal.is_closed


def _terms(proposal: Proposal) -> Terms | None:
    kind = proposal.kind
    if kind == ProposalKind.CORE_MEMBERSHIP:
        return Terms(candidate=proposal.candidate)
    if kind == ProposalKind.DECISION_RULE:
        adopted = DecisionRule.objects.filter(adopted_by=proposal).first()
        return Terms(
            rule_words=rule_in_words(rule_from_terms(proposal.terms or {})),
            rule_in_force_words=[]
            if proposal.is_closed
            else rule_in_words(DecisionRule.objects.in_force(proposal.group)),
            adopted_rule=adopted,
        )
    if kind == ProposalKind.MANDATE:
        terms = dict(proposal.terms or {})
        until = terms.get("until")
        if until:
            try:
                terms["until"] = dt.date.fromisoformat(str(until))
            except ValueError:
                terms["until"] = None
        holder = terms.get("holder")
        terms["holder_label"] = (
            MandateHolder(holder).label if holder in MandateHolder.values else ""
        )
        return Terms(
            mandate=terms, given_mandate=Mandate.objects.filter(granted_by=proposal).first()
        )
    if kind == ProposalKind.MANDATE_WITHDRAWAL:
        return Terms(target_mandate=proposal.target_mandate)
    if kind == ProposalKind.RATIFICATION and proposal.ratifies_id:
        ratifies = with_final_title(Proposal.objects.filter(pk=proposal.ratifies_id)).first()
        return Terms(ratifies=ratifies)
    return None


def record_panel(request: HttpRequest, proposal: Proposal, *, in_body: bool) -> dict[str, Any]:
    """The context of `decisions/_record.html`, under the one name `record`. `in_body`: the
    reader is of the proposal's body (the page has asked already)."""
    user = request.user
    detail = proposal.outcome_detail or {}
    rule = stored_rule(detail)
    first_round = detail.get("first_round") or {}
    items = list(proposal.action_items.select_related("owner", "done_by").order_by("due_on", "pk"))
    item_form = None
    if may_add_action_items(user, proposal):
        item_form = ActionItemForm(owners=possible_owners(proposal))
    ratification_proposals: list[Proposal] = []
    open_ratification = False
    if proposal.ratification:
        # Others' drafts and the core group's open proposals are not every reader's to see:
        # the reader's roles are read once, and `can_see` asks nothing more of these (never
        # shift-team proposals).
        roles = roles_in(user, proposal.group)
        every = list(
            with_final_title(
                Proposal.objects.filter(kind=ProposalKind.RATIFICATION, ratifies=proposal)
            ).order_by("-created_at", "-pk")
        )
        open_ratification = any(p.stage in OPEN_STAGES for p in every)
        ratification_proposals = [p for p in every if can_see(user, p, roles=roles)]
    waiting = proposal.ratification == Ratification.PENDING
    # Who may mark an item done (the body, or its owner); nobody once the proposal is withdrawn.
    markable = proposal.stage != Stage.WITHDRAWN
    return {
        "record": Record(
            proposal=proposal,
            reasons=reasons_in_words(detail) if proposal.is_closed else [],
            rule_words=rule_in_words(rule) if rule is not None and proposal.is_closed else [],
            first_round_reasons=reasons_in_words(first_round) if first_round else [],
            tally=detail.get("tally") or {},
            terms=_terms(proposal),
            items=[
                (item, markable and may_mark_done(user, item, in_body=in_body)) for item in items
            ],
            item_form=item_form,
            ratification_proposals=ratification_proposals,
            # One open at a time (the form refuses a second), seen or not.
            propose_ratification=waiting and not open_ratification,
            ratification_open_elsewhere=open_ratification
            and not any(p.stage in OPEN_STAGES for p in ratification_proposals),
        )
    }
