"""Lookups of the safety part of field work: 404 alike for what does not exist and what the
person may not see.

Who sees an escalation (a missed check-in or a call for help): the field coordinators of the
shift's team, the volunteers confirmed on that shift (the person themself among them), and,
once it has reached them, the core members of the volunteer's support group. Incident notes
are written by a confirmed volunteer on the shift or a coordinator of its team."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from alongside.field.models import Escalation, EscalationLevel, Shift, SignUp, SignUpStatus
from alongside.movement.models import Membership, Role
from alongside.volunteers.models import Application, Stage

# The application that ties a volunteer in the field to the support group that sent them.
FIELD_STAGES = (Stage.READY, Stage.IN_FIELD)


def support_group_id(user_id: int) -> int | None:
    """The support group of the volunteer's application for the field (the newest one)."""
    return (
        Application.objects.filter(user_id=user_id, stage__in=FIELD_STAGES)
        .order_by("-stage_changed_at", "-pk")
        .values_list("group_id", flat=True)
        .first()
    )


def is_core_of(user: Any, group_id: int | None) -> bool:
    if group_id is None or not getattr(user, "pk", None):
        return False
    return Membership.objects.filter(user=user, group_id=group_id, role=Role.CORE).exists()


def is_on_shift(user: Any, shift_id: int) -> bool:
    return SignUp.objects.filter(
        shift_id=shift_id, user=user, status=SignUpStatus.CONFIRMED
    ).exists()


def get_signup_for_checkin(user: Any, shift_id: int) -> SignUp:
    """The person's own confirmed place on a shift that still takes place."""
    signup = (
        SignUp.objects.filter(shift_id=shift_id, user=user, status=SignUpStatus.CONFIRMED)
        .filter(shift__in=Shift.objects.live())
        .select_related("shift__invitation__community", "user")
        .first()
        if getattr(user, "pk", None)
        else None
    )
    if signup is None:
        raise Http404
    return signup


def get_shift_for_incident(user: Any, shift_id: int) -> Shift:
    """A shift the person is confirmed on, or one of a field team they coordinate."""
    shift = Shift.objects.filter(pk=shift_id).select_related("invitation__community__group").first()
    if shift is None or not getattr(user, "pk", None):
        raise Http404
    if not (is_on_shift(user, shift.pk) or is_core_of(user, shift.invitation.community.group_id)):
        raise Http404
    return shift


def may_see_escalation(user: Any, escalation: Escalation) -> bool:
    signup = escalation.checkin.signup
    if is_core_of(user, signup.shift.invitation.community.group_id):
        return True
    if is_on_shift(user, signup.shift_id):
        return True
    return escalation.level >= EscalationLevel.SUPPORT_GROUP and is_core_of(
        user, support_group_id(signup.user_id)
    )


def _escalations() -> Any:
    return Escalation.objects.select_related(
        "checkin__signup__user",
        "checkin__signup__shift__invitation__community__group",
        "acknowledged_by",
    )


def get_escalation_for_user(user: Any, escalation_id: int) -> Escalation:
    escalation = _escalations().filter(pk=escalation_id).first()
    if escalation is None or not may_see_escalation(user, escalation):
        raise Http404
    return escalation


def get_escalation_for_team(team: Any, escalation_id: int) -> Escalation:
    """An escalation on a shift of `team` (the caller checked that the person coordinates it)."""
    escalation = (
        _escalations()
        .filter(pk=escalation_id, checkin__signup__shift__invitation__community__group=team)
        .first()
    )
    if escalation is None:
        raise Http404
    return escalation
