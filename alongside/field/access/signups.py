"""Lookups of the sign-ups part of field work: 404 alike for what does not exist and what the
person may not see.

A shift's page is for volunteers ready for the field (they choose among shifts) and for anyone
on its roster or waiting list; everyone else gets 404. Coordinators reach a shift through their
own team."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from alongside.field.eligibility import FIELD_STAGES
from alongside.field.models import Shift, SignUp, SignUpStatus
from alongside.movement.models import Group
from alongside.volunteers.models import Application


def _shifts() -> Any:
    return Shift.objects.select_related("invitation__community__group")


def get_shift_for_volunteer(user: Any, shift_id: int) -> Shift:
    shift = _shifts().filter(pk=shift_id).first()
    if shift is None or not getattr(user, "is_authenticated", False):
        raise Http404
    on_roster = shift.signups.filter(user=user).exclude(status=SignUpStatus.CANCELLED).exists()
    if not on_roster and not Application.objects.filter(user=user, stage__in=FIELD_STAGES).exists():
        raise Http404
    return shift


def get_own_signup(user: Any, shift: Shift) -> SignUp:
    """The person's sign-up on `shift` that is not cancelled; 404 when there is none."""
    signup = (
        SignUp.objects.filter(shift=shift, user=user)
        .exclude(status=SignUpStatus.CANCELLED)
        .select_related("shift__invitation__community")
        .first()
    )
    if signup is None:
        raise Http404
    return signup


def get_shift_for_team(team: Group, shift_id: int) -> Shift:
    """A shift of one of `team`'s partner communities (the caller checked the coordinator)."""
    shift = _shifts().filter(pk=shift_id, invitation__community__group=team).first()
    if shift is None:
        raise Http404
    return shift


def get_signup_for_shift(shift: Shift, signup_id: int) -> SignUp:
    signup = SignUp.objects.filter(shift=shift, pk=signup_id).select_related("user").first()
    if signup is None:
        raise Http404
    return signup
