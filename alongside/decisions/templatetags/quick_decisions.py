"""`{% quick_decisions_of shift as quick %}`: a shift's open quick decisions, and whether one may
be started now, for the volunteer's check-in panel and the coordinators' roster page, so that
whoever is on the shift finds the question without digging for the email."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from alongside.decisions.actions.quick import is_current
from alongside.decisions.models import Proposal, ProposalKind, ProposalVersion
from alongside.field.models import Shift

register = template.Library()


@dataclass(frozen=True)
class QuickDecisions:
    open: list[Proposal]
    may_start: bool


@register.simple_tag
def quick_decisions_of(shift: Shift) -> QuickDecisions:
    """The open quick decisions on `shift`, newest first, each with its `title`; `may_start`
    while the shift is under way (the page shows the link only to people who may start one)."""
    decisions = list(
        Proposal.objects.open()
        .filter(kind=ProposalKind.QUICK, shift_id=shift.pk)
        .annotate(
            title=Subquery(
                ProposalVersion.objects.filter(
                    proposal=OuterRef("pk"), number=OuterRef("version")
                ).values("title")[:1]
            )
        )
        .order_by("-opened_at", "-pk")
    )
    return QuickDecisions(open=decisions, may_start=is_current(shift, timezone.now()))
