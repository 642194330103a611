"""The community partner's screens: their invitations, a new one, who is coming (first names
and languages only), changing and cancelling. Partners sign in without a second factor: they see
no one's personal data beyond a first name (docs/decisions/0009)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.field import recurrence
from alongside.field.access.invitations import (
    get_invitation_for_partner,
    get_shift_of_invitation,
    invitations_for_partner,
)
from alongside.field.actions import invitations as actions
from alongside.field.forms.invitations import LANGUAGE_CHOICES, WEEKDAY_CHOICES, InvitationForm
from alongside.field.models import (
    ON_THE_ROSTER,
    Invitation,
    InvitationStatus,
    Recurrence,
    Shift,
    SignUp,
    SignUpStatus,
)
from alongside.field.profiles import Profile, volunteer_profiles
from alongside.field.team_rules import language_name
from alongside.lib import audit
from alongside.lib.access import communities_for_partner, partner_only

INVITATIONS_PER_PAGE = 20
SHIFTS_PER_PAGE = 20
GET_POST = require_http_methods(["GET", "POST"])
# What only the team and coordinators see; who invited (a name a coordinator typed after a call)
# only the coordinators.
PRIVATE_FIELDS = ("place", "coordinates")
SOURCE_FIELDS = ("invited_by",)


@dataclass
class ShiftRow:
    """A shift as a partner or a coordinator sees it: who is coming, by first name."""

    shift: Shift
    coming: list[Profile] = field(default_factory=list)
    offered: int = 0
    waiting: int = 0

    @property
    def taken(self) -> int:
        return len(self.coming)

    @property
    def short(self) -> bool:
        return not self.shift.is_cancelled and self.taken < self.shift.min_volunteers


def shift_rows(shifts: list[Shift]) -> list[ShiftRow]:
    """Rows for `shifts` in four queries, however many they are."""
    rows = {shift.pk: ShiftRow(shift) for shift in shifts}
    signups = list(
        SignUp.objects.filter(shift__in=list(rows), status__in=ON_THE_ROSTER)
        .order_by("joined_at", "pk")
        .values_list("shift_id", "user_id", "status")
    )
    confirmed = [user for _shift, user, status in signups if status == SignUpStatus.CONFIRMED]
    profiles = volunteer_profiles(confirmed)
    for shift_id, user_id, status in signups:
        row = rows[shift_id]
        if status == SignUpStatus.CONFIRMED and user_id in profiles:
            row.coming.append(profiles[user_id])
        elif status == SignUpStatus.OFFERED:
            row.offered += 1
        elif status == SignUpStatus.WAITING:
            row.waiting += 1
    return list(rows.values())


def shifts_page(invitation: Invitation, request: HttpRequest, *, past: bool) -> Page:
    now = timezone.now()
    shifts = invitation.shifts.all()
    if past:
        shifts = shifts.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    else:
        shifts = shifts.filter(ends_at__gt=now).order_by("starts_at", "pk")
    return Paginator(shifts, SHIFTS_PER_PAGE).get_page(request.GET.get("page"))


def language_names(codes: list[str]) -> list[str]:
    known = dict(LANGUAGE_CHOICES)
    return [str(known[code]) if code in known else language_name(code) for code in codes]


def weekday_names(invitation: Invitation) -> list[str]:
    chosen = set(invitation.weekdays or ())
    return [str(name) for day, name in WEEKDAY_CHOICES if day in chosen]


def summary_context(invitation: Invitation) -> dict[str, Any]:
    """What `field/invitation_summary.html` needs besides the invitation."""
    return {
        "languages": language_names(invitation.languages or []),
        "weekday_names": weekday_names(invitation),
    }


def record_private_read(
    request: HttpRequest, invitation: Invitation, *, with_source: bool = False
) -> None:
    """A page shows the invitation's encrypted fields: one audit entry naming which."""
    fields = PRIVATE_FIELDS + SOURCE_FIELDS if with_source else PRIVATE_FIELDS
    shown = [name for name in fields if getattr(invitation, name)]
    if shown:
        audit.record(
            actor=request.user,
            action="read",
            target=invitation,
            request=request,
            detail={"fields": shown},
        )


def with_summary(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    now = timezone.now()
    coming = Q(shifts__starts_at__gt=now, shifts__is_cancelled=False)
    return invitations.select_related("community").annotate(
        coming_count=Count("shifts", filter=coming),
        next_start=Min("shifts__starts_at", filter=coming),
    )


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, f"field/partner_{template}.html", context, status=status)


# --- the screens -----------------------------------------------------------------------------


@partner_only
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    today = recurrence.today()
    current = Q(status=InvitationStatus.ACTIVE) & (
        Q(ends_on__isnull=True) & ~Q(recurrence=Recurrence.ONCE)
        | Q(ends_on__gte=today)
        | Q(starts_on__gte=today)
    )
    invitations = with_summary(invitations_for_partner(request.user))
    if past:
        invitations = invitations.exclude(current).order_by("-starts_on", "-pk")
    else:
        invitations = invitations.filter(current).order_by("starts_on", "start_time", "pk")
    page = Paginator(invitations, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "home", page=page, past=past)


@partner_only
@GET_POST
def invitation_new(request: HttpRequest) -> HttpResponse:
    communities = communities_for_partner(request.user).order_by("name_en")
    data = request.POST if request.method == "POST" else None
    form = InvitationForm(data, communities=communities)
    if data is not None and form.is_valid():
        values = form.values()
        values["language"] = (request.LANGUAGE_CODE or "ar")[:8]
        invitation = actions.create_invitation(
            actor=request.user,
            community=form.cleaned_data["community"],
            values=values,
            request=request,
        )
        messages.success(request, _("Your invitation is sent to the field team."))
        return redirect("partner:invitation", invitation_id=invitation.pk)
    return _page(request, "form", status=400 if form.errors else 200, form=form)


@partner_only
@require_GET
def invitation_detail(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_partner(request.user, invitation_id)
    past = request.GET.get("when") == "past"
    page = shifts_page(invitation, request, past=past)
    record_private_read(request, invitation)
    return _page(
        request,
        "detail",
        invitation=invitation,
        page=page,
        rows=shift_rows(list(page.object_list)),
        past=past,
        now=timezone.now(),
        **summary_context(invitation),
    )


@partner_only
@GET_POST
def invitation_edit(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_partner(request.user, invitation_id)
    if invitation.status != InvitationStatus.ACTIVE:
        messages.error(request, _("This invitation is cancelled; it cannot be changed."))
        return redirect("partner:invitation", invitation_id=invitation.pk)
    data = request.POST if request.method == "POST" else None
    form = InvitationForm(
        data, communities=communities_for_partner(request.user), invitation=copy.copy(invitation)
    )
    if data is None:
        record_private_read(request, invitation)
    if data is not None and form.is_valid():
        try:
            actions.update_invitation(
                invitation=invitation, values=form.values(), actor=request.user, request=request
            )
        except actions.InvitationError as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Your changes are saved; the team is told."))
            return redirect("partner:invitation", invitation_id=invitation.pk)
    status = 400 if form.errors else 200
    return _page(request, "form", status=status, form=form, invitation=invitation)


@partner_only
@GET_POST
def invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_partner(request.user, invitation_id)
    if request.method == "POST":
        actions.cancel_invitation(invitation=invitation, actor=request.user, request=request)
        messages.success(request, _("The invitation is cancelled; the team is told."))
        return redirect("partner:invitation", invitation_id=invitation.pk)
    return _page(request, "cancel", invitation=invitation)


@partner_only
@GET_POST
def shift_cancel(request: HttpRequest, invitation_id: int, shift_id: int) -> HttpResponse:
    invitation = get_invitation_for_partner(request.user, invitation_id)
    shift = get_shift_of_invitation(invitation, shift_id)
    if request.method == "POST":
        try:
            actions.cancel_shift(shift=shift, actor=request.user, request=request)
        except actions.InvitationError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("This date is cancelled; the team is told."))
        return redirect("partner:invitation", invitation_id=invitation.pk)
    return _page(request, "cancel", invitation=invitation, shift=shift)
