"""The volunteer's side of field work: the shifts they can take, their own shifts, a shift's
page, and the one-tap actions on it (take, cancel, accept or decline an offer, "still coming")."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts.models import User
from alongside.field import checkins, rules
from alongside.field.access.signups import get_own_signup, get_shift_for_volunteer
from alongside.field.actions import signups as actions
from alongside.field.eligibility import Refusal, Volunteer, volunteer_for, why_not
from alongside.field.forms.signups import ShiftFilterForm
from alongside.field.models import HOLDING_PLACE, Shift, SignUp, SignUpStatus
from alongside.field.profiles import volunteer_profiles
from alongside.field.team_rules import language_names
from alongside.field.views.invitation_pages import record_place_read
from alongside.lib.access import signed_in

SHIFTS_PER_PAGE = 20


def _user(request: HttpRequest) -> User:
    # The access decorators have already turned anonymous visitors away.
    return cast(User, request.user)


@dataclass
class ShiftRow:
    shift: Shift
    taken: int
    mine: SignUp | None
    refusal: Refusal | None

    @property
    def free(self) -> int:
        return max(self.shift.places - self.taken, 0)


def _counts(shift_ids: list[int]) -> dict[int, int]:
    """Places held per shift, for a page of shifts, in one query."""
    rows = (
        SignUp.objects.filter(shift__in=shift_ids, status__in=HOLDING_PLACE)
        .values("shift")
        .annotate(count=Count("pk"))
        .values_list("shift", "count")
    )
    return dict(rows)


def _rows(volunteer: Volunteer, shifts: list[Shift], now: dt.datetime) -> list[ShiftRow]:
    counts = _counts([s.pk for s in shifts])
    teams = {s.invitation.community.group_id: s.invitation.community.group for s in shifts}
    by_kind = rules.rules_by_team_and_kind(teams.values()) if shifts else {}
    rows = []
    for shift in shifts:
        taken = counts.get(shift.pk, 0)
        team_rules = by_kind[(shift.invitation.community.group_id, shift.invitation.kind)]
        rows.append(
            ShiftRow(
                shift=shift,
                taken=taken,
                mine=volunteer.signups.get(shift.pk),
                refusal=why_not(volunteer, shift, team_rules, taken=taken, now=now),
            )
        )
    return rows


def _inside_first(shifts: Any, volunteer: Volunteer) -> Any:
    """Shifts inside the presence window first (the window is decrypted: the ranges come from
    Python), then by start."""
    inside = Q()
    for start, end in volunteer.window_ranges():
        inside |= Q(starts_at__gte=start, ends_at__lte=end)
    if not inside:
        return shifts.order_by("starts_at", "pk")
    order = Case(When(inside, then=Value(0)), default=Value(1), output_field=IntegerField())
    return shifts.annotate(outside=order).order_by("outside", "starts_at", "pk")


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Shifts I can take."""
    now = timezone.now()
    volunteer = volunteer_for(request.user, now=now)
    if not volunteer.ready:
        return render(request, "field/volunteer_not_ready.html", {"section": "home"})
    form = ShiftFilterForm(
        request.GET if ("kind" in request.GET or "week" in request.GET) else None
    )
    shifts = Shift.objects.live().filter(starts_at__gt=now)
    status = 200
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["kind"]:
                shifts = shifts.filter(invitation__kind=form.cleaned_data["kind"])
            week = form.week_span()
            if week is not None:
                shifts = shifts.filter(starts_at__gte=week[0], starts_at__lt=week[1])
        else:
            status = 400
    shifts = _inside_first(shifts.select_related("invitation__community__group"), volunteer)
    page = Paginator(shifts, SHIFTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = _rows(volunteer, list(page.object_list), now)
    return render(
        request,
        "field/volunteer_home.html",
        {"section": "home", "form": form, "page": page, "rows": rows},
        status=status,
    )


@signed_in
@require_GET
def my_shifts(request: HttpRequest) -> HttpResponse:
    """My shifts: confirmed, offered (with the offer's expiry), waiting (with the position)."""
    now = timezone.now()
    signups = (
        SignUp.objects.filter(user=_user(request), shift__ends_at__gt=now)
        .exclude(status=SignUpStatus.CANCELLED)
        .select_related("shift__invitation__community")
        .order_by("shift__starts_at", "pk")
    )
    page = Paginator(signups, SHIFTS_PER_PAGE).get_page(request.GET.get("page"))
    mine = list(page.object_list)
    waiting_on = [s.shift_id for s in mine if s.status == SignUpStatus.WAITING]
    queue: dict[int, list[int]] = {}
    for shift_id, pk in (
        SignUp.objects.filter(shift__in=waiting_on, status=SignUpStatus.WAITING)
        .order_by("joined_at", "pk")
        .values_list("shift_id", "pk")
    ):
        queue.setdefault(shift_id, []).append(pk)
    for signup in mine:
        ahead = queue.get(signup.shift_id, [])
        signup.position = ahead.index(signup.pk) + 1 if signup.pk in ahead else None  # type: ignore[attr-defined]  # shown in the template only
    return render(request, "field/volunteer_mine.html", {"section": "mine", "page": page})


@signed_in
@require_GET
def shift_page(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = get_shift_for_volunteer(request.user, shift_id)
    now = timezone.now()
    volunteer = volunteer_for(request.user, now=now)
    mine = volunteer.signups.get(shift.pk)
    on_shift = list(
        shift.signups.exclude(status=SignUpStatus.CANCELLED)
        .order_by("joined_at", "pk")
        .values_list("user_id", "status")
    )
    counts = Counter(status for _user_id, status in on_shift)
    taken = counts[SignUpStatus.CONFIRMED] + counts[SignUpStatus.OFFERED]
    team_rules = rules.rules_for(shift.invitation.community.group, shift.invitation.kind)
    refusal = why_not(volunteer, shift, team_rules, taken=taken, now=now)
    confirmed = mine is not None and mine.status == SignUpStatus.CONFIRMED
    team_ids = [user_id for user_id, status in on_shift if status == SignUpStatus.CONFIRMED]
    profiles = volunteer_profiles(team_ids)
    invitation = shift.invitation
    show_place = confirmed and record_place_read(request, invitation)
    context: dict[str, Any] = {
        "shift": shift,
        "invitation": invitation,
        "mine": mine,
        "refusal": refusal,
        "taken": taken,
        "waiting": counts[SignUpStatus.WAITING],
        "team": [
            (profiles[user_id].label, language_names(profiles[user_id].languages))
            for user_id in team_ids
            if user_id in profiles
        ],
        "wanted_languages": language_names(invitation.languages or []),
        "show_place": show_place,
        "may_cancel": mine is not None
        and (mine.status != SignUpStatus.CONFIRMED or shift.cutoff_at > now),
        "may_reconfirm": confirmed and mine is not None and mine.reconfirmed_at is None,
        "started": shift.starts_at <= now,
    }
    context.update(checkins.panel_context(mine if confirmed else None))
    return render(request, "field/shift_page.html", context)


# --- one-tap actions -----------------------------------------------------------------------


def _on_shift(request: HttpRequest, shift_id: int, act: Callable[[Shift], str]) -> HttpResponse:
    """Run `act` on the shift (it returns the success message); a refusal becomes an error
    message, with a link to the principles when that is what stands in the way."""
    shift = get_shift_for_volunteer(request.user, shift_id)
    try:
        messages.success(request, act(shift))
    except actions.SignUpError as refused:
        message: Any = refused.message
        if volunteer_for(request.user).must_agree:
            message = format_html(
                '{} <a href="{}">{}</a>',
                refused.message,
                reverse("volunteers:principles"),
                _("Read the principles"),
            )
        messages.error(request, message)
    return redirect("field:shift", shift_id=shift.pk)


@signed_in
@require_POST
def sign_up(request: HttpRequest, shift_id: int) -> HttpResponse:
    def act(shift: Shift) -> str:
        result = actions.sign_up(
            shift=shift, user=request.user, actor=request.user, request=request
        )
        if not result.created:
            return _("You are already signed up for this shift.")
        if result.waiting:
            return _(
                "This shift is full: you are on the waiting list. If a place frees up, it is "
                "offered to you in turn and we will email you."
            )
        return _("You have a place on this shift.")

    return _on_shift(request, shift_id, act)


def _on_own_signup(
    request: HttpRequest, shift_id: int, action: Callable[..., object], message: str
) -> HttpResponse:
    """Run `action` on the person's own sign-up for the shift; `message` says it is done."""

    def act(shift: Shift) -> str:
        signup = get_own_signup(request.user, shift)
        action(signup=signup, actor=request.user, request=request)
        return message

    return _on_shift(request, shift_id, act)


@signed_in
@require_POST
def cancel(request: HttpRequest, shift_id: int) -> HttpResponse:
    return _on_own_signup(
        request, shift_id, actions.cancel_signup, _("You are no longer on this shift.")
    )


@signed_in
@require_POST
def accept_offer(request: HttpRequest, shift_id: int) -> HttpResponse:
    return _on_own_signup(request, shift_id, actions.accept_offer, _("The place is yours."))


@signed_in
@require_POST
def decline_offer(request: HttpRequest, shift_id: int) -> HttpResponse:
    return _on_own_signup(
        request,
        shift_id,
        actions.decline_offer,
        _("The place goes to the next person waiting. Thank you for saying so."),
    )


@signed_in
@require_POST
def reconfirm(request: HttpRequest, shift_id: int) -> HttpResponse:
    return _on_own_signup(
        request, shift_id, actions.reconfirm, _("Thank you: the team knows you are coming.")
    )
