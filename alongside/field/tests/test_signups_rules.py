"""Signing up through the shift page: a place, the waiting list when full, and clear refusals:
outside the presence window, without the two-day training, before agreeing to the current
principles, overlapping another shift, after the cut-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.field.models import CheckIn, Shift, SignUp, SignUpStatus
from alongside.field.tests.factories import in_days, make_field_volunteer, make_shift
from alongside.lib.models import AuditEntry
from alongside.movement.models import PartnerCommunity, Principle, PrinciplesVersion
from conftest import World, sign_in


def sign_up_url(shift: Shift) -> str:
    return f"/en/field/shifts/{shift.pk}/sign-up/"


def cancel_url(shift: Shift) -> str:
    return f"/en/field/shifts/{shift.pk}/cancel/"


def page_of(client: Client, shift: Shift) -> str:
    return client.get(f"/en/field/shifts/{shift.pk}/").content.decode()


def volunteer(world: World, email: str = "lina@example.net", **kw: Any) -> Any:
    name = email.split("@")[0].title() + " Field"
    return make_field_volunteer(email, name, group=world.norcal, **kw)


def as_(client: Client, user: Any) -> Client:
    return sign_in(client, user, second_factor=False)


def test_taking_a_shift_gives_a_place_plans_checkins_and_is_audited(
    client: Client, world: World
) -> None:
    lina = volunteer(world)
    shift = make_shift(community=world.bilin)
    response = as_(client, lina).post(sign_up_url(shift), follow=True)
    assert "You have a place on this shift." in response.content.decode()
    signup = SignUp.objects.get(shift=shift, user=lina)
    assert signup.status == SignUpStatus.CONFIRMED
    assert CheckIn.objects.filter(signup=signup).count() >= 2
    assert AuditEntry.objects.filter(action="sign_up", target_id=str(signup.pk)).exists()


def test_a_full_shift_puts_her_on_the_waiting_list(client: Client, world: World) -> None:
    shift = make_shift(community=world.bilin, places=1)
    SignUp.objects.create(
        shift=shift, user=volunteer(world, "omar@example.net"), status=SignUpStatus.CONFIRMED
    )
    lina = volunteer(world)
    text = as_(client, lina).post(sign_up_url(shift), follow=True).content.decode()
    assert "you are on the waiting list" in text
    assert SignUp.objects.get(shift=shift, user=lina).status == SignUpStatus.WAITING


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("outside", "Outside your presence window"),
        ("untrained", "two-day training"),
        ("overlap", "Overlaps your shift at Bil&#x27;in on"),
        ("closed", "Sign-up has closed"),
        ("principles", "Agree to the current principles first."),
    ],
)
def test_refusals_say_why(client: Client, world: World, setup: str, message: str) -> None:
    start = in_days(5)
    kwargs: dict[str, Any] = {}
    if setup == "outside":
        kwargs["departure_on"] = start.date() - dt.timedelta(days=1)
    if setup == "untrained":
        kwargs["qualified"] = False
    lina = volunteer(world, **kwargs)
    shift = make_shift(community=world.bilin, starts_at=start)
    if setup == "overlap":
        other = make_shift(
            community=PartnerCommunity.objects.create(
                group=world.field_team,
                slug="bilin-2",
                name_en="Bil'in farmers",
                locality_en="Bil'in",
            ),
            starts_at=start + dt.timedelta(hours=1),
        )
        SignUp.objects.create(shift=other, user=lina, status=SignUpStatus.CONFIRMED)
    if setup == "closed":
        Shift.objects.filter(pk=shift.pk).update(cutoff_at=timezone.now() - dt.timedelta(hours=1))
    if setup == "principles":
        version = PrinciplesVersion.objects.create(group=world.norcal, number=1)
        Principle.objects.create(version=version, position=1, title_en="Nonviolence", text_en="No.")
    text = as_(client, lina).post(sign_up_url(shift), follow=True).content.decode()
    assert message in text
    assert not SignUp.objects.filter(shift=shift, user=lina).exists()
    if setup == "principles":
        assert "/en/volunteer/principles/" in text


def test_signing_up_twice_changes_nothing(client: Client, world: World) -> None:
    lina = volunteer(world)
    shift = make_shift(community=world.bilin)
    as_(client, lina)
    client.post(sign_up_url(shift))
    text = client.post(sign_up_url(shift), follow=True).content.decode()
    assert "already signed up" in text
    assert SignUp.objects.filter(shift=shift, user=lina).count() == 1


def test_cancelling_before_the_cutoff_frees_the_place_and_offers_it(
    client: Client, world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    lina = volunteer(world)
    shift = make_shift(community=world.bilin, places=1)
    as_(client, lina).post(sign_up_url(shift))
    waiting = volunteer(world, "omar@example.net")
    SignUp.objects.create(shift=shift, user=waiting, status=SignUpStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        text = client.post(cancel_url(shift), follow=True).content.decode()
    assert "You are no longer on this shift." in text
    mine = SignUp.objects.get(shift=shift, user=lina)
    assert mine.status == SignUpStatus.CANCELLED
    assert not CheckIn.objects.filter(signup=mine).exists()
    offered = SignUp.objects.get(shift=shift, user=waiting)
    assert offered.status == SignUpStatus.OFFERED and offered.offer_expires_at is not None
    assert [m.to for m in mailoutbox] == [["omar@example.net"]]
    body = mailoutbox[0].body
    assert body.startswith("Hello Omar,")
    assert f"/en/field/shifts/{shift.pk}/" in body and "Bil" not in body and "Lina" not in body


def test_after_the_cutoff_she_is_told_to_call_the_coordinator(client: Client, world: World) -> None:
    lina = volunteer(world)
    shift = make_shift(community=world.bilin)
    SignUp.objects.create(shift=shift, user=lina, status=SignUpStatus.CONFIRMED)
    Shift.objects.filter(pk=shift.pk).update(cutoff_at=timezone.now() - dt.timedelta(minutes=5))
    text = as_(client, lina).post(cancel_url(shift), follow=True).content.decode()
    assert "call the field coordinator" in text
    assert SignUp.objects.get(shift=shift, user=lina).status == SignUpStatus.CONFIRMED


def test_signing_up_needs_a_sign_in_and_refuses_other_people(client: Client, world: World) -> None:
    shift = make_shift(community=world.bilin)
    response = client.post(sign_up_url(shift))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_(client, world.applicant).post(sign_up_url(shift)).status_code == 404
    assert client.post(cancel_url(shift)).status_code == 404
    assert client.post("/en/field/shifts/999999/sign-up/").status_code == 404
    assert not SignUp.objects.filter(shift=shift).exists()
