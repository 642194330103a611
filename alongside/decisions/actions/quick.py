"""Quick decisions in the field: a team on a shift decides within minutes (a demonstration is
attacked, the team must decide whether to stay).

A quick decision goes straight to the test for agreement, with a deadline in minutes; the team
confirmed on the shift decides (body "shift team"), in the field team's group. It closes at its
deadline, as soon as everyone has answered, or the moment anyone blocks it (actions/responses).
It may cite a mandate in force that the group gave to its teams in the field; one taken outside
any mandate and agreed is queued for the group to ratify (effects.apply_outcome).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.decisions import notify
from alongside.decisions.actions import DecisionError
from alongside.decisions.actions.stages import to_minute
from alongside.decisions.models import (
    Body,
    DecisionRule,
    Mandate,
    MandateHolder,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Stage,
)
from alongside.decisions.participants import shift_team
from alongside.field.access.safety import is_core_of, is_on_shift
from alongside.field.models import InvitationStatus, Shift
from alongside.lib import audit
from alongside.movement.models import Group

MIN_MINUTES = 5
MAX_MINUTES = 120
DEFAULT_MINUTES = 15
# A team may decide together from the day before its shift (whether to go) until it ends.
OPENS_BEFORE_START = dt.timedelta(hours=24)


def team_of(shift: Shift) -> Group:
    """The field team whose shift it is: the group a quick decision belongs to."""
    return shift.invitation.community.group


def may_start(user: Any, shift: Shift) -> bool:
    """The volunteers confirmed on the shift, and the field team's coordinators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_on_shift(user, shift.pk) or is_core_of(user, team_of(shift).pk)


def is_current(shift: Shift, now: dt.datetime) -> bool:
    """The shift is live and under way (or starts within a day)."""
    return (
        not shift.is_cancelled
        and shift.invitation.status == InvitationStatus.ACTIVE
        and shift.starts_at - OPENS_BEFORE_START <= now < shift.ends_at
    )


def mandates_for(shift: Shift, on: dt.date | None = None) -> list[Mandate]:
    """The mandates in force that the team's group gave to its teams in the field."""
    return list(
        Mandate.objects.in_force(on)
        .filter(group=team_of(shift), holder=MandateHolder.SHIFT_TEAMS)
        .order_by("-granted_at", "-pk")
    )


def start_quick_decision(
    *,
    shift: Shift,
    proposer: Any,
    title: str,
    text: str,
    minutes: int,
    mandate: Mandate | None = None,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Proposal:
    """Open a quick decision of the team on `shift`, in its test for agreement at once, closing
    in `minutes` (5 to 120). Refused (DecisionError) for anyone who is neither on the team nor
    one of its coordinators, for a shift that is not under way, without a team, or with a
    mandate that is not in force for the teams in the field."""
    now = now or timezone.now()
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise DecisionError(_("Give the team between 5 and 120 minutes."))
    if not title.strip() or not text.strip():
        raise DecisionError(_("Say what the team is deciding."))
    with transaction.atomic():
        if not may_start(proposer, shift):
            raise DecisionError(
                _("Only the team on this shift and its coordinators can start a decision.")
            )
        if not is_current(shift, now):
            raise DecisionError(_("Quick decisions are for a shift that is under way."))
        if not shift_team(shift.pk).exists():
            raise DecisionError(_("Nobody is confirmed on this shift to decide."))
        if mandate is not None and mandate not in mandates_for(shift, timezone.localdate(now)):
            raise DecisionError(_("That mandate is not in force for the teams in the field."))
        proposal = Proposal.objects.create(
            group=team_of(shift),
            kind=ProposalKind.QUICK,
            body=Body.SHIFT_TEAM,
            shift=shift,
            mandate=mandate,
            proposer=proposer,
            facilitator=proposer,
            stage=Stage.TEST,
            created_at=now,
            opened_at=now,
            stage_started_at=now,
            test_started_at=now,
            test_rule=DecisionRule.objects.snapshot(team_of(shift)),
            test_end=_minute_up(now + dt.timedelta(minutes=minutes)),
        )
        ProposalVersion.objects.create(
            proposal=proposal, number=1, title=title.strip(), text=text.strip(), created_at=now
        )
        audit.record(
            actor=proposer,
            action="open",
            target=proposal,
            request=request,
            detail={"kind": ProposalKind.QUICK, "minutes": minutes, "mandate": mandate is not None},
        )
        notify.stage_started(proposal)
    return proposal


def _minute_up(moment: dt.datetime) -> dt.datetime:
    """Deadlines are kept to the minute; a quick one is rounded up, never cut short."""
    trimmed = to_minute(moment)
    return trimmed if trimmed == moment else trimmed + dt.timedelta(minutes=1)
