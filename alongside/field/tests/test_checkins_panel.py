"""A volunteer on a shift checks in with one tap: OK, or Need help with a short note."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from alongside.field.checkins import panel_context
from alongside.field.models import (
    CheckIn,
    CheckInAnswer,
    CheckInKind,
    Escalation,
    EscalationLevel,
    EscalationReason,
)
from alongside.field.tests.factories_safety import (
    confirm,
    moved_clock,
    shift_now,
    volunteer,
)
from alongside.lib.models import AuditEntry
from conftest import World, sign_in


def _url(shift_id: int) -> str:
    return f"/en/field/safety/shifts/{shift_id}/checkin/"


def test_ok_answers_the_arrival_check_in_and_returns_to_the_shift_page(world: World) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    signup = confirm(shift, vera)
    client = sign_in(Client(), vera, second_factor=False)

    response = client.post(_url(shift.pk), {"answer": "ok", "next": "/en/field/shifts/1/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/field/shifts/1/"
    arrival = signup.checkins.get(kind=CheckInKind.ARRIVAL)
    assert arrival.answer == CheckInAnswer.OK and arrival.answered_at is not None
    assert not Escalation.objects.exists()
    assert AuditEntry.objects.filter(action="checkin", target_id=str(arrival.pk)).exists()


def test_an_outside_next_address_is_ignored(world: World) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    confirm(shift, vera)
    client = sign_in(Client(), vera, second_factor=False)
    response = client.post(_url(shift.pk), {"answer": "ok", "next": "https://evil.example/"})
    assert response["Location"] == f"/en/field/shifts/{shift.pk}/"


def test_the_shift_page_carries_the_panel_and_the_tap_comes_back_to_it(world: World) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    signup = confirm(shift, vera)
    client = sign_in(Client(), vera, second_factor=False)
    page = client.get(f"/en/field/shifts/{shift.pk}/").content.decode()
    assert f'action="{_url(shift.pk)}"' in page
    assert 'name="next" value="/en/field/shifts/' in page

    response = client.post(
        _url(shift.pk), {"answer": "ok", "next": f"/en/field/shifts/{shift.pk}/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/en/field/shifts/{shift.pk}/"
    assert "your check-in was recorded" in response.content.decode()
    assert signup.checkins.filter(answered_at__isnull=False).count() == 1


def test_arrival_may_be_given_a_little_early(world: World) -> None:
    shift = shift_now(world.bilin, started_minutes_ago=-20)
    vera = volunteer("Vera Field", group=world.norcal)
    signup = confirm(shift, vera)
    sign_in(Client(), vera, second_factor=False).post(_url(shift.pk), {"answer": "ok"})
    assert signup.checkins.get(kind=CheckInKind.ARRIVAL).answered_at is not None


def test_a_tap_with_nothing_due_is_recorded_as_unplanned(world: World) -> None:
    shift = shift_now(world.bilin, checkin_every_hours=2)
    vera = volunteer("Vera Field", group=world.norcal)
    signup = confirm(shift, vera)
    client = sign_in(Client(), vera, second_factor=False)
    client.post(_url(shift.pk), {"answer": "ok"})
    client.post(_url(shift.pk), {"answer": "ok"})

    answered = signup.checkins.filter(answered_at__isnull=False)
    assert sorted(answered.values_list("kind", flat=True)) == [CheckInKind.ARRIVAL, "extra"]
    # The check-in due in two hours is still owed.
    assert signup.checkins.get(kind=CheckInKind.DURING).answered_at is None


def test_need_help_tells_the_coordinators_and_the_team_at_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    omar = volunteer("Omar Teammate", group=world.norcal)
    signup = confirm(shift, vera)
    confirm(shift, omar)
    client = sign_in(Client(), vera, second_factor=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(shift.pk), {"answer": "help", "note": "Soldiers at the gate, we are held."}
        )

    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert escalation.reason == EscalationReason.HELP
    assert escalation.level == EscalationLevel.COORDINATORS
    assert escalation.checkin.signup == signup
    assert CheckIn.objects.get(pk=escalation.checkin_id).note == (
        "Soldiers at the gate, we are held."
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world.coordinator.email, omar.email]
    )
    for message in mail.outbox:
        body = f"{message.subject} {message.body}"
        assert "Vera" not in body and "Bil" not in body and "Soldiers" not in body
        assert f"/safety/escalations/{escalation.pk}/" in message.body
    assert AuditEntry.objects.filter(action="escalate", target_id=str(escalation.pk)).exists()


def test_someone_else_cannot_check_in_for_the_volunteer(world: World) -> None:
    shift = shift_now(world.bilin)
    confirm(shift, volunteer("Vera Field", group=world.norcal))
    other = volunteer("Other Person", group=world.norcal)

    client = sign_in(Client(), other, second_factor=False)
    assert client.post(_url(shift.pk), {"answer": "ok"}).status_code == 404
    assert client.get(_url(shift.pk)).status_code == 404
    coordinator = sign_in(Client(), world.coordinator)
    assert coordinator.post(_url(shift.pk), {"answer": "ok"}).status_code == 404
    assert not CheckIn.objects.filter(answered_at__isnull=False).exists()


def test_checking_in_needs_to_be_signed_in(world: World) -> None:
    shift = shift_now(world.bilin)
    response = Client().post(_url(shift.pk), {"answer": "ok"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_checking_in_is_refused_before_the_window_and_after_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = moved_clock(monkeypatch)
    shift = shift_now(world.bilin, started_minutes_ago=-120)
    vera = volunteer("Vera Field", group=world.norcal)
    signup = confirm(shift, vera)
    client = sign_in(Client(), vera, second_factor=False)

    early = client.post(_url(shift.pk), {"answer": "ok", "note": "on the way"})
    assert early.status_code == 400
    assert "Checking in opens" in early.content.decode()
    assert "on the way" in early.content.decode()

    clock.advance(hours=2 + 3 + 3, minutes=1)  # to the start, past the end, past the window
    late = client.post(_url(shift.pk), {"answer": "ok"})
    assert late.status_code == 400
    assert not signup.checkins.filter(answered_at__isnull=False).exists()


def test_a_too_long_note_is_refused_and_kept(world: World) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    signup = confirm(shift, vera)
    client = sign_in(Client(), vera, second_factor=False)
    note = "x" * 501
    response = client.post(_url(shift.pk), {"answer": "help", "note": note})
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    assert note in response.content.decode()
    assert not Escalation.objects.exists()
    assert not signup.checkins.filter(answered_at__isnull=False).exists()


def test_an_unknown_answer_is_refused(world: World) -> None:
    shift = shift_now(world.bilin)
    vera = volunteer("Vera Field", group=world.norcal)
    confirm(shift, vera)
    response = sign_in(Client(), vera, second_factor=False).post(_url(shift.pk), {"answer": "x"})
    assert response.status_code == 400
    assert "Choose OK or Need help" in response.content.decode()


def test_the_panel_shows_the_next_and_the_last_check_in(world: World) -> None:
    shift = shift_now(world.bilin, checkin_every_hours=1)
    vera = volunteer("Vera Field", group=world.norcal)
    signup = confirm(shift, vera)
    client = sign_in(Client(), vera, second_factor=False)
    client.post(_url(shift.pk), {"answer": "ok"})

    context = panel_context(signup)
    assert context["checkin_open"]
    assert context["checkin_last"].kind == CheckInKind.ARRIVAL
    assert context["checkin_next"].kind == CheckInKind.DURING
    assert context["checkin_next"].due_at == shift.starts_at + dt.timedelta(hours=1)
    page = client.get(_url(shift.pk)).content.decode()
    assert "(Asia/Hebron)" in page
    assert 'value="help"' in page and 'value="ok"' in page
    assert "/incident/" in page


def test_the_panel_is_empty_for_someone_not_confirmed() -> None:
    assert panel_context(None) == {"checkin_signup": None}
