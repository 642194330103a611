"""Closing proposals: the outcome computed by the group's rule from the answers that count, and
stored with the rule and the numbers it was computed from.

A proposal closes at its deadline (the background task, `close_due`, to the minute, or the first
answer that comes after it, which is refused: `close_if_overdue`), as soon as
every member of its body has answered and no block stands (`maybe_close_early`), and a quick
decision in the field also the moment anyone blocks it. Whichever comes first, the result is
the same, because every way in takes the proposal's row lock (`lock_proposal`), then looks at
its stage again: the second to arrive finds it closed and does nothing. So the task may run
twice, or in two workers at once, and a member's last answer may race the deadline.

When the first round fails and the group's fallback is a supermajority, the close does not end
the proposal: it goes to a further discussion, then a second round (round 2), whose close is
final. Everything the close does (the outcome, what an agreed outcome changes through
`effects.apply_outcome`, the audit entry) commits together or not at all; the emails go after.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from alongside.decisions import notify
from alongside.decisions import rule as decision_rule
from alongside.decisions.actions import effects, lock_proposal
from alongside.decisions.actions.stages import SECOND_ROUND_LENGTH, deadline_passed, to_minute
from alongside.decisions.models import (
    RESPONDING_STAGES,
    ClosedHow,
    Position,
    Proposal,
    Response,
    Stage,
    away_between,
    decision_day,
)
from alongside.decisions.participants import body_members
from alongside.lib import audit

logger = logging.getLogger(__name__)

# The further discussion after a failed first round lasts this long (and the second round after
# it `stages.SECOND_ROUND_LENGTH`) unless the facilitator extends them.
DISCUSSION_LENGTH = dt.timedelta(days=3)

_POSITION_FIELD = {
    Position.AGREE: "agree",
    Position.RESERVATIONS: "reservations",
    Position.STAND_ASIDE: "stand_aside",
    Position.BLOCK: "block",
    Position.ABSTAIN: "abstain",
}


# --- counting ------------------------------------------------------------------------------


def counting_positions(proposal: Proposal) -> dict[int, str]:
    """Member id → position, for the answers that count now (current version and round)."""
    return dict(
        Response.objects.counting(proposal)
        .filter(member__isnull=False)
        .values_list("member_id", "position")
    )


def _test_began(proposal: Proposal) -> dt.datetime | None:
    """When the round being counted began: the test, or the second round."""
    if proposal.round >= 2 and proposal.stage_started_at is not None:
        return proposal.stage_started_at
    return proposal.test_started_at or proposal.opened_at


def tally_for(proposal: Proposal, now: dt.datetime) -> decision_rule.Tally:
    """The count of the answers that count, among the body's active members now. Members on an
    excused absence in the proposal's group that overlaps the test (from its first day to
    today) and who did not answer are `excused`: they do not count against the quorum. Answers
    of people who have left the body no longer count."""
    member_ids = set(body_members(proposal).values_list("pk", flat=True))
    return tally_from(proposal, member_ids, counting_positions(proposal), now)


def tally_from(
    proposal: Proposal, member_ids: set[int], positions: dict[int, str], now: dt.datetime
) -> decision_rule.Tally:
    """`tally_for` from the body's member ids and the counting answers, already read."""
    positions = {member: pos for member, pos in positions.items() if member in member_ids}
    silent = member_ids - set(positions)
    excused = 0
    began = _test_began(proposal)
    if silent and began is not None:
        excused = len(away_between(proposal.group, silent, decision_day(began), decision_day(now)))
    counts = dict.fromkeys(_POSITION_FIELD.values(), 0)
    for position in positions.values():
        counts[_POSITION_FIELD[Position(position)]] += 1
    return decision_rule.Tally(
        members=len(member_ids), excused=excused, round=proposal.round, **counts
    )


def outcome_if_closed_now(proposal: Proposal, now: dt.datetime) -> decision_rule.Result:
    """What the rule would give if the proposal closed now (shown on the proposal's page)."""
    rule = proposal.rule_to_apply()
    return decision_rule.decide(rule, tally_for(proposal, now), quick=proposal.is_quick)


# --- closing -------------------------------------------------------------------------------


def close_proposal(
    *,
    proposal_id: int,
    now: dt.datetime,
    how: str = ClosedHow.DEADLINE,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Proposal | None:
    """Close the proposal now, whatever its deadline: for a caller that has settled why it
    must (`how`) itself; the task and the early close check their reason under the lock
    instead (`close_due`, `maybe_close_early`). Returns the proposal, or None when it was not
    in a responding stage (closed already, withdrawn, not yet tested): nothing changes then."""
    with transaction.atomic():
        locked = lock_proposal(proposal_id)
        if locked.stage not in RESPONDING_STAGES:
            return None
        _close(locked, now=now, how=how, actor=actor, request=request)
    return locked


def close_due(now: dt.datetime) -> int:
    """Close every proposal whose test (or second round) deadline has passed. Idempotent: each
    is locked and looked at again before it is closed. Returns how many closed (or went on to a
    second round). One that fails does not keep the others from closing; the run fails after."""
    due = (
        Proposal.objects.filter(
            Q(stage=Stage.TEST, test_end__lte=now)
            | Q(stage=Stage.SECOND_ROUND, second_round_end__lte=now)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    closed = 0
    failure: Exception | None = None
    for proposal_id in list(due):
        try:
            if close_if_overdue(proposal_id=proposal_id, now=now) is not None:
                closed += 1
        except Exception as error:
            logger.exception("Closing proposal %s failed; the next run tries again", proposal_id)
            failure = failure or error
    if failure is not None:
        raise failure
    return closed


def is_overdue(proposal: Proposal, now: dt.datetime) -> bool:
    """Has the deadline of the proposal's responding stage passed? Then nobody answers any more:
    it closes."""
    return proposal.stage in RESPONDING_STAGES and deadline_passed(proposal, now)


def close_if_overdue(*, proposal_id: int, now: dt.datetime) -> Proposal | None:
    """Close the proposal at its deadline, if that has passed, in a transaction of its own: the
    task does it, and so does an answer that comes too late (actions/responses). Returns the
    proposal (closed, or on to a second round), or None when it was closed early, extended, or
    closed by another worker meanwhile: nothing changes then. The platform closes it (no
    actor), whoever's late answer noticed."""
    with transaction.atomic():
        locked = lock_proposal(proposal_id)
        if not is_overdue(locked, now):
            return None
        _close(locked, now=now, how=ClosedHow.DEADLINE, actor=None)
    return locked


def maybe_close_early(
    *, proposal: Proposal, now: dt.datetime, actor: Any = None, request: HttpRequest | None = None
) -> Proposal | None:
    """Close the proposal before its deadline when that is due: a quick decision that anyone
    blocks, or any proposal that every member of its body has answered while no block pauses
    it. `proposal` is locked by the caller (an answer), inside whose transaction this runs.
    Returns the closed proposal, or None when it stays open (or was closed already)."""
    how = early_close_reason(proposal)
    if how is None:
        return None
    _close(proposal, now=now, how=how, actor=actor, request=request)
    return proposal


def early_close_reason(proposal: Proposal) -> str | None:
    """Why the (locked) proposal should close before its deadline, or None."""
    if proposal.stage not in RESPONDING_STAGES:
        return None
    positions = counting_positions(proposal)
    blocked = Position.BLOCK in positions.values()
    if proposal.is_quick and blocked:
        return ClosedHow.BLOCK
    if proposal.round < 2 and (blocked or proposal.paused_at is not None):
        # A standing block is talked through until the deadline, not closed over. (In a
        # second round a block is one answer among others: the supermajority decides.)
        return None
    member_ids = set(body_members(proposal).values_list("pk", flat=True))
    if member_ids and member_ids <= set(positions):
        return ClosedHow.ALL_RESPONDED
    return None


def _close(
    proposal: Proposal,
    *,
    now: dt.datetime,
    how: str,
    actor: Any,
    request: HttpRequest | None = None,
) -> None:
    """Compute and store the outcome of the locked `proposal` (in a responding stage), inside
    the caller's transaction."""
    rule = proposal.rule_to_apply()
    tally = tally_for(proposal, now)
    result = decision_rule.decide(rule, tally, quick=proposal.is_quick)
    detail: dict[str, Any] = {
        "rule": rule.as_dict(),
        "rule_id": proposal.test_rule.get("id"),
        "tally": tally.as_dict(),
        **result.as_dict(),
        "version": proposal.version,
        "round": proposal.round,
        "how": str(how),
    }
    if result.outcome == decision_rule.SECOND_ROUND:
        _to_second_round(proposal, now=now, detail=detail, actor=actor, request=request)
        return
    if proposal.outcome_detail.get("first_round"):
        detail["first_round"] = proposal.outcome_detail["first_round"]
    proposal.stage = Stage.CLOSED
    proposal.outcome = result.outcome
    proposal.closed_at = now
    proposal.closed_how = how
    proposal.outcome_detail = detail
    proposal.stage_started_at = now
    proposal.save(
        update_fields=[
            "stage",
            "outcome",
            "closed_at",
            "closed_how",
            "outcome_detail",
            "stage_started_at",
        ]
    )
    audit.record(
        actor=actor,
        action="close",
        target=proposal,
        request=request,
        detail={"outcome": result.outcome, "how": str(how), "round": proposal.round},
    )
    effects.apply_outcome(proposal)
    notify.closed(proposal)


def _to_second_round(
    proposal: Proposal,
    *,
    now: dt.datetime,
    detail: dict[str, Any],
    actor: Any,
    request: HttpRequest | None,
) -> None:
    """The first round failed on blocks and the group's fallback is a supermajority: a further
    discussion, then a second round (round 2, entered by `stages.advance_due`) in which every
    member answers afresh. The blocks of the first round stop pausing it: the second round is
    decided by the supermajority."""
    discussion_end = to_minute(now + DISCUSSION_LENGTH)
    proposal.stage = Stage.DISCUSSION
    proposal.stage_started_at = now
    proposal.discussion_end = discussion_end
    proposal.second_round_end = discussion_end + SECOND_ROUND_LENGTH
    proposal.paused_at = None
    proposal.outcome_detail = {"first_round": detail}
    proposal.save(
        update_fields=[
            "stage",
            "stage_started_at",
            "discussion_end",
            "second_round_end",
            "paused_at",
            "outcome_detail",
        ]
    )
    audit.record(
        actor=actor,
        action="second_round",
        target=proposal,
        request=request,
        detail={"outcome": detail["outcome"], "how": detail["how"], "stage": Stage.DISCUSSION},
    )
    notify.stage_started(proposal)
