"""The field coordinators' rosters: the team's shifts (which need people, which break team
rules), one shift's roster, and matching (the eligible volunteers, assign or remove with one tap,
ask the eligible ones to cover the open places)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.field import rules
from alongside.field.access.signups import get_shift_for_team, get_signup_for_shift
from alongside.field.actions import signups as actions
from alongside.field.eligibility import eligible_for
from alongside.field.forms.signups import AssignForm, RosterFilterForm
from alongside.field.models import HOLDING_PLACE, Shift, SignUp, SignUpStatus
from alongside.field.profiles import Profile, volunteer_profiles
from alongside.field.team_rules import RuleBreak, broken_rules, language_names
from alongside.field.views.invitation_pages import record_place_read
from alongside.lib.access import field_coordinator
from alongside.movement.models import Group

SHIFTS_PER_PAGE = 25
CANDIDATES_PER_PAGE = 30


@dataclass
class RosterRow:
    shift: Shift
    confirmed: list[SignUp] = field(default_factory=list)
    offered: list[SignUp] = field(default_factory=list)
    waiting: list[SignUp] = field(default_factory=list)
    breaks: list[RuleBreak] = field(default_factory=list)

    @property
    def open_places(self) -> int:
        return max(self.shift.places - len(self.confirmed) - len(self.offered), 0)


def _roster_rows(shifts: list[Shift], team: Group) -> list[RosterRow]:
    """Each shift with its people and the team rules it breaks, in a constant number of
    queries (sign-ups, profiles, rules)."""
    rows = {shift.pk: RosterRow(shift) for shift in shifts}
    signups = (
        SignUp.objects.filter(shift__in=list(rows))
        .exclude(status=SignUpStatus.CANCELLED)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    for signup in signups:
        row = rows[signup.shift_id]
        {
            SignUpStatus.CONFIRMED: row.confirmed,
            SignUpStatus.OFFERED: row.offered,
            SignUpStatus.WAITING: row.waiting,
        }[SignUpStatus(signup.status)].append(signup)
    profiles = volunteer_profiles({s.user_id for r in rows.values() for s in r.confirmed})
    by_kind = rules.rules_by_team_and_kind([team])
    for row in rows.values():
        team_rules = by_kind[(team.pk, row.shift.invitation.kind)]
        people = [profiles[s.user_id] for s in row.confirmed if s.user_id in profiles]
        row.breaks = broken_rules(
            row.shift, team_rules, people, wanted=row.shift.invitation.languages or ()
        )
    return list(rows.values())


@field_coordinator
@require_GET
def shift_list(request: HttpRequest, team: Group) -> HttpResponse:
    # Always bound: no filters chosen means the next two weeks of every shift.
    form = RosterFilterForm(request.GET, team=team)
    status, shown = 200, form
    if not form.is_valid():
        # Show what was typed with the message, and the default list under it.
        status, shown = 400, RosterFilterForm({}, team=team)
        shown.is_valid()
    data = shown.cleaned_data
    span = shown.span()
    shifts = (
        Shift.objects.live()
        .of_team(team)
        .between(*span)
        .select_related("invitation__community")
        .order_by("starts_at", "pk")
    )
    if data.get("community"):
        shifts = shifts.filter(invitation__community=data["community"])
    if data.get("kind"):
        shifts = shifts.filter(invitation__kind=data["kind"])
    if data.get("needs_people"):
        shifts = shifts.annotate(
            held_count=Count("signups", filter=Q(signups__status__in=HOLDING_PLACE))
        ).filter(held_count__lt=F("places"))
    if data.get("breaks_rules"):
        # Rules are checked in memory, over the whole (bounded) range, then paginated.
        rows = [row for row in _roster_rows(list(shifts), team) if row.breaks]
        page = Paginator(rows, SHIFTS_PER_PAGE).get_page(request.GET.get("page"))
    else:
        shift_page: Page[Any] = Paginator(shifts, SHIFTS_PER_PAGE).get_page(request.GET.get("page"))
        shift_page.object_list = _roster_rows(list(shift_page.object_list), team)
        page = shift_page
    return render(
        request,
        "field/roster_list.html",
        {"team": team, "form": form, "page": page, "section": "shifts"},
        status=status,
    )


@dataclass(frozen=True)
class Person:
    """One line of a roster or of the candidates: who, which languages, been out before."""

    user_id: int
    name: str
    languages: str
    experienced: bool
    speaks_wanted: bool = False
    signup: SignUp | None = None


def _people(signups: list[SignUp], profiles: dict[int, Profile], wanted: set[str]) -> list[Person]:
    people = []
    for signup in signups:
        profile = profiles.get(signup.user_id)
        codes = profile.languages if profile else []
        people.append(
            Person(
                user_id=signup.user_id,
                name=signup.user.name or signup.user.first_name,
                languages=language_names(codes),
                experienced=bool(profile and profile.experienced),
                speaks_wanted=bool(wanted & set(codes)),
                signup=signup,
            )
        )
    return people


@field_coordinator
@require_GET
def roster(request: HttpRequest, team: Group, shift_id: int) -> HttpResponse:
    shift = get_shift_for_team(team, shift_id)
    row = _roster_rows([shift], team)[0]
    everyone = row.confirmed + row.offered + row.waiting
    profiles = volunteer_profiles({s.user_id for s in everyone}, before=shift.starts_at)
    wanted = set(shift.invitation.languages or ())
    return render(
        request,
        "field/roster_shift.html",
        {
            "team": team,
            "shift": shift,
            "invitation": shift.invitation,
            "row": row,
            "confirmed": _people(row.confirmed, profiles, wanted),
            "offered": _people(row.offered, profiles, wanted),
            "waiting": _people(row.waiting, profiles, wanted),
            "wanted_languages": language_names(shift.invitation.languages or []),
            "show_place": record_place_read(request, shift.invitation),
            "started": shift.starts_at <= timezone.now(),
        },
    )


def _eligible_ids(shift: Shift, team: Group) -> list[int]:
    """Who could be on the shift and is not on its roster yet."""
    team_rules = rules.rules_for(team, shift.invitation.kind)
    on_roster = shift.signups.exclude(status=SignUpStatus.CANCELLED).values_list(
        "user_id", flat=True
    )
    return eligible_for(shift, team_rules, exclude=list(on_roster))


def _candidates(shift: Shift, team: Group) -> list[Person]:
    user_ids = _eligible_ids(shift, team)
    profiles = volunteer_profiles(user_ids, before=shift.starts_at)
    wanted = set(shift.invitation.languages or ())

    # Coordinators tell two people of the same first name apart by their full names.
    names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "name"))
    people = [
        Person(
            user_id=profile.user_id,
            name=names.get(profile.user_id) or profile.label,
            languages=language_names(profile.languages),
            experienced=profile.experienced,
            speaks_wanted=bool(wanted & set(profile.languages)),
        )
        for profile in profiles.values()
    ]
    people.sort(key=lambda p: (not p.speaks_wanted, not p.experienced, p.name.lower(), p.user_id))
    return people


def _match_page(
    request: HttpRequest, team: Group, shift: Shift, *, form: AssignForm, status: int = 200
) -> HttpResponse:
    candidates = _candidates(shift, team)
    row = _roster_rows([shift], team)[0]
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "field/roster_match.html",
        {
            "team": team,
            "shift": shift,
            "row": row,
            "page": page,
            "candidate_count": len(candidates),
            "wanted_languages": language_names(shift.invitation.languages or []),
            "form": form,
        },
        status=status,
    )


@field_coordinator
@require_GET
def roster_match(request: HttpRequest, team: Group, shift_id: int) -> HttpResponse:
    shift = get_shift_for_team(team, shift_id)
    return _match_page(request, team, shift, form=AssignForm())


@field_coordinator
@require_POST
def roster_assign(request: HttpRequest, team: Group, shift_id: int) -> HttpResponse:
    shift = get_shift_for_team(team, shift_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a volunteer from the list."))
        return _match_page(request, team, shift, form=form, status=400)
    user = get_user_model().objects.filter(pk=form.cleaned_data["user_id"]).first()
    if user is None:
        form.add_error("user_id", _("Choose a volunteer from the list."))
        messages.error(request, _("Choose a volunteer from the list."))
        return _match_page(request, team, shift, form=form, status=400)
    try:
        actions.assign_volunteer(shift=shift, user=user, actor=request.user, request=request)
    except actions.SignUpError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("%(name)s is on the roster.") % {"name": getattr(user, "first_name", "")}
        )
    return redirect("coordinate:roster_match", team_slug=team.slug, shift_id=shift.pk)


@field_coordinator
@require_POST
def roster_remove(request: HttpRequest, team: Group, shift_id: int, signup_id: int) -> HttpResponse:
    shift = get_shift_for_team(team, shift_id)
    signup = get_signup_for_shift(shift, signup_id)
    actions.remove_volunteer(signup=signup, actor=request.user, request=request)
    messages.success(request, _("%(name)s is off the roster.") % {"name": signup.user.first_name})
    return redirect("coordinate:roster", team_slug=team.slug, shift_id=shift.pk)


@field_coordinator
@require_POST
def roster_cover(request: HttpRequest, team: Group, shift_id: int) -> HttpResponse:
    shift = get_shift_for_team(team, shift_id)
    users = get_user_model().objects.filter(pk__in=_eligible_ids(shift, team))
    try:
        asked = actions.ask_to_cover(shift=shift, users=users, actor=request.user, request=request)
    except actions.SignUpError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("%(count)d eligible volunteers were asked to cover the open places.")
            % {"count": asked},
        )
    return redirect("coordinate:roster_match", team_slug=team.slug, shift_id=shift.pk)
