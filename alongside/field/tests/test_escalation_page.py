"""The page of an escalation: who, which shift, when it was due, the last check-in, the note,
who has been told; and the form where someone takes it in hand."""

from __future__ import annotations

from typing import Any

from django.test import Client

from alongside.field.actions.checkins import check_in
from alongside.field.models import Escalation, EscalationLevel
from alongside.field.tests.factories_safety import confirm, shift_now, volunteer
from alongside.lib.models import AuditEntry
from conftest import World, sign_in


def _help(world: World) -> tuple[Escalation, Any, Any]:
    """Vera asked for help on a shift with Omar."""
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    omar = volunteer("Omar Teammate", group=world.norcal)
    signup = confirm(shift, vera)
    confirm(shift, omar)
    check_in(signup=signup, answer="help", note="Held at the checkpoint.", actor=vera)
    return Escalation.objects.get(), vera, omar


def _url(escalation: Escalation) -> str:
    return f"/en/field/safety/escalations/{escalation.pk}/"


def test_the_coordinator_sees_who_when_and_the_note_and_the_reading_is_recorded(
    world: World,
) -> None:
    escalation, _vera, _omar = _help(world)
    response = sign_in(Client(), world.coordinator).get(_url(escalation))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vera asked for help" in page
    assert "Held at the checkpoint." in page
    assert "(Asia/Hebron)" in page
    assert "Field coordinators" in page
    assert AuditEntry.objects.filter(
        action="read", actor_id=world.coordinator.pk, target_id=str(escalation.checkin_id)
    ).exists()


def test_a_teammate_on_the_shift_sees_it(world: World) -> None:
    escalation, _vera, omar = _help(world)
    response = sign_in(Client(), omar, second_factor=False).get(_url(escalation))
    assert response.status_code == 200


def test_others_get_404_alike(world: World) -> None:
    escalation, _vera, _omar = _help(world)
    for person in (world.outsider, world.partner, world.volunteer, world.documenter):
        assert sign_in(Client(), person).get(_url(escalation)).status_code == 404, person
    assert (
        sign_in(Client(), world.coordinator).get("/en/field/safety/escalations/999999/").status_code
        == 404
    )


def test_the_support_group_core_sees_it_once_it_reached_them(world: World) -> None:
    escalation, _vera, _omar = _help(world)
    client = sign_in(Client(), world.core)
    assert client.get(_url(escalation)).status_code == 404
    Escalation.objects.filter(pk=escalation.pk).update(level=EscalationLevel.SUPPORT_GROUP)
    assert client.get(_url(escalation)).status_code == 200


def test_a_coordinator_must_have_used_the_second_factor(world: World) -> None:
    escalation, _vera, _omar = _help(world)
    response = sign_in(Client(), world.coordinator, second_factor=False).get(_url(escalation))
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_the_page_needs_sign_in(world: World) -> None:
    escalation, _vera, _omar = _help(world)
    response = Client().get(_url(escalation))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_acknowledging_stops_it_and_shows_who_and_what(world: World) -> None:
    escalation, _vera, omar = _help(world)
    client = sign_in(Client(), world.coordinator)
    response = client.post(_url(escalation), {"note": "Lawyer called, on the way."})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == world.coordinator
    page = sign_in(Client(), omar, second_factor=False).get(_url(escalation)).content.decode()
    assert "Acknowledged by Hana" in page
    assert "Lawyer called, on the way." in page


def test_a_too_long_acknowledgement_is_refused_and_kept(world: World) -> None:
    escalation, _vera, _omar = _help(world)
    note = "y" * 1001
    response = sign_in(Client(), world.coordinator).post(_url(escalation), {"note": note})
    assert response.status_code == 400
    assert note in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.acknowledged_at is None


def test_the_volunteer_sees_the_alert_about_themself_but_cannot_call_it_off(world: World) -> None:
    escalation, vera, _omar = _help(world)
    client = sign_in(Client(), vera, second_factor=False)
    page = client.get(_url(escalation)).content.decode()
    assert "Someone will reach you" in page
    assert client.post(_url(escalation), {"note": "fine"}).status_code == 404
    escalation.refresh_from_db()
    assert escalation.acknowledged_at is None
