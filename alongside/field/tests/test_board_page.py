"""The field coordinators' live board: open alerts first, then who is out where, then today's
arrivals and departures, then shifts that need people or break the team rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.field.actions.checkins import check_in
from alongside.field.models import CheckIn, CheckInKind, Escalation, EscalationReason
from alongside.field.tasks.checkins import escalate_checkins
from alongside.field.tests.factories import in_days, make_shift
from alongside.field.tests.factories_safety import confirm, moved_clock, shift_now, volunteer
from alongside.movement.models import PartnerCommunity
from conftest import World, sign_in

BOARD = "/en/coordinate/palestine/"


def _community(world: World, slug: str, name: str) -> PartnerCommunity:
    return PartnerCommunity.objects.create(group=world.field_team, slug=slug, name_en=name)


def _positions(page: str, *needles: str) -> list[int]:
    found = [page.find(needle) for needle in needles]
    assert all(position >= 0 for position in found), list(zip(needles, found, strict=True))
    return found


def test_open_alerts_come_first_help_before_missed_then_shifts_in_progress(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = moved_clock(monkeypatch)
    nilin = _community(world, "nilin", "Ni'lin committee")
    missed_shift = shift_now(nilin, started_minutes_ago=40)
    confirm(missed_shift, volunteer("Mira Missed", group=world.norcal))
    escalate_checkins.call()
    assert Escalation.objects.get().reason == EscalationReason.MISSED

    clock.advance(minutes=1)
    help_shift = shift_now(world.bilin)
    helper = volunteer("Hadi Helpme", group=world.norcal)
    check_in(signup=confirm(help_shift, helper), answer="help", note="", actor=helper)

    page = sign_in(Client(), world.coordinator).get(BOARD).content.decode()
    help_at, missed_at, progress_at = _positions(
        page, "Hadi asked for help", "Mira missed a check-in", "In progress"
    )
    assert help_at < missed_at < progress_at
    assert "Check-in overdue" in page
    assert "(Asia/Hebron)" in page


def test_in_progress_then_arrivals_and_departures_then_the_rest_of_the_week(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = moved_clock(monkeypatch)
    clock.now = in_days(0, 10).astimezone(dt.UTC)
    places = {
        name: _community(world, name.lower(), f"{name} village")
        for name in ("Later", "Arriving", "Left", "Now")
    }
    make_shift(community=places["Later"], starts_at=in_days(3, 9))
    make_shift(community=places["Arriving"], starts_at=in_days(0, 14), hours=2)
    make_shift(community=places["Left"], starts_at=in_days(0, 6), hours=2)
    make_shift(community=places["Now"], starts_at=in_days(0, 9), hours=3)

    page = sign_in(Client(), world.coordinator).get(BOARD + "?tab=week").content.decode()
    now_at, left_at, arriving_at, later_at = _positions(
        page, "Now village", "Left village", "Arriving village", "Later village"
    )
    assert now_at < left_at < arriving_at < later_at
    assert "Arriving today" in page and "Left today" in page and "In progress" in page
    today = sign_in(Client(), world.coordinator).get(BOARD).content.decode()
    assert "Later village" not in today and "Arriving village" in today


def test_who_is_out_where_with_their_last_check_in(world: World) -> None:
    shift = shift_now(world.bilin, started_minutes_ago=20)
    vera = volunteer("Vera Field", group=world.norcal)
    omar = volunteer("Omar Teammate", group=world.norcal)
    check_in(signup=confirm(shift, vera), answer="ok", note="", actor=vera)
    confirm(shift, omar)

    page = sign_in(Client(), world.coordinator).get(BOARD).content.decode()
    assert "Bil&#x27;in popular committee" in page
    assert "Vera" in page and "checked in" in page
    assert "Omar" in page and "overdue since" in page
    assert "Vera Field" not in page  # first names only


def test_the_week_lists_shifts_that_need_people_or_break_the_rules(world: World) -> None:
    start = timezone.now() + dt.timedelta(days=3)
    shift = make_shift(community=world.bilin, starts_at=start, places=3, min_volunteers=2)
    confirm(shift, volunteer("Solo Person", group=world.norcal))
    client = sign_in(Client(), world.coordinator)

    assert "Solo" not in client.get(BOARD).content.decode()
    week = client.get(BOARD + "?tab=week").content.decode()
    assert "Solo" in week
    assert "2 open places" in week
    assert "Nobody goes alone" in week


def test_the_fragment_is_the_list_alone_for_the_script_to_swap(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    full = client.get(BOARD)
    assert 'src="/static/field/board.js"' in full.content.decode()
    assert 'id="board-list"' in full.content.decode()
    fragment = client.get(BOARD + "?fragment=1&tab=week")
    assert fragment.status_code == 200
    assert fragment["X-Board-Fragment"] == "1"
    assert "<html" not in fragment.content.decode()
    assert "Shifts this week" in fragment.content.decode()


def _fill(world: World, size: int) -> None:
    for number in range(size):
        community = _community(world, f"village-{size}-{number}", f"Village {number}")
        shift = shift_now(community, started_minutes_ago=5 + number, checkin_every_hours=1)
        first = volunteer(f"First{number} Person", group=world.norcal, languages=("ar",))
        confirm(shift, first)
        second = confirm(shift, volunteer(f"Second{number} Person", group=world.norcal))
        check_in(signup=second, answer="help", note="", actor=second.user)
        make_shift(community=community, starts_at=timezone.now() + dt.timedelta(days=2))


def test_the_board_reads_a_fixed_number_of_queries_whatever_it_shows(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    counts = []
    for size in (2, 6):
        _fill(world, size)
        CheckIn.objects.filter(kind=CheckInKind.ARRIVAL, answered_at__isnull=True).update(
            due_at=timezone.now() - dt.timedelta(hours=1)
        )
        client.get(BOARD + "?tab=week")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BOARD + "?tab=week")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_long_span_is_paginated(world: World) -> None:
    start = timezone.now() + dt.timedelta(days=1)
    for number in range(30):
        make_shift(community=world.bilin, starts_at=start + dt.timedelta(minutes=number))
    page = sign_in(Client(), world.coordinator).get(BOARD + "?tab=week").content.decode()
    assert "Page 1 of 2" in page
    assert "?tab=week&amp;page=2" in page


def test_one_tap_on_the_board_acknowledges_and_comes_back(world: World) -> None:
    shift = shift_now(world.bilin)
    helper = volunteer("Hadi Helpme", group=world.norcal)
    check_in(signup=confirm(shift, helper), answer="help", note="", actor=helper)
    escalation = Escalation.objects.get()
    client = sign_in(Client(), world.coordinator)

    response = client.post(f"{BOARD}escalations/{escalation.pk}/acknowledge/", {"tab": "week"})

    assert response.status_code == 302
    assert response["Location"] == BOARD + "?tab=week"
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == world.coordinator
    assert "Hadi asked for help" not in client.get(BOARD).content.decode()


def test_acknowledging_an_unknown_alert_or_another_teams_is_404(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    assert client.post(f"{BOARD}escalations/999999/acknowledge/").status_code == 404
    assert client.get(BOARD + "?tab=nonsense").status_code == 200


def test_only_the_teams_coordinators_see_the_board(world: World) -> None:
    for person in (world.documenter, world.core, world.outsider, world.partner, world.volunteer):
        assert sign_in(Client(), person).get(BOARD).status_code == 404
    anonymous = Client().get(BOARD)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    without = sign_in(Client(), world.coordinator, second_factor=False).get(BOARD)
    assert without.status_code == 302 and "/accounts/2fa/" in without["Location"]
