"""Who takes a proposal's decision, and who may see it.

The *body* of a proposal: all active members of its group, the group's core group, or the
volunteers confirmed on one shift (a quick decision in the field). Kept apart from the actions
and the views so that both ask the same question the same way."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from alongside.accounts.models import User
from alongside.decisions.models import Body, Proposal, Response, Stage
from alongside.field.models import SignUpStatus
from alongside.lib.access import user_roles as roles_in
from alongside.movement.models import PRIVILEGED_ROLES, Group, Role


def members_of(group: Group) -> QuerySet[User]:
    """The group's active members: everyone holding any role in it."""
    return User.objects.filter(is_active=True, memberships__group=group).distinct()


def core_of(group: Group) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__group=group, memberships__role=Role.CORE
    ).distinct()


def shift_team(shift_id: int) -> QuerySet[User]:
    """The volunteers confirmed on a shift: the team in the field."""
    return User.objects.filter(
        is_active=True,
        shift_signups__shift_id=shift_id,
        shift_signups__status=SignUpStatus.CONFIRMED,
    ).distinct()


def body_members(proposal: Proposal) -> QuerySet[User]:
    """Who decides `proposal` now (active people only)."""
    if proposal.body == Body.SHIFT_TEAM:
        assert proposal.shift_id is not None
        return shift_team(proposal.shift_id)
    if proposal.body == Body.CORE:
        return core_of(proposal.group)
    return members_of(proposal.group)


def is_in_body(user: Any, proposal: Proposal) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return body_members(proposal).filter(pk=user.pk).exists()


def is_member(user: Any, group: Group) -> bool:
    """Does `user` (active) hold any role in `group`?"""
    return user is not None and members_of(group).filter(pk=user.pk).exists()


def is_core(user: Any, group: Group) -> bool:
    """Is `user` (active) a core member of `group`?"""
    return user is not None and core_of(group).filter(pk=user.pk).exists()


def in_block_thread(user: Any, block: Response) -> bool:
    """The blocker, the proposer and the facilitator take part in a block's thread."""
    proposal = block.proposal
    return user.pk in (block.member_id, proposal.proposer_id, proposal.facilitator_id)


def in_team(user: Any, proposal: Proposal) -> bool:
    """Was `user` in the team that takes this quick decision: confirmed on its shift now, its
    proposer, or someone who answered it (and left the shift since)? The team sees its own
    decision without a second factor; anyone else who may see it needs one."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        user.pk == proposal.proposer_id
        or is_in_body(user, proposal)
        or proposal.responses.filter(member=user).exists()
    )


def needs_second_factor(user: Any, proposal: Proposal) -> bool:
    """Does the page of `proposal` ask `user` for a second factor first? Only a quick decision
    seen from outside its team: it names the people on a shift in the field."""
    return proposal.body == Body.SHIFT_TEAM and not in_team(user, proposal)


def can_see(user: Any, proposal: Proposal, *, roles: set[str] | None = None) -> bool:
    """May `user` open this proposal?

    - Never opened (a draft, or a draft withdrawn): its proposer and facilitator only.
    - A quick decision: the team on the shift (`in_team`), and of the group only those holding
      a privileged role (core, documenter): it names who was in the field. The pages ask them
      for a second factor (`needs_second_factor`).
    - The core group's: its core members, until it is closed (a withdrawn one stays theirs).
    - Everything else, and the core group's closed decisions (the register): the group's
      members."""
    if not getattr(user, "is_authenticated", False):
        return False
    if proposal.opened_at is None:
        return user.pk in (proposal.proposer_id, proposal.facilitator_id)
    if roles is None:
        roles = roles_in(user, proposal.group)
    if proposal.body == Body.SHIFT_TEAM:
        return bool(roles & set(PRIVILEGED_ROLES)) or in_team(user, proposal)
    if proposal.body == Body.CORE and proposal.stage != Stage.CLOSED:
        return Role.CORE in roles
    return bool(roles)
