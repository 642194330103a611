"""Moving proposals from one stage to the next: at a stage's deadline (the periodic task calls
`advance_due`), or when the facilitator moves on early (`actions.proposals.move_on`).

Both take the proposal's row lock first (`lock_proposal`) and read the stage and its deadline
only then, so a deadline passing while the facilitator extends it moves the proposal once or
not at all, never twice. The test for agreement (and the second round) are never ended here:
closing computes the outcome and is `actions.closing`'s.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from alongside.decisions import notify
from alongside.decisions.actions import lock_proposal
from alongside.decisions.models import DEADLINE_FIELD, DecisionRule, Proposal, Stage
from alongside.lib import audit

logger = logging.getLogger(__name__)

# The stage each stage leads to; the test and the second round end in the close instead.
NEXT_STAGE: dict[str, str] = {
    Stage.QUESTIONS: Stage.CONCERNS,
    Stage.CONCERNS: Stage.AMENDMENTS,
    Stage.AMENDMENTS: Stage.TEST,
    Stage.DISCUSSION: Stage.SECOND_ROUND,
}
# A second round whose deadline nobody set (or that passed during the discussion) lasts this long.
SECOND_ROUND_LENGTH = dt.timedelta(days=3)


def to_minute(value: dt.datetime) -> dt.datetime:
    """Deadlines are kept to the minute."""
    return value.replace(second=0, microsecond=0)


def deadline_passed(proposal: Proposal, now: dt.datetime) -> bool:
    """Has the current stage's deadline passed (whether or not it has moved on or closed yet)?"""
    ends = proposal.stage_ends_at
    return ends is not None and ends <= now


def enter_stage(
    proposal: Proposal,
    stage: str,
    *,
    now: dt.datetime,
    actor: Any,
    how: str,
    request: HttpRequest | None = None,
) -> None:
    """Put the locked `proposal` into `stage` and save it, auditing the move. `how` says why:
    "deadline" or "facilitator". The caller notifies (once per transaction)."""
    before = proposal.stage
    proposal.stage = stage
    proposal.stage_started_at = now
    changed = ["stage", "stage_started_at"]
    if stage == Stage.TEST and proposal.test_started_at is None:
        # Absences that overlap the test from here excuse members from the quorum.
        proposal.test_started_at = now
        changed.append("test_started_at")
    if stage == Stage.TEST and not proposal.test_rule:
        # The close applies the rule in force now, whatever the group adopts meanwhile.
        proposal.test_rule = DecisionRule.objects.snapshot(proposal.group)
        changed.append("test_rule")
    if stage == Stage.SECOND_ROUND:
        # Everyone answers again in the second round; a block of the first round no longer
        # holds the proposal (it is what sent it here).
        proposal.round = 2
        proposal.paused_at = None
        changed += ["round", "paused_at"]
        if proposal.second_round_end is None or proposal.second_round_end <= now:
            proposal.second_round_end = now + SECOND_ROUND_LENGTH
            changed.append("second_round_end")
    proposal.save(update_fields=changed)
    audit.record(
        actor=actor,
        action="stage",
        target=proposal,
        request=request,
        detail={"from": before, "to": stage, "how": how},
    )


def _is_due(proposal: Proposal, now: dt.datetime) -> bool:
    return proposal.stage in NEXT_STAGE and deadline_passed(proposal, now)


def _due_condition(now: dt.datetime) -> Q:
    condition = Q()
    for stage in NEXT_STAGE:
        condition |= Q(stage=stage, **{f"{DEADLINE_FIELD[Stage(stage)]}__lte": now})
    return condition


def advance_one(proposal_id: int, now: dt.datetime) -> bool:
    """Move the proposal on for every deadline that has passed (several, when the worker was
    stopped for a while), up to the test at most. Returns whether it moved."""
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        moved = False
        while _is_due(proposal, now):
            enter_stage(proposal, NEXT_STAGE[proposal.stage], now=now, actor=None, how="deadline")
            moved = True
        if moved:
            notify.stage_started(proposal)
    return moved


def advance_due(now: dt.datetime) -> int:
    """Move every open proposal whose stage deadline passed into its next stage (the test's
    close is `closing.close_due`). Idempotent. Returns how many moved. One that fails (its
    transaction rolls back) does not keep the others from moving; the run fails after them, and
    the next run tries it again."""
    due = Proposal.objects.filter(_due_condition(now)).order_by("pk").values_list("pk", flat=True)
    moved = 0
    failure: Exception | None = None
    for proposal_id in list(due):
        try:
            moved += advance_one(proposal_id, now)
        except Exception as error:
            logger.exception("Moving proposal %s on failed; the next run tries again", proposal_id)
            failure = failure or error
    if failure is not None:
        raise failure
    return moved
