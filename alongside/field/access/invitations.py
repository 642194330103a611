"""Lookups of the invitations part of field work: 404 alike for what does not exist and what
the person may not see.

A partner sees the invitations of the communities they speak for; a field coordinator those of
their team's communities (the `field_coordinator` decorator has settled the team)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from alongside.field.models import Invitation, Shift
from alongside.lib.access import communities_for_partner
from alongside.movement.models import Group, PartnerCommunity


def invitations_for_partner(user: Any) -> Any:
    return Invitation.objects.filter(community__in=communities_for_partner(user))


def get_invitation_for_partner(user: Any, invitation_id: int) -> Invitation:
    invitation = (
        invitations_for_partner(user).select_related("community").filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise Http404
    return invitation


def get_community_for_partner(user: Any, community_id: Any) -> PartnerCommunity:
    community = communities_for_partner(user).filter(pk=_int(community_id)).first()
    if community is None:
        raise Http404
    return community


def get_invitation_for_team(team: Group, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.of_team(team)
        .select_related("community", "created_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def get_shift_of_invitation(invitation: Invitation, shift_id: int) -> Shift:
    """A shift of `invitation` (which the caller has already looked up for the person)."""
    shift = invitation.shifts.filter(pk=shift_id).first()
    if shift is None:
        raise Http404
    shift.invitation = invitation
    return shift


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
