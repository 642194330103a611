"""Test data for decisions: proposals at any stage, responses, mandates. Shared by every test
module of the app; add to it rather than building rows by hand in a test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions.models import (
    DEADLINE_FIELD,
    STAGE_SEQUENCE,
    Body,
    Mandate,
    MandateHolder,
    Position,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Response,
    Stage,
)
from alongside.movement.models import Group, Principle, PrinciplesVersion


def make_proposal(
    *,
    group: Group,
    proposer: User,
    stage: str = Stage.QUESTIONS,
    title: str = "Join the spring olive harvest",
    text: str = "We send **four** volunteers to the harvest in Burin.",
    body: str = Body.MEMBERS,
    kind: str = ProposalKind.GENERAL,
    facilitator: User | None = None,
    hours_per_stage: int = 48,
    **fields: Any,
) -> Proposal:
    """A proposal in `stage`, with version 1 and deadlines `hours_per_stage` apart: the current
    stage started an hour ago; earlier stages are in the past, later ones in the future."""
    now = timezone.now()
    proposal = Proposal(
        group=group,
        proposer=proposer,
        facilitator=facilitator or proposer,
        kind=kind,
        body=body,
        stage=stage,
        **fields,
    )
    current = STAGE_SEQUENCE.index(stage) if stage in STAGE_SEQUENCE else 0  # type: ignore[arg-type]
    if stage in (Stage.CLOSED, Stage.WITHDRAWN):
        current = len(STAGE_SEQUENCE)
    stage_start = now - dt.timedelta(hours=1)
    for index, name in enumerate(STAGE_SEQUENCE):
        end = stage_start + dt.timedelta(hours=hours_per_stage * (index - current + 1))
        if getattr(proposal, DEADLINE_FIELD[name]) is None:
            setattr(proposal, DEADLINE_FIELD[name], end)
    if stage != Stage.DRAFT:
        proposal.opened_at = proposal.opened_at or now - dt.timedelta(days=3)
        proposal.stage_started_at = proposal.stage_started_at or stage_start
    if stage in (Stage.TEST, Stage.SECOND_ROUND, Stage.DISCUSSION, Stage.CLOSED):
        proposal.test_started_at = proposal.test_started_at or stage_start
    proposal.save()
    ProposalVersion.objects.create(
        proposal=proposal, number=1, title=title, text=text, why="Because we were invited."
    )
    return proposal


def respond(
    proposal: Proposal,
    member: User,
    position: str = Position.AGREE,
    *,
    reason: str = "",
    principle: Principle | None = None,
) -> Response:
    """Record an answer directly (the tests of the actions use the actions)."""
    if position in (Position.RESERVATIONS, Position.STAND_ASIDE, Position.BLOCK) and not reason:
        reason = "A reason given in a test."
    if position == Position.BLOCK and principle is None:
        principle = a_principle(proposal.group)
    Response.objects.filter(proposal=proposal, member=member, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )
    return Response.objects.create(
        proposal=proposal,
        member=member,
        version=proposal.version,
        round=proposal.round,
        position=position,
        reason=reason,
        principle=principle,
    )


def a_principle(group: Group) -> Principle:
    """A principle of `group` (its current version), made when it has none."""
    found = Principle.objects.filter(version__group=group).order_by("-version__number").first()
    if found is not None:
        return found
    version = PrinciplesVersion.objects.create(group=group, number=1)
    return Principle.objects.create(
        version=version, position=1, title_en="Nonviolence", text_en="We act without violence."
    )


def make_mandate(*, group: Group, holder: str = MandateHolder.CORE, **fields: Any) -> Mandate:
    values: dict[str, Any] = {
        "title": "Answer press requests",
        "scope": "The core group answers journalists' requests.",
        "limits": "No statement about a named person.",
        "until": timezone.localdate() + dt.timedelta(days=180),
        "report_back": "At each monthly meeting",
    }
    values.update(fields)
    return Mandate.objects.create(group=group, holder=holder, **values)
