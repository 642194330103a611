"""A field coordinator enters invitations on a community's behalf and sets the team's rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alongside.field import recurrence
from alongside.field.models import (
    ActivityKind,
    ActivityRules,
    FieldSettings,
    Invitation,
    InvitationStatus,
    InvitedVia,
)
from alongside.field.tests.factories_invitations import make_invitation, put_on
from alongside.lib.models import AuditEntry
from alongside.movement.models import Group, GroupKind, PartnerCommunity
from conftest import World, sign_in

BASE = "/en/coordinate/palestine/invitations/"


def _form(world: World, **changes: Any) -> dict[str, Any]:
    day = recurrence.today() + dt.timedelta(days=3)
    data: dict[str, Any] = {
        "community": str(world.bilin.pk),
        "invited_via": "phone",
        "invited_by": "Abu Ahmad, committee secretary",
        "kind": "presence",
        "recurrence": "once",
        "starts_on": day.isoformat(),
        "start_time": "20:00",
        "end_time": "08:00",
        "volunteers_min": "2",
        "volunteers_max": "3",
        "languages": ["ar"],
        "briefing": "The family expects a demolition order.",
        "place": "",
        "coordinates": "",
        "signup_cutoff_hours": "6",
        "checkin_every_hours": "4",
    }
    data.update(changes)
    return data


def test_a_coordinator_enters_an_overnight_stay_on_a_phone_call(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    page = client.get(f"{BASE}new/")
    assert page.status_code == 200
    response = client.post(f"{BASE}new/", _form(world))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invited_via == InvitedVia.PHONE
    assert invitation.invited_by == "Abu Ahmad, committee secretary"
    assert invitation.created_by == world.coordinator
    shift = invitation.shifts.get()
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=12)
    assert shift.cutoff_at == shift.starts_at - dt.timedelta(hours=6)
    assert shift.checkin_every_hours == 4


def test_bad_input_keeps_what_the_coordinator_typed(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    response = client.post(f"{BASE}new/", _form(world, invited_via="", signup_cutoff_hours="x"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Abu Ahmad, committee secretary" in page
    assert "The family expects a demolition order." in page
    assert not Invitation.objects.exists()


def test_the_screens_need_a_field_coordinator_with_a_second_factor(world: World) -> None:
    assert Client().get(BASE).status_code == 302
    for persona in (world.partner, world.volunteer, world.documenter, world.core):
        assert sign_in(Client(), persona).get(BASE).status_code == 404
    without = sign_in(Client(), world.coordinator, second_factor=False).get(BASE)
    assert without.status_code == 302 and "/accounts/2fa/" in without["Location"]


def test_another_teams_invitation_is_not_found(world: World) -> None:
    other_team = Group.objects.create(slug="jordan-valley", kind=GroupKind.FIELD, name_en="JV")
    theirs = make_invitation(
        community=PartnerCommunity.objects.create(group=other_team, slug="x", name_en="X")
    )
    client = sign_in(Client(), world.coordinator)
    for path in (f"{BASE}{theirs.pk}/", f"{BASE}{theirs.pk}/edit/", f"{BASE}{theirs.pk}/cancel/"):
        assert client.get(path).status_code == 404
    assert client.post(f"{BASE}{theirs.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == InvitationStatus.ACTIVE


def test_reading_who_invited_and_the_place_is_audited(world: World) -> None:
    invitation = make_invitation(
        community=world.bilin, invited_via="phone", invited_by="Umm Khaled", place="The house"
    )
    client = sign_in(Client(), world.coordinator)
    page = client.get(f"{BASE}{invitation.pk}/").content.decode()
    assert "Umm Khaled" in page and "The house" in page
    entry = AuditEntry.objects.filter(action="read", target_id=str(invitation.pk)).get()
    assert entry.detail == {"fields": ["place", "invited_by"]}


def test_the_list_filters_by_community_kind_and_status(world: World) -> None:
    make_invitation(community=world.bilin, title="Friday march")
    make_invitation(community=world.bilin, kind=ActivityKind.HARVEST, title="Western groves")
    client = sign_in(Client(), world.coordinator)
    page = client.get(BASE, {"kind": "harvest"}).content.decode()
    assert "Western groves" in page and "Friday march" not in page
    assert "Friday march" in client.get(BASE, {"status": "active"}).content.decode()
    assert "Friday march" not in client.get(BASE, {"status": "cancelled"}).content.decode()


def test_the_list_takes_the_same_queries_for_more_invitations(world: World) -> None:
    make_invitation(community=world.bilin)
    client = sign_in(Client(), world.coordinator)
    client.get(BASE)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE).status_code == 200
        return len(queries)

    few = count()
    for day in range(5):
        make_invitation(community=world.bilin, weekdays=(day,))
    assert count() == few


def test_the_coordinator_edits_and_cancels_a_date_and_the_invitation(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    put_on(shift, world.volunteer)
    client = sign_in(Client(), world.coordinator)
    assert client.get(f"{BASE}{invitation.pk}/edit/").status_code == 200
    data = _form(
        world, kind="demonstration", recurrence="weekly", weekdays=["4"],
        starts_on=invitation.starts_on.isoformat(), start_time="12:00", end_time="16:00",
        volunteers_max="5",
    )  # fmt: skip
    assert client.post(f"{BASE}{invitation.pk}/edit/", data).status_code == 302
    shift.refresh_from_db()
    assert shift.places == 5 and shift.ends_at - shift.starts_at == dt.timedelta(hours=4)
    path = f"{BASE}{invitation.pk}/dates/{shift.pk}/cancel/"
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    shift.refresh_from_db()
    assert shift.is_cancelled
    assert client.post(f"{BASE}{invitation.pk}/cancel/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED


def _rules_form(**changes: str) -> dict[str, str]:
    data = {}
    for kind in ActivityKind.values:
        data.update(
            {
                f"{kind}-min_team_size": "2",
                f"{kind}-needs_experienced": "on",
                f"{kind}-needs_language_coverage": "on",
                f"{kind}-required_qualification": "",
                f"{kind}-checkin_every_hours": "2",
                f"{kind}-signup_cutoff_hours": "3",
            }
        )
    data.update({
        "settings-offer_hours": "2",
        "settings-checkin_grace_minutes": "30",
        "settings-escalate_every_minutes": "30",
    })  # fmt: skip
    data.update(changes)
    return data


def test_the_team_rules_page_shows_defaults_and_saves_changes(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    page = client.get(f"{BASE}rules/")
    assert page.status_code == 200
    assert "Olive-harvest accompaniment" in page.content.decode()
    response = client.post(
        f"{BASE}rules/",
        _rules_form(**{"harvest-min_team_size": "3", "settings-offer_hours": "4"}),
    )
    assert response.status_code == 302
    rules = ActivityRules.objects.get(team=world.field_team, kind="harvest")
    assert rules.min_team_size == 3
    assert FieldSettings.objects.get(team=world.field_team).offer_hours == 4


def test_the_team_rules_refuse_bad_numbers_and_keep_the_rest(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    response = client.post(
        f"{BASE}rules/",
        _rules_form(**{"harvest-min_team_size": "0", "presence-signup_cutoff_hours": "17"}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Between 1 and 20." in page
    assert 'value="17"' in page
    assert not ActivityRules.objects.exists()
    assert sign_in(Client(), world.partner).get(f"{BASE}rules/").status_code == 404
