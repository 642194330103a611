"""Lookups of decisions for one person: 404 alike for what does not exist and for what they may
not see (see `alongside.decisions.participants.can_see`)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from alongside.decisions.models import (
    Absence,
    ActionItem,
    Amendment,
    Comment,
    Mandate,
    Proposal,
    ProposalKind,
    Response,
)
from alongside.decisions.participants import can_see, in_block_thread
from alongside.lib.access import get_in_group
from alongside.movement.models import Group


def _seen_by(user: Any, **lookup: Any) -> Proposal:
    """The proposal matching `lookup` with what its pages show read along, if `user` may see
    it; 404 otherwise."""
    proposal = (
        Proposal.objects.select_related("group", "proposer", "facilitator", "shift", "mandate")
        .filter(**lookup)
        .first()
    )
    if proposal is None or not can_see(user, proposal):
        raise Http404
    return proposal


def get_proposal_for_user(user: Any, group: Group, proposal_id: int) -> Proposal:
    """A proposal of `group` that `user` may see (the group's decisions pages)."""
    return _seen_by(user, group=group, pk=proposal_id)


def get_quick_proposal_for_user(user: Any, proposal_id: int) -> Proposal:
    """A quick decision in the field that `user` may see: the team on its shift, or a member of
    its group (the field team's coordinators)."""
    return _seen_by(user, pk=proposal_id, kind=ProposalKind.QUICK)


def get_any_proposal_for_user(user: Any, proposal_id: int) -> Proposal:
    """Any proposal that `user` may see, whatever its group (the links in emails)."""
    return _seen_by(user, pk=proposal_id)


def get_action_item(proposal: Proposal, item_id: int) -> ActionItem:
    return get_object_or_404(ActionItem, proposal=proposal, pk=item_id)


def get_own_absence(user: Any, group: Group, absence_id: int) -> Absence:
    """One of `user`'s own absences in `group`; 404 for anyone else's."""
    return get_object_or_404(Absence, group=group, member=user, pk=absence_id)


def get_comment(proposal: Proposal, comment_id: int) -> Comment:
    return get_object_or_404(Comment, proposal=proposal, pk=comment_id)


def get_amendment(proposal: Proposal, amendment_id: int) -> Amendment:
    return get_object_or_404(
        Amendment.objects.select_related("author"), proposal=proposal, pk=amendment_id
    )


def get_block(user: Any, proposal: Proposal, response_id: int) -> Response:
    """A block on `proposal` whose thread `user` takes part in: the blocker, the proposer or the
    facilitator. Everyone else gets 404 (the thread is theirs to resolve)."""
    found = get_object_or_404(
        Response.objects.select_related("member", "principle"),
        proposal=proposal,
        pk=response_id,
        position="block",
    )
    found.proposal = proposal
    if not in_block_thread(user, found):
        raise Http404
    return found


def get_mandate(group: Group, mandate_id: int) -> Mandate:
    return get_in_group(Mandate, group, mandate_id)
