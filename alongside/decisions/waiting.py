"""Decisions waiting for one person's answer: open proposals in a responding stage (the test
for agreement, a second round) whose body they are in, without an answer of theirs that counts,
and whose deadline has not passed (an answer after it is refused: the proposal closes). Shown on
their home page; one query, however many groups and proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, When
from django.utils import timezone

from alongside.decisions.models import (
    RESPONDING_STAGES,
    Body,
    Proposal,
    ProposalQuerySet,
    ProposalVersion,
    Response,
    Stage,
)
from alongside.field.models import SignUp, SignUpStatus
from alongside.movement.models import Membership, Role


def waiting_for(user: Any, now: dt.datetime | None = None) -> ProposalQuerySet:
    """The proposals `user` should answer now, the soonest deadline first, each with its
    current title (`title`) and deadline (`ends_at`), still ahead."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Proposal.objects.none()
    groups = Membership.objects.filter(user=user).values("group_id")
    core_groups = Membership.objects.filter(user=user, role=Role.CORE).values("group_id")
    on_shift = SignUp.objects.filter(
        user=user, status=SignUpStatus.CONFIRMED, shift_id=OuterRef("shift_id")
    )
    answered = Response.objects.current_of(user)
    return (
        Proposal.objects.filter(stage__in=RESPONDING_STAGES)
        .filter(
            Q(body=Body.MEMBERS, group__in=groups)
            | Q(body=Body.CORE, group__in=core_groups)
            | Q(Exists(on_shift), body=Body.SHIFT_TEAM)
        )
        .exclude(Exists(answered))
        .select_related("group")
        .annotate(
            title=Subquery(
                ProposalVersion.objects.filter(
                    proposal=OuterRef("pk"), number=OuterRef("version")
                ).values("title")[:1]
            ),
            ends_at=Case(
                When(stage=Stage.SECOND_ROUND, then=F("second_round_end")),
                default=F("test_end"),
            ),
        )
        .filter(ends_at__gt=now or timezone.now())
        .order_by("ends_at", "pk")
    )
