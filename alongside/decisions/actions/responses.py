"""Answers to a proposal in its test for agreement (or second round).

An answer is never edited or deleted: a changed answer, or one confirmed again after an
amendment, supersedes the person's earlier row (kept, with `superseded_at`) and is a new row.
A block must give its reason and cite one of the group's principles; it pauses the proposal at
once (it will not close early; its deadline still closes it) and the facilitator is told. When
the last standing block is withdrawn (its author answers again otherwise) the pause ends. A
quick decision in the field has no time for that: a block stops it on the spot.

Every answer is recorded under the proposal's row lock, and the early close (everyone has
answered, or a block stops a quick decision) runs in the same transaction, so that the last
answer and the close are one change. An answer that comes after the stage's deadline is
refused under that lock and closes the proposal on the spot, as the task would: what was
answered by the deadline decides, whichever of the two runs first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.decisions import notify
from alongside.decisions.actions import DecisionError, closing, lock_proposal, why_finished
from alongside.decisions.models import (
    NEEDS_REASON,
    RESPONDING_STAGES,
    Position,
    Proposal,
    Response,
    Stage,
)
from alongside.decisions.participants import is_in_body
from alongside.lib import audit
from alongside.movement.models import Principle
from alongside.volunteers.principles import principles_for

REASON_MAX = 4000


def needs_reason(proposal: Proposal, position: str) -> bool:
    """Reservations and blocks always give their reason. Standing aside does too, except in a
    quick decision in the field, where it is one tap: nobody has time to write then."""
    if proposal.is_quick and position == Position.STAND_ASIDE:
        return False
    return position in NEEDS_REASON


def citable_principles(proposal: Proposal) -> list[Principle]:
    """The principles a block on `proposal` may cite: the group's current ones."""
    version = principles_for(proposal.group)
    return list(version.principles.all()) if version is not None else []


def record_response(
    *,
    proposal: Proposal,
    member: Any,
    position: str,
    reason: str = "",
    principle: Principle | None = None,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Record `member`'s answer to the current version of `proposal`. Refused (DecisionError)
    outside a responding stage, for someone outside the proposal's body, after the stage's
    deadline (which closes the proposal there and then), and without a needed reason or
    principle. The same answer twice (a double tap) changes nothing."""
    now = now or timezone.now()
    reason = reason.strip()
    try:
        return _record(
            proposal,
            member=member,
            position=position,
            reason=reason,
            principle=principle,
            request=request,
            now=now,
        )
    except _TooLate:
        raise _closed_too_late(proposal, now) from None


def _record(
    proposal: Proposal,
    *,
    member: Any,
    position: str,
    reason: str,
    principle: Principle | None,
    request: HttpRequest | None,
    now: dt.datetime,
) -> Response:
    with transaction.atomic():
        locked = lock_proposal(proposal.pk)
        _check_may_answer(locked, member, now=now)
        _check_answer(locked, position, reason, principle)
        if position != Position.BLOCK:
            principle = None
        previous = _in_force(locked, member)
        if previous is not None and _same(previous, locked, position, reason, principle):
            return previous
        response = _supersede_and_create(
            locked,
            member=member,
            previous=previous,
            position=position,
            reason=reason,
            principle=principle,
            now=now,
        )
        audit.record(
            actor=member,
            action="respond",
            target=locked,
            request=request,
            detail={
                "position": position,
                "version": locked.version,
                "round": locked.round,
                "changed": previous is not None,
            },
        )
        was_block = previous is not None and previous.position == Position.BLOCK
        _after_answer(
            locked, response, member=member, was_block=was_block, request=request, now=now
        )
    return response


def confirm_response(
    *,
    proposal: Proposal,
    member: Any,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Give again, to the current version, the answer `member` gave to an earlier one (after an
    amendment). Refused when they have no earlier answer, or it counts already."""
    now = now or timezone.now()
    try:
        return _confirm(proposal, member=member, request=request, now=now)
    except _TooLate:
        raise _closed_too_late(proposal, now) from None


def _confirm(
    proposal: Proposal, *, member: Any, request: HttpRequest | None, now: dt.datetime
) -> Response:
    with transaction.atomic():
        locked = lock_proposal(proposal.pk)
        _check_may_answer(locked, member, now=now)
        previous = _in_force(locked, member)
        if previous is None:
            raise DecisionError(_("You have no earlier answer to confirm: please answer."))
        if previous.version == locked.version and previous.round == locked.round:
            return previous
        if previous.round != locked.round:
            raise DecisionError(_("This is a new round: please answer afresh."))
        principle = previous.principle
        # The principles may have changed since: a block must still cite a current one.
        if previous.position == Position.BLOCK and (
            principle is None or principle not in citable_principles(locked)
        ):
            raise DecisionError(
                _("The principle your block cited has changed: please answer again.")
            )
        response = _supersede_and_create(
            locked,
            member=member,
            previous=previous,
            position=previous.position,
            reason=previous.reason,
            principle=principle,
            now=now,
        )
        audit.record(
            actor=member,
            action="respond",
            target=locked,
            request=request,
            detail={
                "position": response.position,
                "version": locked.version,
                "round": locked.round,
                "confirmed": True,
            },
        )
        _after_answer(
            locked,
            response,
            member=member,
            was_block=previous.position == Position.BLOCK,
            request=request,
            now=now,
        )
    return response


def sync_pause(
    proposal: Proposal, *, now: dt.datetime, actor: Any = None, request: HttpRequest | None = None
) -> bool:
    """Pause the locked `proposal` while a block that counts stands in its first round, and end
    the pause when none stands any more (withdrawn, or no longer counting after an amendment).
    Call inside the caller's transaction after changing its answers or its version. Returns
    True when a new block paused it just now."""
    if proposal.is_quick or proposal.stage not in RESPONDING_STAGES:
        return False
    standing = proposal.round < 2 and (
        Response.objects.counting(proposal).filter(position=Position.BLOCK).exists()
    )
    if standing and proposal.paused_at is None:
        proposal.paused_at = now
        proposal.save(update_fields=["paused_at"])
        audit.record(actor=actor, action="pause", target=proposal, request=request)
        return True
    if not standing and proposal.paused_at is not None:
        proposal.paused_at = None
        proposal.save(update_fields=["paused_at"])
        audit.record(actor=actor, action="unpause", target=proposal, request=request)
    return False


# --- steps ---------------------------------------------------------------------------------


class _TooLate(Exception):
    """The deadline of the stage has passed: the answer is refused and the proposal closed, once
    the answer's transaction has ended."""


def why_not_answer(member: Any, proposal: Proposal, *, in_body: bool | None = None) -> Any:
    """Why `member` may not answer `proposal` now, for the person; None when they may. The
    pages ask first (passing `in_body` when they know it); the actions ask again under the
    lock."""
    finished = why_finished(proposal)
    if finished is not None:
        return finished
    if proposal.stage not in RESPONDING_STAGES:
        return _("Answers are given in the test for agreement, not in this stage.")
    if in_body is None:
        in_body = is_in_body(member, proposal)
    if not in_body:
        return _("Only the people who take this decision can answer it.")
    return None


def _check_may_answer(proposal: Proposal, member: Any, *, now: dt.datetime) -> None:
    refusal = why_not_answer(member, proposal)
    if refusal is not None:
        raise DecisionError(refusal)
    if closing.is_overdue(proposal, now):
        # Seen under the lock: an answer after the deadline never counts, whether the task
        # has closed the proposal yet or not, so the outcome is the same either way.
        raise _TooLate


def _closed_too_late(proposal: Proposal, now: dt.datetime) -> DecisionError:
    """Close the proposal whose deadline has passed (in a transaction of its own: the task may
    have done it meanwhile, which changes nothing), and say why the answer was refused."""
    closed = closing.close_if_overdue(proposal_id=proposal.pk, now=now)
    stage = closed.stage if closed is not None else Proposal.objects.get(pk=proposal.pk).stage
    if stage == Stage.DISCUSSION:
        return DecisionError(
            _("The time to answer is over; the proposal goes to a further discussion.")
        )
    return DecisionError(_("The time to answer is over; the proposal is closed."))


def _check_answer(
    proposal: Proposal, position: str, reason: str, principle: Principle | None
) -> None:
    if position not in Position.values:
        raise DecisionError(_("Please choose one of the answers."))
    if needs_reason(proposal, position) and not reason:
        raise DecisionError(_("Please give your reason for this answer."))
    if len(reason) > REASON_MAX:
        raise DecisionError(_("Please keep your reason shorter."))
    if position == Position.BLOCK:
        if principle is None:
            raise DecisionError(_("A block must name the principle the proposal would break."))
        if principle not in citable_principles(proposal):
            raise DecisionError(_("Please choose one of your group's current principles."))


def _in_force(proposal: Proposal, member: Any) -> Response | None:
    return (
        Response.objects.in_force()
        .select_related("principle")
        .filter(proposal=proposal, member=member)
        .first()
    )


def _same(
    previous: Response, proposal: Proposal, position: str, reason: str, principle: Any
) -> bool:
    return (
        previous.version == proposal.version
        and previous.round == proposal.round
        and previous.position == position
        and previous.reason == reason
        and previous.principle_id == (principle.pk if principle is not None else None)
    )


def _supersede_and_create(
    proposal: Proposal,
    *,
    member: Any,
    previous: Response | None,
    position: str,
    reason: str,
    principle: Principle | None,
    now: dt.datetime,
) -> Response:
    if previous is not None:
        # Before the new row: one answer in force per person (a conditional unique constraint).
        Response.objects.filter(pk=previous.pk).update(superseded_at=now)
    return Response.objects.create(
        proposal=proposal,
        member=member,
        version=proposal.version,
        round=proposal.round,
        position=position,
        reason=reason,
        principle=principle,
        created_at=now,
    )


def _after_answer(
    proposal: Proposal,
    response: Response,
    *,
    member: Any,
    was_block: bool,
    request: HttpRequest | None,
    now: dt.datetime,
) -> None:
    """A block pauses the proposal and tells its proposer and facilitator (once per block: a
    blocker who restates their reason is not news); a withdrawn one may end the pause; then the
    proposal closes at once if that is due."""
    sync_pause(proposal, now=now, actor=member, request=request)
    if response.position == Position.BLOCK and not was_block and _has_thread(proposal):
        notify.block_raised(proposal, response)
    closing.maybe_close_early(proposal=proposal, now=now, actor=member, request=request)


def _has_thread(proposal: Proposal) -> bool:
    """Blocks of the first round of a proposal are talked through in a thread; a quick decision
    closes at a block, and in a second round a block is one answer among others."""
    return not proposal.is_quick and proposal.round < 2
