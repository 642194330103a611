"""The field coordinators' live board, and the incident notes of their team.

The board answers "is everyone safe, and who is where" on a phone: open escalations first
(calls for help, then missed check-ins), then the shifts in progress (community, first names,
the last check-in and whether one is overdue), then today's arrivals and departures, then shifts
with open places or that break the team rules, then the rest of the span. Today and This week are
Hebron days. `board.js` fetches the same address with `?fragment=1` every minute and swaps the
list; without JavaScript a plain link refreshes it.

Its query count does not grow with the shifts or volunteers shown: every list is read in one
query for the whole span (see `_shift_cards`), and long lists are paginated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Max, Min, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts.models import User
from alongside.field.access.safety import get_escalation_for_team
from alongside.field.actions import checkins as actions
from alongside.field.actions.incidents import read_incident_notes
from alongside.field.models import (
    HOLDING_PLACE,
    CheckIn,
    CheckInKind,
    Escalation,
    EscalationReason,
    IncidentNote,
    Shift,
    SignUp,
    SignUpStatus,
)
from alongside.field.profiles import Profile, volunteer_profiles
from alongside.field.rules import rules_by_team_and_kind
from alongside.field.team_rules import RuleBreak, broken_rules
from alongside.lib.access import field_coordinator
from alongside.lib.timezones import field_zone
from alongside.movement.models import Group

TABS = ("today", "week")
SHIFTS_PER_PAGE = 25
ESCALATIONS_PER_PAGE = 20
INCIDENTS_PER_PAGE = 20

# The order of the shift cards on the board.
IN_PROGRESS, TODAY, ATTENTION, LATER = range(4)


@dataclass
class Person:
    first_name: str
    last_checkin: dt.datetime | None = None
    overdue_since: dt.datetime | None = None


@dataclass
class ShiftCard:
    shift: Shift
    group: int
    people: list[Person] = field(default_factory=list)
    breaks: list[RuleBreak] = field(default_factory=list)
    open_places: int = 0
    arriving: bool = False
    leaving: bool = False

    @property
    def overdue(self) -> bool:
        return any(person.overdue_since for person in self.people)


def field_day_span(now: dt.datetime, days: int) -> tuple[dt.datetime, dt.datetime]:
    """From the start of today on the field's clock, `days` Hebron days long."""
    zone = field_zone()
    today = timezone.localtime(now, zone).date()
    start = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(), tzinfo=zone)
    return start, end


@field_coordinator
@require_GET
@never_cache
def board(request: HttpRequest, team: Group) -> HttpResponse:
    tab = request.GET.get("tab", "today")
    if tab not in TABS:
        tab = "today"
    now = timezone.now()
    start, end = field_day_span(now, 1 if tab == "today" else 7)
    today_start, today_end = field_day_span(now, 1)
    escalations = Paginator(_open_escalations(team), ESCALATIONS_PER_PAGE).get_page(
        request.GET.get("epage")
    )
    escalation_rows = _with_last_checkins(list(escalations.object_list))
    cards = _shift_cards(team, start, end, now, today_start, today_end)
    shifts = Paginator(cards, SHIFTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "team": team,
        "tab": tab,
        "now": now,
        "escalations": escalations,
        "escalation_rows": escalation_rows,
        "shifts": shifts,
        "span_start": start,
        "span_end": end,
    }
    if request.GET.get("fragment") == "1":
        response = render(request, "field/board_list.html", context)
        response["X-Board-Fragment"] = "1"
        return response
    return render(request, "field/board.html", context)


def _open_escalations(team: Group) -> Any:
    help_first = Case(
        When(reason=EscalationReason.HELP, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Escalation.objects.open()
        .filter(checkin__signup__shift__invitation__community__group=team)
        .select_related("checkin__signup__user", "checkin__signup__shift__invitation__community")
        .annotate(urgency=help_first)
        .order_by("urgency", "raised_at", "pk")
    )


def _with_last_checkins(escalations: list[Escalation]) -> list[tuple[Escalation, Any]]:
    """Each escalation with its volunteer's latest check-in (one query for the page)."""
    signup_ids = {escalation.checkin.signup_id for escalation in escalations}
    latest = dict(
        CheckIn.objects.filter(signup_id__in=signup_ids, answered_at__isnull=False)
        .values("signup_id")
        .annotate(last=Max("answered_at"))
        .values_list("signup_id", "last")
    )
    return [(escalation, latest.get(escalation.checkin.signup_id)) for escalation in escalations]


def _shift_cards(
    team: Group,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    today_start: dt.datetime,
    today_end: dt.datetime,
) -> list[ShiftCard]:
    """Every live shift of `team` overlapping [start, end), in the board's order, in a fixed
    number of queries: the shifts, their confirmed sign-ups, the last and the overdue check-in
    of each sign-up, the profiles (three) and the team rules (two)."""
    shifts = list(
        Shift.objects.live()
        .of_team(team)
        .between(start, end)
        .select_related("invitation__community")
        .order_by("starts_at", "pk")
    )
    in_span = {
        "signup__status": SignUpStatus.CONFIRMED,
        "signup__shift__invitation__community__group": team,
        "signup__shift__starts_at__lt": end,
        "signup__shift__ends_at__gt": start,
    }
    roster: dict[int, list[tuple[int, int]]] = defaultdict(list)
    # Places held: the confirmed, and anyone a freed place is offered to until it expires.
    held: dict[int, int] = defaultdict(int)
    signups = SignUp.objects.filter(
        status__in=HOLDING_PLACE,
        shift__invitation__community__group=team,
        shift__starts_at__lt=end,
        shift__ends_at__gt=start,
    ).order_by("joined_at", "pk")
    for signup_id, shift_id, user_id, status in signups.values_list(
        "pk", "shift_id", "user_id", "status"
    ):
        held[shift_id] += 1
        if status == SignUpStatus.CONFIRMED:
            roster[shift_id].append((signup_id, user_id))
    last = dict(
        CheckIn.objects.filter(answered_at__isnull=False, **in_span)
        .values("signup_id")
        .annotate(at=Max("answered_at"))
        .values_list("signup_id", "at")
    )
    overdue = dict(
        CheckIn.objects.filter(answered_at__isnull=True, due_at__lt=now, **in_span)
        .exclude(kind=CheckInKind.EXTRA)
        .values("signup_id")
        .annotate(at=Min("due_at"))
        .values_list("signup_id", "at")
    )
    profiles = volunteer_profiles({user for people in roster.values() for _s, user in people})
    rules = rules_by_team_and_kind([team])
    cards = []
    for shift in shifts:
        team_profiles: list[Profile] = [
            profiles[user] for _signup, user in roster[shift.pk] if user in profiles
        ]
        card = ShiftCard(
            shift=shift,
            group=LATER,
            people=[
                Person(
                    profiles[user].label if user in profiles else "—",
                    last.get(signup_id),
                    overdue.get(signup_id),
                )
                for signup_id, user in roster[shift.pk]
            ],
            breaks=broken_rules(
                shift,
                rules[(team.pk, shift.invitation.kind)],
                team_profiles,
                wanted=shift.invitation.languages or (),
            ),
            open_places=max(shift.places - held[shift.pk], 0),
            arriving=today_start <= shift.starts_at < today_end and shift.starts_at > now,
            leaving=today_start <= shift.ends_at < today_end and shift.ends_at <= now,
        )
        if shift.starts_at <= now < shift.ends_at:
            card.group = IN_PROGRESS
        elif card.arriving or card.leaving:
            card.group = TODAY
        elif card.open_places or card.breaks:
            card.group = ATTENTION
        cards.append(card)
    cards.sort(key=lambda card: (card.group, not card.overdue, card.shift.starts_at))
    return cards


@field_coordinator
@require_POST
def escalation_acknowledge(request: HttpRequest, team: Group, escalation_id: int) -> HttpResponse:
    """One tap on the board: "I am taking care of it"; back to the board."""
    escalation = get_escalation_for_team(team, escalation_id)
    try:
        done = actions.acknowledge_escalation(
            escalation=escalation, actor=cast(User, request.user), note="", request=request
        )
    except actions.CheckInError as error:
        # The alert is about the coordinator themself: someone else must call it off.
        messages.error(request, error.message)
        return redirect(_board_url(team))
    if done:
        messages.success(request, _("Acknowledged: it goes no further."))
    else:
        messages.info(request, _("Someone acknowledged it already."))
    tab = request.POST.get("tab")
    url = f"{_board_url(team)}?tab={tab}" if tab in TABS else _board_url(team)
    return redirect(url)


def _board_url(team: Group) -> str:
    return reverse("coordinate:board", kwargs={"team_slug": team.slug})


@field_coordinator
@require_GET
@never_cache
def incident_list(request: HttpRequest, team: Group) -> HttpResponse:
    """The team's incident notes, newest first; each note shown is a recorded reading."""
    incidents = IncidentNote.objects.filter(
        shift__invitation__community__group=team
    ).select_related("shift__invitation__community", "reported_by")
    page = Paginator(incidents, INCIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    read_incident_notes(actor=cast(User, request.user), incidents=shown, request=request)
    return render(
        request,
        "field/board_incidents.html",
        {"team": team, "page": page, "incidents": shown},
    )
