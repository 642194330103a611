"""`{% quick_decisions_of shift as quick %}`: a shift's open quick decisions, and whether the
viewer may start one now, for the volunteer's check-in panel and the coordinators' roster page,
so that whoever is on the shift finds the question without digging for the email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import timezone

from alongside.decisions.actions.quick import is_current, may_start
from alongside.decisions.models import Proposal, ProposalKind
from alongside.decisions.register import with_final_title
from alongside.field.models import Shift

register = template.Library()


@dataclass(frozen=True)
class QuickDecisions:
    open: list[Proposal]
    may_start: bool


@register.simple_tag(takes_context=True)
def quick_decisions_of(context: dict[str, Any], shift: Shift) -> QuickDecisions:
    """The open quick decisions on `shift`, newest first, each with its `final_title`;
    `may_start` while the shift is under way and the viewer (the request's user) may start one:
    someone confirmed on it, or a coordinator of its field team (`actions.quick.may_start`)."""
    decisions = list(
        with_final_title(
            Proposal.objects.open().filter(kind=ProposalKind.QUICK, shift_id=shift.pk)
        ).order_by("-opened_at", "-pk")
    )
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = is_current(shift, timezone.now()) and may_start(user, shift)
    return QuickDecisions(open=decisions, may_start=allowed)
