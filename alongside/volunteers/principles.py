"""Which version of the principles a person must agree to, and whether they have.

Kept apart from the actions so that every step of the pipeline (stage changes, training
registration, later field sign-ups) can ask without import cycles."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from alongside.movement.models import Group, GroupKind, Principle, PrinciplesVersion
from alongside.volunteers.models import Application, PrinciplesAgreement


def principles_for(group: Group) -> PrinciplesVersion | None:
    """The current principles a member of `group` agrees to: the group's own latest version,
    else the movement's (the field team's) latest."""
    versions = PrinciplesVersion.objects.prefetch_related(
        Prefetch("principles", queryset=Principle.objects.order_by("position"))
    ).select_related("group")
    own = versions.filter(group=group).order_by("-number").first()
    if own is not None:
        return own
    return versions.filter(group__kind=GroupKind.FIELD).order_by("-published_at", "-pk").first()


def needs_to_agree(user: Any, group: Group) -> PrinciplesVersion | None:
    """The principles version `user` must agree to before their next step or sign-up in
    `group`, or None. Only people with a submitted application that is not closed are asked:
    a draft agrees right after submitting, and returned volunteers are done."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not Application.objects.filter(user=user, group=group).submitted().active().exists():
        return None
    version = principles_for(group)
    if version is None:
        return None
    if PrinciplesAgreement.objects.filter(user=user, version=version).exists():
        return None
    return version
