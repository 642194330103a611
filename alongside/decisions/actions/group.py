"""A group's decision-making around the proposals: members' excused absences, and the action
items that carry out what was agreed.

Action items are the follow-up of a decision, so unlike everything else of a proposal's record
they may be added and marked done after the close: by its facilitator or proposer (adding), by
any member of its body or the item's owner (marking done). An item's words are never changed
once written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.decisions.actions import DecisionError, lock_proposal
from alongside.decisions.models import Absence, ActionItem, Body, Proposal, Stage, away_between
from alongside.decisions.participants import body_members, is_in_body, is_member, members_of
from alongside.field.actions.locks import lock_person
from alongside.lib import audit
from alongside.movement.models import Group

# An absence excuses a member from the quorum; a year is long enough for any journey, and a
# longer one is leaving the group rather than being away.
LONGEST_ABSENCE = dt.timedelta(days=366)


# --- excused absences ----------------------------------------------------------------------


def record_absence(
    *,
    group: Group,
    member: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    request: HttpRequest | None = None,
) -> Absence:
    """`member` tells the group they are away from `starts_on` to `ends_on` (both included):
    proposals whose test for agreement overlaps it do not count them toward the quorum unless
    they answer. Only one's own absence: nobody is excused by someone else."""
    if ends_on < starts_on:
        raise DecisionError(_("The last day cannot be before the first."))
    if ends_on < timezone.localdate():
        raise DecisionError(_("This absence is over already."))
    if ends_on - starts_on > LONGEST_ABSENCE:
        raise DecisionError(_("An absence can last a year at most."))
    with transaction.atomic():
        if not is_member(member, group):
            raise DecisionError(_("Only members of the group can be excused."))
        # The dates are encrypted: compare in Python, under the member's row lock, so that two
        # tabs cannot record overlapping absences at once.
        lock_person(member.pk)
        if member.pk in away_between(group, [member.pk], starts_on, ends_on):
            raise DecisionError(
                _("You are already away on some of these days; remove that absence first.")
            )
        absence = Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
            group=group, member=member, starts_on=starts_on, ends_on=ends_on
        )
        audit.record(
            actor=member,
            action="record_absence",
            target=absence,
            request=request,
            detail={"days": (ends_on - starts_on).days + 1},
        )
    return absence


def delete_absence(*, absence: Absence, actor: Any, request: HttpRequest | None = None) -> None:
    """Remove one's own absence (plans changed). One that is over stays: it explains the
    excused members of proposals that closed during it."""
    if absence.member_id != actor.pk:
        raise DecisionError(_("You can only remove your own absence."))
    if cast(dt.date, absence.ends_on) < timezone.localdate():
        raise DecisionError(_("This absence is over; it stays on record."))
    with transaction.atomic():
        audit.record(actor=actor, action="delete_absence", target=absence, request=request)
        absence.delete()


# --- action items --------------------------------------------------------------------------


def may_add_action_items(user: Any, proposal: Proposal) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and proposal.stage != Stage.WITHDRAWN
        and user.pk in (proposal.facilitator_id, proposal.proposer_id)
    )


def may_mark_done(user: Any, item: ActionItem, *, in_body: bool) -> bool:
    return getattr(user, "is_authenticated", False) and (in_body or item.owner_id == user.pk)


def possible_owners(proposal: Proposal) -> QuerySet[User]:
    """Who may own an action item: the group's members, and for a quick decision the team on
    the shift too (it may include volunteers of other groups)."""
    if proposal.body != Body.SHIFT_TEAM:
        return members_of(proposal.group)
    team = body_members(proposal).values("pk")
    return User.objects.filter(
        Q(memberships__group=proposal.group) | Q(pk__in=team), is_active=True
    ).distinct()


def add_action_item(
    *,
    proposal: Proposal,
    text: str,
    owner: Any | None,
    due_on: dt.date | None,
    actor: Any,
    request: HttpRequest | None = None,
) -> ActionItem:
    """The facilitator or the proposer adds something to do, with an owner and a due date:
    at any stage, and after the close too (the follow-up of the decision)."""
    with transaction.atomic():
        locked = lock_proposal(proposal.pk)
        if locked.stage == Stage.WITHDRAWN:
            raise DecisionError(_("This proposal was withdrawn: there is nothing to carry out."))
        if actor.pk not in (locked.facilitator_id, locked.proposer_id):
            raise DecisionError(_("Only the facilitator or the proposer can add action items."))
        if owner is not None and not possible_owners(locked).filter(pk=owner.pk).exists():
            raise DecisionError(_("The owner must be a member of the group."))
        item = ActionItem.objects.create(
            proposal=locked, text=text, owner=owner, due_on=due_on, created_by=actor
        )
        audit.record(
            actor=actor,
            action="add_action_item",
            target=item,
            request=request,
            detail={"proposal": locked.pk, "owner": owner.pk if owner is not None else None},
        )
    return item


def mark_action_item_done(
    *, item: ActionItem, actor: Any, request: HttpRequest | None = None
) -> ActionItem:
    """Any member of the proposal's body, or the item's owner, marks it done. Marking it again
    changes nothing (two people ticking it at once)."""
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().select_related("proposal").get(pk=item.pk)
        if locked.done_at is not None:
            return locked
        proposal = locked.proposal
        if proposal.stage == Stage.WITHDRAWN:
            raise DecisionError(_("This proposal was withdrawn: there is nothing to carry out."))
        in_body = is_in_body(actor, proposal)
        if not may_mark_done(actor, locked, in_body=in_body):
            raise DecisionError(
                _("Only the people who decided it, or the item's owner, can mark it done.")
            )
        locked.done_at = timezone.now()
        locked.done_by = actor
        locked.save(update_fields=["done_at", "done_by"])
        audit.record(
            actor=actor,
            action="action_item_done",
            target=locked,
            request=request,
            detail={"proposal": proposal.pk},
        )
    return locked
