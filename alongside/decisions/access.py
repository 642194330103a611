"""Lookups of decisions for one person: 404 alike for what does not exist and for what they may
not see (see `alongside.decisions.participants.can_see`)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from alongside.decisions.models import (
    Amendment,
    Comment,
    Mandate,
    Proposal,
    ProposalKind,
    Response,
)
from alongside.decisions.participants import can_see, roles_in
from alongside.movement.models import Group


def get_proposal_for_user(user: Any, group: Group, proposal_id: int) -> Proposal:
    """A proposal of `group` that `user` may see (the group's decisions pages)."""
    proposal = (
        Proposal.objects.select_related("group", "proposer", "facilitator", "shift", "mandate")
        .filter(group=group, pk=proposal_id)
        .first()
    )
    if proposal is None or not can_see(user, proposal):
        raise Http404
    return proposal


def get_quick_proposal_for_user(user: Any, proposal_id: int) -> Proposal:
    """A quick decision in the field that `user` may see: the team on its shift, or a member of
    its group (the field team's coordinators)."""
    proposal = (
        Proposal.objects.select_related("group", "proposer", "facilitator", "shift", "mandate")
        .filter(pk=proposal_id, kind=ProposalKind.QUICK)
        .first()
    )
    if proposal is None or not can_see(user, proposal, roles=roles_in(user, proposal.group)):
        raise Http404
    return proposal


def get_comment(proposal: Proposal, comment_id: int) -> Comment:
    found = Comment.objects.filter(proposal=proposal, pk=comment_id).first()
    if found is None:
        raise Http404
    return found


def get_amendment(proposal: Proposal, amendment_id: int) -> Amendment:
    found = (
        Amendment.objects.select_related("author")
        .filter(proposal=proposal, pk=amendment_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_block(user: Any, proposal: Proposal, response_id: int) -> Response:
    """A block on `proposal` whose thread `user` takes part in: the blocker, the proposer or the
    facilitator. Everyone else gets 404 (the thread is theirs to resolve)."""
    found = (
        Response.objects.select_related("member", "principle")
        .filter(proposal=proposal, pk=response_id, position="block")
        .first()
    )
    if found is None:
        raise Http404
    if user.pk not in (found.member_id, proposal.proposer_id, proposal.facilitator_id):
        raise Http404
    return found


def get_mandate(group: Group, mandate_id: int) -> Mandate:
    found = Mandate.objects.filter(group=group, pk=mandate_id).first()
    if found is None:
        raise Http404
    return found
