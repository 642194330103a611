"""Private calendar feeds: valid iCalendar on Hebron time, no personal data, revocable."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from alongside.field import recurrence
from alongside.field.actions.invitations import cancel_shift, create_feed, revoke_feed
from alongside.field.models import CalendarFeed, Shift
from alongside.field.tests.factories_invitations import make_invitation, put_on
from conftest import World, sign_in


def _events(body: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return [event for event in calendar.walk("VEVENT") if isinstance(event, icalendar.Event)]


def _fetch(token: str) -> tuple[int, bytes, dict[str, str]]:
    response = Client().get(f"/calendar/{token}.ics")
    return response.status_code, response.content, dict(response.headers)


def test_a_volunteers_feed_shows_confirmed_shifts_on_hebron_time(world: World) -> None:
    invitation = make_invitation(community=world.bilin, place="Behind the mosque")
    mine, other = invitation.shifts.order_by("starts_at")[:2]
    put_on(mine, world.volunteer)
    put_on(other, world.volunteer, "waiting")
    feed = create_feed(user=world.volunteer)
    status, body, headers = _fetch(feed.token)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in headers
    events = _events(body)
    assert len(events) == 1
    event = events[0]
    assert event["SUMMARY"] == "Weekly demonstration · Bil'in popular committee"
    assert event["LOCATION"] == "Bil'in"
    assert event.decoded("DTSTART") == mine.starts_at
    assert event["DTSTART"].params["TZID"] == "Asia/Hebron"
    assert event.decoded("DTSTART").time() == dt.time(12)
    assert str(event["URL"]).endswith(f"/en/field/shifts/{mine.pk}/")
    assert event["STATUS"] == "CONFIRMED"
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Asia/Hebron" in body
    for secret in (b"Behind the mosque", b"volunteer@example.org", b"Vera Volunteer", b"Samir"):
        assert secret not in body
    # The same shift keeps its UID from one fetch to the next.
    assert _events(_fetch(feed.token)[1])[0]["UID"] == event["UID"]


def _fridays_around_a_clock_change() -> tuple[dt.date, dt.date]:
    """The next two Fridays a week apart whose noons in Hebron have different UTC offsets."""
    zone = recurrence.field_zone()
    day = recurrence.today()
    while day.weekday() != 4:
        day += dt.timedelta(days=1)
    for _week in range(60):
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=zone)
        if noon.utcoffset() != (noon + dt.timedelta(days=7)).utcoffset():
            return day, day + dt.timedelta(days=7)
        day += dt.timedelta(days=7)
    raise AssertionError("no clock change in Hebron within a year")


def test_shifts_across_a_clock_change_keep_noon_in_hebron(world: World) -> None:
    invitation = make_invitation(community=world.bilin, weekdays=(0,))
    before, after = _fridays_around_a_clock_change()
    for day in (before, after):
        starts, ends = recurrence.instants(day, dt.time(12), dt.time(15))
        shift = Shift.objects.create(
            invitation=invitation,
            starts_at=starts,
            ends_at=ends,
            places=4,
            min_volunteers=2,
            cutoff_at=starts - dt.timedelta(hours=3),
        )
        put_on(shift, world.volunteer)
    feed = create_feed(user=world.volunteer)
    body = _fetch(feed.token)[1]
    events = {e.decoded("DTSTART").date(): e for e in _events(body)}
    first, second = events[before].decoded("DTSTART"), events[after].decoded("DTSTART")
    assert first.time() == second.time() == dt.time(12)
    assert first.utcoffset() != second.utcoffset()
    # The instants are not a week apart; the clock times are.
    assert second.astimezone(dt.UTC) - first.astimezone(dt.UTC) != dt.timedelta(days=7)
    assert f"DTSTART;TZID=Asia/Hebron:{after:%Y%m%d}T120000".encode() in body


def test_a_cancelled_shift_stays_in_the_feed_marked_cancelled(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    shift = invitation.shifts.order_by("starts_at")[0]
    put_on(shift, world.volunteer)
    cancel_shift(shift=shift, actor=world.partner)
    feed = create_feed(user=world.volunteer)
    events = _events(_fetch(feed.token)[1])
    assert [e["STATUS"] for e in events] == ["CANCELLED"]


def test_a_partners_feed_counts_volunteers_without_names(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    shift = invitation.shifts.order_by("starts_at")[0]
    put_on(shift, world.volunteer)
    feed = create_feed(user=world.partner, community=world.bilin)
    status, body, _headers = _fetch(feed.token)
    assert status == 200
    events = _events(body)
    assert len(events) == invitation.shifts.count()
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    # In the partner's language (Arabic), with the counts and no names.
    with translation.override(world.partner.language):
        expected = gettext("Volunteers coming: %(coming)d; asked for: %(low)d to %(high)d.") % {
            "coming": 1,
            "low": 2,
            "high": 4,
        }
    assert expected in str(first["DESCRIPTION"])
    assert b"Vera" not in body and b"volunteer@example.org" not in body


def test_a_revoked_or_unknown_token_is_not_found(world: World) -> None:
    feed = create_feed(user=world.volunteer)
    old = feed.token
    assert revoke_feed(user=world.volunteer)
    assert _fetch(old)[0] == 404
    assert _fetch("not-a-token")[0] == 404
    new = create_feed(user=world.volunteer)
    assert new.token != old and _fetch(new.token)[0] == 200
    stored = CalendarFeed.objects.get(pk=new.pk)
    assert stored.token_hash != new.token


def test_a_partner_who_no_longer_speaks_for_the_community_loses_the_feed(world: World) -> None:
    feed = create_feed(user=world.partner, community=world.bilin)
    world.bilin.contacts.all().delete()
    assert _fetch(feed.token)[0] == 404


def test_the_volunteer_makes_copies_and_revokes_the_address(world: World) -> None:
    assert Client().get("/en/field/calendar/").status_code == 302
    client = sign_in(Client(), world.volunteer)
    assert "Make a calendar address" in client.get("/en/field/calendar/").content.decode()
    assert client.get("/en/field/calendar/new/").status_code == 405
    assert client.post("/en/field/calendar/new/").status_code == 302
    feed = CalendarFeed.objects.get(user=world.volunteer)
    page = client.get("/en/field/calendar/").content.decode()
    assert f"/calendar/{feed.token}.ics" in page
    assert client.post("/en/field/calendar/revoke/").status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None and feed.revoked_at <= timezone.now()


def test_the_partner_makes_a_feed_only_for_their_own_community(world: World) -> None:
    from alongside.movement.models import PartnerCommunity

    other = PartnerCommunity.objects.create(group=world.field_team, slug="o", name_en="Other")
    client = sign_in(Client(), world.partner, second_factor=False)
    assert client.get("/en/field/calendar/partner/").status_code == 200
    assert (
        client.post("/en/field/calendar/partner/new/", {"community": other.pk}).status_code == 404
    )
    assert client.post("/en/field/calendar/partner/new/", {"community": "x"}).status_code == 404
    ok = client.post("/en/field/calendar/partner/new/", {"community": world.bilin.pk})
    assert ok.status_code == 302
    assert CalendarFeed.objects.filter(user=world.partner, community=world.bilin).exists()
    assert sign_in(Client(), world.volunteer).get("/en/field/calendar/partner/").status_code == 404


def test_feed_tokens_are_kept_out_of_the_access_log() -> None:
    from alongside.lib.gunicorn_logging import redact_path

    token = "q1w2e3r4t5y6u7i8o9p0-ASDFGHJKL_zxcvbnm123"
    assert redact_path(f"/calendar/{token}.ics") == "/calendar/…"
    assert token not in redact_path(f"GET /calendar/{token}.ics HTTP/1.1")
    assert redact_path("/en/field/calendar/revoke/") == "/en/field/calendar/revoke/"
