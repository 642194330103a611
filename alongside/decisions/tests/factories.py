"""Test data for decisions: proposals at any stage, responses, mandates. Shared by every test
module of the app; add to it rather than building rows by hand in a test."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions.models import (
    DEADLINE_FIELD,
    STAGE_SEQUENCE,
    Body,
    ClosedHow,
    Mandate,
    MandateHolder,
    Outcome,
    Position,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Response,
    Stage,
)
from alongside.field.models import Shift, SignUp, SignUpStatus
from alongside.movement.models import (
    Group,
    Membership,
    PartnerCommunity,
    Principle,
    PrinciplesVersion,
    Role,
)


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


# --- helper B: members, a team on a shift ---------------------------------------------------

_people = itertools.count(1)


def add_member(
    group: Group, name: str = "Nadia Member", *, role: str = Role.MEMBER, language: str = "en"
) -> User:
    """A new person holding `role` in `group` (a member also when `role` is core)."""
    from conftest import make_user

    user = make_user(f"member{next(_people)}@example.net", name, language=language)
    Membership.objects.create(group=group, user=user, role=Role.MEMBER)
    if role != Role.MEMBER:
        Membership.objects.create(group=group, user=user, role=role)
    return user


def team_on_shift(
    community: PartnerCommunity, *, size: int = 3, started_minutes_ago: int = 10
) -> tuple[Shift, list[User]]:
    """A shift of `community`'s field team under way, with `size` people confirmed on it (not
    members of the field team: volunteers of their support groups)."""
    from alongside.field.tests.factories import make_shift
    from conftest import make_user

    shift = make_shift(
        community=community,
        starts_at=timezone.now() - dt.timedelta(minutes=started_minutes_ago),
        places=max(size, 1),
        min_volunteers=1,
    )
    team = []
    for index in range(size):
        user = make_user(f"team{next(_people)}@example.net", f"Teammate{index + 1} Field")
        SignUp.objects.create(shift=shift, user=user, status=SignUpStatus.CONFIRMED)
        team.append(user)
    return shift, team


# --- helper C: closed proposals as the register shows them ----------------------------------


def join_group(group: Group, name: str = "Rana Member", *, core: bool = False) -> User:
    """A new person who is a member (and, with `core`, a core member) of `group`."""
    return add_member(group, name, role=Role.CORE if core else Role.MEMBER)


def close_as(
    proposal: Proposal,
    outcome: str = Outcome.CONSENSUS,
    *,
    how: str = ClosedHow.DEADLINE,
    closed_at: dt.datetime | None = None,
    members: int = 4,
    excused: int = 0,
    **counts: int,
) -> Proposal:
    """Store `outcome` on `proposal` as the close does, with the rule in force and a tally
    (`agree=3, stand_aside=1`...) worked through `rule.decide` for the reasons. The tests of
    the close itself go through `actions/closing`; this is for the register and the pages."""
    from alongside.decisions import rule as decision_rule
    from alongside.decisions.models import DecisionRule

    rule = DecisionRule.objects.in_force(proposal.group).as_rule()
    if not counts:
        counts = {"agree": members - excused}
    tally = decision_rule.Tally(members=members, excused=excused, round=proposal.round, **counts)
    result = decision_rule.decide(rule, tally, quick=proposal.is_quick)
    proposal.stage = Stage.CLOSED
    proposal.outcome = outcome
    proposal.closed_how = how
    proposal.closed_at = closed_at or timezone.now()
    proposal.outcome_detail = {
        "rule": rule.as_dict(),
        "tally": tally.as_dict(),
        **result.as_dict(),
        "outcome": outcome,
    }
    proposal.save()
    return proposal


def make_closed(
    *,
    group: Group,
    proposer: User,
    outcome: str = Outcome.CONSENSUS,
    title: str = "Join the spring olive harvest",
    text: str = "We send **four** volunteers to the harvest in Burin.",
    closed_at: dt.datetime | None = None,
    **fields: Any,
) -> Proposal:
    """A proposal that went through its test and closed with `outcome`."""
    proposal = make_proposal(
        group=group, proposer=proposer, stage=Stage.TEST, title=title, text=text, **fields
    )
    return close_as(proposal, outcome, closed_at=closed_at)
