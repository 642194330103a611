"""Answering a proposal, and the thread of a block; the answers part of the proposal page
(`build_panel`, shown by `decisions/_responses.html`).

A member who can see a proposal but may not answer it now (another stage, closed, not in its
body) is sent back to the proposal's page with a message saying why; only what they may not
see answers 404 (access.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.accounts.models import User
from alongside.decisions import explain
from alongside.decisions import rule as decision_rule
from alongside.decisions.access import get_block, get_proposal_for_user
from alongside.decisions.actions import DecisionError
from alongside.decisions.actions import blocks as block_actions
from alongside.decisions.actions import responses as actions
from alongside.decisions.actions.closing import is_overdue, tally_from
from alongside.decisions.forms.responses import BlockMessageForm, ResponseForm
from alongside.decisions.models import (
    RESPONDING_STAGES,
    Outcome,
    Position,
    Proposal,
    ProposalVersion,
    Response,
    Stage,
)
from alongside.decisions.participants import body_members, is_in_body
from alongside.lib.access import group_member
from alongside.movement.models import Group


def proposal_url(proposal: Proposal) -> str:
    return reverse(
        "decisions:proposal",
        kwargs={"group_slug": proposal.group.slug, "proposal_id": proposal.pk},
    )


def why_not_answer(user: Any, proposal: Proposal, *, in_body: bool) -> str | None:
    """Why `user` may not answer `proposal` now, for the person; None when they may."""
    refusal = actions.why_not_answer(user, proposal, in_body=in_body)
    return None if refusal is None else str(refusal)


def closed_meanwhile(proposal: Proposal) -> bool:
    """Did the proposal leave its responding stage while the person was answering (the last
    answer of someone else, or the deadline)? Then there is nothing to correct in the form."""
    proposal.refresh_from_db(fields=["stage"])
    return proposal.stage not in RESPONDING_STAGES


def answered_message(proposal: Proposal) -> str:
    proposal.refresh_from_db(fields=["stage", "closed_how"])
    if proposal.stage == Stage.CLOSED:
        return _("Your answer was recorded, and the proposal is now closed.")
    return _("Your answer was recorded.")


def take_answer(request: HttpRequest, proposal: Proposal, form: ResponseForm) -> bool:
    """Record the answer of a valid `form` and say so. A refusal goes on the form to be
    corrected, or, when the proposal closed meanwhile, into a message. True when the person
    goes back to the proposal's page; False when the form is shown again with its errors."""
    if not form.is_valid():
        return False
    try:
        actions.record_response(
            proposal=proposal,
            member=request.user,
            position=form.cleaned_data["position"],
            reason=form.cleaned_data["reason"],
            principle=form.cleaned_data["principle"],
            request=request,
        )
    except DecisionError as refused:
        if closed_meanwhile(proposal):
            messages.error(request, refused.message)
            return True
        form.add_error(None, refused.message)
        return False
    messages.success(request, answered_message(proposal))
    return True


def shown_version(proposal: Proposal) -> ProposalVersion | None:
    """The current version's words, for an answer page."""
    return proposal.versions.filter(number=proposal.version).first()


# --- the answers part of the proposal page -------------------------------------------------


@dataclass(frozen=True)
class BlockOutlook:
    """What a standing block means at the deadline, by the rule the close applies. `lapses`: the
    rule needs a second and the block is alone, so it lapses at the close and `outcome` is what
    the answers give then. Otherwise `outcome` is what the blocks give (the quorum aside), and
    `quorum_short` how many answers the quorum needs when too few have answered yet (then the
    close would be "No quorum" instead)."""

    outcome: str
    lapses: bool = False
    quorum_short: int = 0

    @property
    def no_quorum(self) -> str:
        return str(Outcome.NO_QUORUM.label)


def block_outlook(
    rule: decision_rule.Rule, tally: decision_rule.Tally, *, quick: bool = False
) -> BlockOutlook | None:
    """What the deadline brings while a block stands (None without one)."""
    if not tally.block:
        return None
    now = decision_rule.decide(rule, tally, quick=quick)
    if not now.holding_blocks:
        return BlockOutlook(outcome=outcome_label(now.outcome), lapses=True)
    # What the blocks decide, whether or not enough people have answered yet.
    blocks = decision_rule.decide(dataclasses.replace(rule, quorum_percent=0), tally, quick=quick)
    short = now.quorum_needed if now.outcome == decision_rule.NO_QUORUM else 0
    return BlockOutlook(outcome=outcome_label(blocks.outcome), quorum_short=short)


@dataclass
class ResponsesPanel:
    """What `decisions/_responses.html` shows."""

    proposal: Proposal
    shown: bool  # in a responding stage, or closed after one
    responding: bool
    may_answer: bool
    refusal: str | None
    mine: Response | None
    must_reconfirm: bool
    form: ResponseForm | None
    counting: list[Response]
    earlier: list[Response]
    silent: list[User]
    tally: decision_rule.Tally | None
    if_closed_now: str
    blocks: list[Response]
    # While a block pauses the proposal: what the deadline brings if it still stands.
    outlook: BlockOutlook | None = None
    thread_ids: set[int] = field(default_factory=set)
    respond_url: str = ""

    @property
    def by_position(self) -> list[tuple[str, list[Response]]]:
        """The counting answers grouped by position, in the order of the positions."""
        return [
            (str(label), [r for r in self.counting if r.position == value])
            for value, label in Position.choices
            if any(r.position == value for r in self.counting)
        ]


def build_panel(
    request: HttpRequest,
    proposal: Proposal,
    *,
    form: ResponseForm | None = None,
    respond_url: str | None = None,
    now: dt.datetime | None = None,
) -> ResponsesPanel:
    """The answers, who has not answered, my answer and its form, the blocks. A fixed number of
    queries, however many members and answers."""
    now = now or timezone.now()
    user = request.user
    responding = proposal.stage in RESPONDING_STAGES
    shown = responding or (proposal.stage == Stage.CLOSED and bool(proposal.outcome))
    # Who has not answered matters only while answers are taken: a closed proposal's page does
    # not read the whole body (a thousand members in a large group).
    members = list(body_members(proposal).order_by("name", "pk")) if responding else []
    member_ids = {m.pk for m in members}
    in_body = user.pk in member_ids
    refusal = why_not_answer(user, proposal, in_body=in_body) if responding else None
    in_force = (
        list(
            Response.objects.in_force()
            .filter(proposal=proposal)
            .select_related("member", "principle")
            .order_by("created_at", "pk")
        )
        if shown
        else []
    )
    # As `Response.objects.counting`: this round's answers to the current version, and blocks
    # whatever version they answered (an amendment does not lift a block).
    counting = [
        r
        for r in in_force
        if r.round == proposal.round
        and (r.version == proposal.version or r.position == Position.BLOCK)
    ]
    counting_ids = {r.pk for r in counting}
    earlier = [r for r in in_force if r.pk not in counting_ids and r.round == proposal.round]
    answered = {r.member_id for r in counting}
    # Only an answer of this round is mine: a second round is answered afresh.
    mine = next((r for r in in_force if r.member_id == user.pk and r.round == proposal.round), None)
    if responding and refusal is None and is_overdue(proposal, now):
        refusal = _("The time to answer is over; the proposal closes in a moment.")
    may_answer = responding and refusal is None
    if may_answer and form is None:
        initial = {}
        if mine is not None:
            initial = {
                "position": mine.position,
                "reason": mine.reason,
                "principle": mine.principle_id,
            }
        form = ResponseForm(
            initial=initial, proposal=proposal, principles=actions.citable_principles(proposal)
        )
    tally = None
    if_closed_now = ""
    outlook = None
    if responding:
        positions = {r.member_id: r.position for r in counting if r.member_id is not None}
        tally = tally_from(proposal, member_ids, positions, now)
        rule = proposal.rule_to_apply()
        if_closed_now = outcome_label(
            decision_rule.decide(rule, tally, quick=proposal.is_quick).outcome
        )
        if proposal.paused_at is not None:
            outlook = block_outlook(rule, tally, quick=proposal.is_quick)
    blocks = [r for r in counting if r.position == Position.BLOCK]
    # A quick decision closes at a block: there is no thread to resolve it in.
    thread_ids = {
        b.pk
        for b in blocks
        if not proposal.is_quick
        and user.pk in (b.member_id, proposal.proposer_id, proposal.facilitator_id)
    }
    if respond_url is None:
        respond_url = reverse(
            "decisions:respond",
            kwargs={"group_slug": proposal.group.slug, "proposal_id": proposal.pk},
        )
    return ResponsesPanel(
        proposal=proposal,
        shown=shown,
        responding=responding,
        may_answer=may_answer,
        refusal=refusal,
        mine=mine,
        must_reconfirm=bool(may_answer and mine is not None and mine.version != proposal.version),
        form=form if may_answer else None,
        counting=[r for r in counting if r.member_id in member_ids or not responding],
        earlier=earlier,
        silent=[m for m in members if m.pk not in answered] if responding else [],
        tally=tally,
        if_closed_now=if_closed_now,
        outlook=outlook,
        blocks=blocks,
        thread_ids=thread_ids,
        respond_url=respond_url,
    )


def outcome_label(outcome: str) -> str:
    """An outcome in words; `rule.decide`'s "second round" is no stored outcome of its own."""
    return explain.outcome_label(outcome) or _("A further discussion and a second round")


# --- views ---------------------------------------------------------------------------------


@group_member
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, group: Group, proposal_id: int) -> HttpResponse:
    """My answer to the proposal: agree, with reservations, stand aside, block, abstain; or
    my earlier answer confirmed again after an amendment."""
    proposal = get_proposal_for_user(request.user, group, proposal_id)
    refusal = why_not_answer(request.user, proposal, in_body=is_in_body(request.user, proposal))
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(proposal_url(proposal))
    form = None
    status = 200
    if request.method == "POST":
        if "confirm" in request.POST:
            try:
                actions.confirm_response(proposal=proposal, member=request.user, request=request)
            except DecisionError as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, answered_message(proposal))
            return redirect(proposal_url(proposal))
        form = ResponseForm(
            request.POST, proposal=proposal, principles=actions.citable_principles(proposal)
        )
        if take_answer(request, proposal, form):
            return redirect(proposal_url(proposal))
        status = 400
    panel = build_panel(request, proposal, form=form)
    return render(
        request,
        "decisions/respond.html",
        {
            "group": group,
            "proposal": proposal,
            "version": shown_version(proposal),
            "responses_panel": panel,
        },
        status=status,
    )


@group_member
@require_http_methods(["GET", "POST"])
def block_thread(
    request: HttpRequest, group: Group, proposal_id: int, response_id: int
) -> HttpResponse:
    """The block, why, on which principle, and the thread in which the blocker, the proposer
    and the facilitator try to resolve it."""
    proposal = get_proposal_for_user(request.user, group, proposal_id)
    block = get_block(request.user, proposal, response_id)
    if request.method == "POST" and not proposal.is_open:
        messages.error(request, _("This proposal is closed: its record no longer changes."))
        return redirect(request.path)
    form = BlockMessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                block_actions.post_block_message(
                    block=block,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    request=request,
                )
            except DecisionError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Your message was sent to the others in the thread."))
                return redirect(request.path)
        status = 400
    latest = (
        Response.objects.in_force()
        .filter(proposal=proposal, member_id=block.member_id)
        .only("position", "version", "round")
        .first()
    )
    return render(
        request,
        "decisions/block_thread.html",
        {
            "group": group,
            "proposal": proposal,
            # Not "block": inside a template block that name is Django's own.
            "block_answer": block,
            "thread": list(block_actions.thread_of(block)),
            "stands": latest is not None
            and latest.position == Position.BLOCK
            and latest.version == proposal.version
            and latest.round == proposal.round,
            "withdrawn": latest is None or latest.position != Position.BLOCK,
            "form": form if proposal.is_open else None,
            "title": _title(proposal),
        },
        status=status,
    )


def _title(proposal: Proposal) -> str:
    version = proposal.versions.filter(number=proposal.version).only("title").first()
    return version.title if version is not None else ""
