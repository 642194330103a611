"""A shift's page: what, where (the exact place only for the confirmed team, each showing
audited), when on the Hebron clock, the team's first names and languages, and the buttons."""

from __future__ import annotations

from typing import Any

from django.test import Client

from alongside.field.models import Invitation, SignUp, SignUpStatus
from alongside.field.tests.factories import make_field_volunteer, make_shift
from alongside.lib.models import AuditEntry
from alongside.volunteers.models import Application, Stage
from conftest import World, sign_in


def url(shift: Any) -> str:
    return f"/en/field/shifts/{shift.pk}/"


def test_a_ready_volunteer_sees_the_shift_but_not_the_exact_place(
    client: Client, world: World
) -> None:
    lina = make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal)
    omar = make_field_volunteer(
        "omar@example.net", "Omar Other", group=world.norcal, languages=["ar", "fr"]
    )
    shift = make_shift(
        community=world.bilin,
        place="Abu Rahma house, western olive grove",
        coordinates="31.9270, 35.0750",
        briefing="Bring water. Soldiers often use tear gas.",
        languages=["ar"],
    )
    SignUp.objects.create(shift=shift, user=omar, status=SignUpStatus.CONFIRMED)
    text = sign_in(client, lina, second_factor=False).get(url(shift)).content.decode()
    assert "Weekly demonstration" in text and "Asia/Hebron" in text
    assert "Bring water." in text
    assert "Omar" in text and "Other" not in text and "français" in text
    assert "Abu Rahma" not in text and "31.9270" not in text
    assert "Take this shift" in text
    assert not AuditEntry.objects.filter(action="read", target_type="field.invitation").exists()


def test_the_confirmed_team_sees_the_exact_place_and_each_showing_is_audited(
    client: Client, world: World
) -> None:
    lina = make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal)
    shift = make_shift(
        community=world.bilin, place="Abu Rahma house", coordinates="31.9270, 35.0750"
    )
    SignUp.objects.create(shift=shift, user=lina, status=SignUpStatus.CONFIRMED)
    text = sign_in(client, lina, second_factor=False).get(url(shift)).content.decode()
    assert "Abu Rahma house" in text and 'href="geo:31.9270,35.0750"' in text
    read = AuditEntry.objects.get(action="read", target_type="field.invitation")
    assert read.actor_id == lina.pk and read.target_id == str(shift.invitation_id)
    assert "Abu Rahma" not in str(read.detail)


def test_a_waiting_volunteer_does_not_see_the_exact_place(client: Client, world: World) -> None:
    lina = make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal)
    shift = make_shift(community=world.bilin, place="Abu Rahma house")
    SignUp.objects.create(shift=shift, user=lina, status=SignUpStatus.WAITING)
    text = sign_in(client, lina, second_factor=False).get(url(shift)).content.decode()
    assert "Abu Rahma" not in text and "Leave the waiting list" in text


def test_the_page_answers_404_to_people_neither_ready_nor_on_the_roster(
    client: Client, world: World
) -> None:
    shift = make_shift(community=world.bilin)
    response = client.get(url(shift))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for person in (world.applicant, world.partner, world.outsider, world.volunteer):
        assert sign_in(client, person).get(url(shift)).status_code == 404
    assert client.get("/en/field/shifts/999999/").status_code == 404


def test_someone_on_the_roster_keeps_the_page_after_their_stage_moves_on(
    client: Client, world: World
) -> None:
    lina = make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal)
    shift = make_shift(community=world.bilin)
    SignUp.objects.create(shift=shift, user=lina, status=SignUpStatus.CONFIRMED)
    Application.objects.filter(user=lina).update(stage=Stage.RETURNED)
    assert sign_in(client, lina, second_factor=False).get(url(shift)).status_code == 200


def test_i_am_still_coming(client: Client, world: World) -> None:
    lina = make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal)
    shift = make_shift(community=world.bilin)
    signup = SignUp.objects.create(shift=shift, user=lina, status=SignUpStatus.CONFIRMED)
    sign_in(client, lina, second_factor=False)
    assert "m still coming</button>" in client.get(url(shift)).content.decode()
    text = client.post(f"{url(shift)}still-coming/", follow=True).content.decode()
    assert "the team knows you are coming" in text
    signup.refresh_from_db()
    assert signup.reconfirmed_at is not None
    assert AuditEntry.objects.filter(action="reconfirm", target_id=str(signup.pk)).exists()


def test_a_cancelled_shift_says_so_and_offers_nothing(client: Client, world: World) -> None:
    lina = make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal)
    shift = make_shift(community=world.bilin)
    Invitation.objects.filter(pk=shift.invitation_id).update(status="cancelled")
    text = sign_in(client, lina, second_factor=False).get(url(shift)).content.decode()
    assert "This shift is cancelled." in text and "Take this shift" not in text
