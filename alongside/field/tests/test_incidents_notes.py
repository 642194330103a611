"""A quick incident note from the field, and the coordinators' list of them."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.field.models import IncidentKind, IncidentNote
from alongside.field.tests.factories_safety import confirm, shift_now, volunteer
from alongside.lib.models import AuditEntry
from alongside.lib.timezones import field_zone
from conftest import World, sign_in


def _url(shift_id: int) -> str:
    return f"/en/field/safety/shifts/{shift_id}/incident/"


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(field_zone()).strftime("%Y-%m-%dT%H:%M")


def _hebron(client: Client) -> Client:
    client.cookies["tz"] = "Asia/Hebron"
    return client


def test_a_volunteer_on_the_shift_notes_an_incident(world: World) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    confirm(shift, vera)
    client = _hebron(sign_in(Client(), vera, second_factor=False))

    form = client.get(_url(shift.pk)).content.decode()
    assert 'type="radio"' in form and "Settler attack" in form

    moment = timezone.now() - dt.timedelta(minutes=5)
    response = client.post(
        _url(shift.pk),
        {"kind": "settler_attack", "occurred_at": _when(moment), "note": "Trees cut."},
    )
    assert response.status_code == 302
    incident = IncidentNote.objects.get()
    assert incident.kind == IncidentKind.SETTLER_ATTACK
    assert incident.reported_by == vera
    assert incident.note == "Trees cut."
    assert abs((incident.occurred_at - moment).total_seconds()) < 60
    assert AuditEntry.objects.filter(action="create", target_id=str(incident.pk)).exists()


def test_a_coordinator_of_the_team_may_note_one_too(world: World) -> None:
    shift = shift_now(world.bilin)
    client = _hebron(sign_in(Client(), world.coordinator))
    response = client.post(
        _url(shift.pk), {"kind": "detention", "occurred_at": _when(timezone.now())}
    )
    assert response.status_code == 302
    assert IncidentNote.objects.get().reported_by == world.coordinator


def test_others_get_404(world: World) -> None:
    shift = shift_now(world.bilin)
    confirm(shift, volunteer("Vera Field", group=world.norcal))
    for person in (world.volunteer, world.outsider, world.partner, world.documenter):
        client = sign_in(Client(), person)
        assert client.get(_url(shift.pk)).status_code == 404
        assert client.post(_url(shift.pk), {"kind": "injury"}).status_code == 404
    assert not IncidentNote.objects.exists()
    response = Client().get(_url(shift.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_input_is_refused_and_kept(world: World) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    confirm(shift, vera)
    client = _hebron(sign_in(Client(), vera, second_factor=False))
    future = timezone.now() + dt.timedelta(hours=2)
    response = client.post(
        _url(shift.pk), {"kind": "injury", "occurred_at": _when(future), "note": "A fall."}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The time is in the future." in page
    assert "A fall." in page
    assert 'value="injury" class="big-choice" id="id_kind_1" required checked' in page or (
        'value="injury"' in page and "checked" in page
    )
    missing = client.post(_url(shift.pk), {"occurred_at": _when(timezone.now())})
    assert missing.status_code == 400
    assert not IncidentNote.objects.exists()


def _notes(world: World, count: int) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    IncidentNote.objects.bulk_create(
        IncidentNote(shift=shift, reported_by=vera, kind="confiscation", note=f"Note {n}")
        for n in range(count)
    )


def test_coordinators_list_the_notes_and_each_reading_is_recorded(world: World) -> None:
    _notes(world, 3)
    client = sign_in(Client(), world.coordinator)
    response = client.get("/en/coordinate/palestine/incidents/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Note 0" in page and "Note 2" in page and "Noted by Vera" in page
    assert AuditEntry.objects.filter(action="read", target_type="field.incidentnote").count() == 3


def test_only_coordinators_list_the_notes(world: World) -> None:
    _notes(world, 1)
    for person in (world.documenter, world.core, world.outsider):
        assert (
            sign_in(Client(), person).get("/en/coordinate/palestine/incidents/").status_code == 404
        )


def test_the_list_is_paginated_with_a_constant_number_of_queries(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    _notes(world, 1)
    client.get("/en/coordinate/palestine/incidents/")  # the session and the audit chain set up
    counts = []
    # Each note shown is one reading recorded: the count is the same for any full page.
    for size in (25, 45):
        IncidentNote.objects.all().delete()
        _notes(world, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/coordinate/palestine/incidents/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Page 1 of 3" in response.content.decode()
