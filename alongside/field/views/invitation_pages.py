"""What the partner's and the field coordinators' invitation screens share: the shifts with who is
coming (first names only), the summary, the audited reads of the exact place, and the page flows
of one invitation (its page, changing it, cancelling it or one of its dates). The screens differ
by the lookup, the URLs, the messages and the template; the flows are the same."""

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

from alongside.field.actions import invitations as actions
from alongside.field.forms.invitations import LANGUAGE_CHOICES, WEEKDAY_CHOICES, InvitationForm
from alongside.field.models import (
    ON_THE_ROSTER,
    Invitation,
    InvitationStatus,
    Shift,
    SignUp,
    SignUpStatus,
)
from alongside.field.profiles import Profile, volunteer_profiles
from alongside.field.team_rules import language_name
from alongside.lib import audit

SHIFTS_PER_PAGE = 20
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


def _language_labels(codes: list[str]) -> list[str]:
    known = dict(LANGUAGE_CHOICES)
    return [str(known[code]) if code in known else language_name(code) for code in codes]


def _weekday_names(invitation: Invitation) -> list[str]:
    chosen = set(invitation.weekdays or ())
    return [str(name) for day, name in WEEKDAY_CHOICES if day in chosen]


def summary_context(invitation: Invitation) -> dict[str, Any]:
    """What `field/invitation_summary.html` needs besides the invitation."""
    return {
        "languages": _language_labels(invitation.languages or []),
        "weekday_names": _weekday_names(invitation),
    }


def with_summary(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    now = timezone.now()
    coming = Q(shifts__starts_at__gt=now, shifts__is_cancelled=False)
    return invitations.select_related("community").annotate(
        coming_count=Count("shifts", filter=coming),
        next_start=Min("shifts__starts_at", filter=coming),
    )


# --- audited reads of the encrypted fields ----------------------------------------------------


def _record_read(request: HttpRequest, invitation: Invitation, fields: list[str]) -> None:
    """A page shows the invitation's encrypted `fields`: one audit entry naming them."""
    audit.record(
        actor=request.user,
        action="read",
        target=invitation,
        request=request,
        detail={"fields": fields},
    )


def record_private_read(
    request: HttpRequest, invitation: Invitation, *, with_source: bool = False
) -> None:
    """The partner's or a coordinator's page shows the encrypted fields that are filled in."""
    fields = PRIVATE_FIELDS + SOURCE_FIELDS if with_source else PRIVATE_FIELDS
    shown = [name for name in fields if getattr(invitation, name)]
    if shown:
        _record_read(request, invitation, shown)


def record_place_read(request: HttpRequest, invitation: Invitation) -> bool:
    """The team's page shows the exact place, when there is one: the exact place of an activity
    is read only by its team, and each showing is recorded. True when there is a place to show."""
    if not (invitation.place or invitation.coordinates):
        return False
    _record_read(request, invitation, list(PRIVATE_FIELDS))
    return True


# --- the page flows of one invitation ---------------------------------------------------------


def detail_page(
    request: HttpRequest,
    invitation: Invitation,
    *,
    template: str,
    with_source: bool = False,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The invitation, its summary and its dates (to come or past) with who is coming."""
    past = request.GET.get("when") == "past"
    page = shifts_page(invitation, request, past=past)
    record_private_read(request, invitation, with_source=with_source)
    return render(
        request,
        template,
        {
            **(context or {}),
            "invitation": invitation,
            "page": page,
            "rows": shift_rows(list(page.object_list)),
            "past": past,
            "now": timezone.now(),
            **summary_context(invitation),
        },
    )


def edit_page(
    request: HttpRequest,
    invitation: Invitation,
    *,
    form_class: type[InvitationForm],
    communities: Any,
    back: str,
    message: str,
    template: str,
    with_source: bool = False,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Change an active invitation; `back` is its page, `message` what a saved change says."""
    if invitation.status != InvitationStatus.ACTIVE:
        messages.error(request, _("This invitation is cancelled; it cannot be changed."))
        return redirect(back)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, communities=communities, invitation=copy.copy(invitation))
    if data is None:
        record_private_read(request, invitation, with_source=with_source)
    if data is not None and form.is_valid():
        try:
            actions.update_invitation(
                invitation=invitation, values=form.values(), actor=request.user, request=request
            )
        except actions.InvitationError as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, message)
            return redirect(back)
    status = 400 if form.errors else 200
    return render(
        request,
        template,
        {**(context or {}), "form": form, "invitation": invitation},
        status=status,
    )


def cancel_page(
    request: HttpRequest,
    invitation: Invitation,
    *,
    back: str,
    message: str,
    told: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Ask, then cancel the whole invitation. `told`: who is told, as the page says it."""
    if request.method == "POST":
        actions.cancel_invitation(invitation=invitation, actor=request.user, request=request)
        messages.success(request, message)
        return redirect(back)
    return _cancel_form(request, invitation, None, back=back, told=told, context=context)


def cancel_shift_page(
    request: HttpRequest,
    invitation: Invitation,
    shift: Shift,
    *,
    back: str,
    message: str,
    told: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Ask, then cancel one date of the invitation."""
    if request.method == "POST":
        try:
            actions.cancel_shift(shift=shift, actor=request.user, request=request)
        except actions.InvitationError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, message)
        return redirect(back)
    return _cancel_form(request, invitation, shift, back=back, told=told, context=context)


def _cancel_form(
    request: HttpRequest,
    invitation: Invitation,
    shift: Shift | None,
    *,
    back: str,
    told: str,
    context: dict[str, Any] | None,
) -> HttpResponse:
    return render(
        request,
        "field/invitation_cancel.html",
        {**(context or {}), "invitation": invitation, "shift": shift, "back": back, "told": told},
    )
