"""A community partner invites volunteers from a phone and sees who is coming by first name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from alongside.field import recurrence
from alongside.field.models import Invitation, InvitationStatus, InvitedVia, SignUpStatus
from alongside.field.tests.factories import make_field_volunteer
from alongside.field.tests.factories_invitations import make_invitation, put_on
from alongside.lib.models import AuditEntry
from alongside.movement.models import PartnerCommunity
from conftest import World, sign_in


def _form(**changes: Any) -> dict[str, Any]:
    monday = recurrence.today() + dt.timedelta(days=1)
    data: dict[str, Any] = {
        "kind": "school_run",
        "title": "",
        "recurrence": "weekly",
        "school_days": "on",
        "starts_on": monday.isoformat(),
        "ends_on": (monday + dt.timedelta(days=30)).isoformat(),
        "start_time": "07:00",
        "end_time": "08:00",
        "volunteers_min": "2",
        "volunteers_max": "3",
        "languages": ["ar", "en"],
        "briefing": "Walk with the children; do not answer soldiers.",
        "place": "The path behind the school",
        "coordinates": "31.9270, 35.0750",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _other_community(world: World) -> PartnerCommunity:
    return PartnerCommunity.objects.create(
        group=world.field_team, slug="nilin", name_en="Ni'lin committee", locality_en="Ni'lin"
    )


def test_a_partner_invites_for_school_days_without_a_second_factor(world: World) -> None:
    client = sign_in(Client(), world.partner, second_factor=False)
    assert client.get("/ar/partner/invitations/new/").status_code == 200
    response = client.post("/en/partner/invitations/new/", _form())
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.community == world.bilin
    assert invitation.invited_via == InvitedVia.PLATFORM
    assert invitation.weekdays == [0, 1, 2, 3, 6]
    assert invitation.place == "The path behind the school"
    days = {
        s.starts_at.astimezone(recurrence.field_zone()).weekday() for s in invitation.shifts.all()
    }
    assert days <= {6, 0, 1, 2, 3} and days


def test_bad_input_is_refused_with_a_message_and_kept(world: World) -> None:
    client = sign_in(Client(), world.partner, second_factor=False)
    past = (recurrence.today() - dt.timedelta(days=2)).isoformat()
    response = client.post(
        "/en/partner/invitations/new/",
        _form(starts_on=past, volunteers_min="5", volunteers_max="2", coordinates="north"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This date has passed." in page
    assert "At most cannot be fewer than at least." in page
    assert "latitude and longitude" in page
    assert "Walk with the children" in page and "The path behind the school" in page
    assert not Invitation.objects.exists()


def test_a_weekly_invitation_needs_a_day_and_a_daily_one_a_last_date(world: World) -> None:
    client = sign_in(Client(), world.partner, second_factor=False)
    weekly = client.post("/en/partner/invitations/new/", _form(school_days=None))
    assert weekly.status_code == 400
    assert "Choose at least one day of the week." in weekly.content.decode()
    daily = client.post("/en/partner/invitations/new/", _form(recurrence="daily", ends_on=""))
    assert daily.status_code == 400
    assert "Give the last date for every day." in daily.content.decode()


def test_the_partner_pages_need_a_partner(world: World) -> None:
    assert Client().get("/en/partner/").status_code == 302
    for persona in (world.volunteer, world.coordinator):
        assert sign_in(Client(), persona).get("/en/partner/").status_code == 404


def test_the_partner_sees_first_names_and_languages_of_who_is_coming(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    person = make_field_volunteer(
        "lena@example.org", "Lena Lindqvist", group=world.norcal, languages=("sv", "en")
    )
    put_on(shift, person)
    client = sign_in(Client(), world.partner, second_factor=False)
    page = client.get(f"/en/partner/invitations/{invitation.pk}/").content.decode()
    assert "Lena" in page and "Lindqvist" not in page and "lena@example.org" not in page
    assert "svenska" in page
    assert "1 coming; 2 to 4 needed." in page


def test_another_communitys_invitation_is_not_found(world: World) -> None:
    theirs = make_invitation(community=_other_community(world))
    client = sign_in(Client(), world.partner, second_factor=False)
    shift = theirs.shifts.first()
    assert shift is not None
    for path in (
        f"/en/partner/invitations/{theirs.pk}/",
        f"/en/partner/invitations/{theirs.pk}/edit/",
        f"/en/partner/invitations/{theirs.pk}/cancel/",
        f"/en/partner/invitations/{theirs.pk}/dates/{shift.pk}/cancel/",
    ):
        assert client.get(path).status_code == 404, path
        if not path.endswith(f"/{theirs.pk}/"):
            assert client.post(path).status_code == 404, path
    assert theirs.status == InvitationStatus.ACTIVE


def test_the_partner_changes_the_time_and_the_page_audits_the_exact_place(world: World) -> None:
    invitation = make_invitation(community=world.bilin, place="Olive grove by the wall")
    client = sign_in(Client(), world.partner, second_factor=False)
    edit = client.get(f"/en/partner/invitations/{invitation.pk}/edit/")
    assert "Olive grove by the wall" in edit.content.decode()
    reads = AuditEntry.objects.filter(action="read", target_id=str(invitation.pk))
    assert reads.count() == 1
    data = _form(
        kind="demonstration",
        school_days=None,
        weekdays=["4"],
        starts_on=invitation.starts_on.isoformat(),
        ends_on="",
        start_time="13:00",
        end_time="15:00",
        place="Olive grove by the wall",
    )
    response = client.post(f"/en/partner/invitations/{invitation.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    assert shift.starts_at.astimezone(recurrence.field_zone()).time() == dt.time(13)


def test_lowering_places_below_who_is_coming_keeps_the_form_with_a_message(
    world: World,
) -> None:
    invitation = make_invitation(community=world.bilin, volunteers_min=1, volunteers_max=2)
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    for n in range(2):
        put_on(shift, make_field_volunteer(f"p{n}@example.org", f"P{n} X", group=world.norcal))
    client = sign_in(Client(), world.partner, second_factor=False)
    data = _form(
        kind="demonstration", school_days=None, weekdays=["4"], ends_on="",
        starts_on=invitation.starts_on.isoformat(), start_time="12:00", end_time="15:00",
        volunteers_min="1", volunteers_max="1",
    )  # fmt: skip
    response = client.post(f"/en/partner/invitations/{invitation.pk}/edit/", data)
    assert response.status_code == 400
    assert "2 volunteers already hold a place" in response.content.decode()


def test_the_partner_cancels_one_date_then_the_whole_invitation(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    first, second = invitation.shifts.order_by("starts_at")[:2]
    signup = put_on(first, world.volunteer)
    client = sign_in(Client(), world.partner, second_factor=False)
    base = f"/en/partner/invitations/{invitation.pk}/"
    assert client.get(f"{base}dates/{first.pk}/cancel/").status_code == 200
    assert client.post(f"{base}dates/{first.pk}/cancel/").status_code == 302
    first.refresh_from_db()
    signup.refresh_from_db()
    assert first.is_cancelled and signup.status == SignUpStatus.CANCELLED
    second.refresh_from_db()
    assert not second.is_cancelled
    assert client.get(f"{base}cancel/").status_code == 200
    assert client.post(f"{base}cancel/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    assert client.get(f"{base}edit/").status_code == 302


def test_the_list_pages_take_the_same_queries_for_more_rows(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.partner, second_factor=False)
    invitation = make_invitation(community=world.bilin)
    put_on(invitation.shifts.order_by("starts_at")[0], world.volunteer)
    client.get("/en/partner/")  # the first request of a session does its own bookkeeping

    def count(path: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few_list = count("/en/partner/")
    few_detail = count(f"/en/partner/invitations/{invitation.pk}/")
    for n in range(4):
        make_invitation(community=world.bilin, weekdays=(n,))
    for n, shift in enumerate(invitation.shifts.order_by("starts_at")[:4]):
        put_on(shift, make_field_volunteer(f"q{n}@example.org", f"Q{n} Y", group=world.norcal))
    assert count("/en/partner/") == few_list
    assert count(f"/en/partner/invitations/{invitation.pk}/") == few_detail
