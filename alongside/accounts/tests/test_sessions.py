"""Sessions: privileged ones end after 30 idle minutes; a password or second-factor change ends
the person's other sessions and keeps the one that made it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from django.test import Client
from django.utils import timezone

from alongside.accounts.tests.helpers import reauthenticated
from alongside.lib.models import AuditEntry
from conftest import PASSWORD, World, sign_in

NEW_PASSWORD = "olive grove at dawn 1987"


@contextlib.contextmanager
def clock_moved(minutes: int) -> Iterator[None]:
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + timedelta(minutes=minutes)):
        yield


def test_a_core_members_session_ends_after_31_idle_minutes(client: Client, world: World) -> None:
    sign_in(client, world.core)
    assert client.get("/en/accounts/home/").status_code == 200
    assert client.session.get_expiry_age() == 30 * 60
    with clock_moved(31):
        response = client.get("/en/accounts/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_each_request_of_a_core_member_slides_the_idle_window(client: Client, world: World) -> None:
    sign_in(client, world.core)
    client.get("/en/accounts/home/")
    with clock_moved(20):
        assert client.get("/en/accounts/home/").status_code == 200
    with clock_moved(40):
        assert client.get("/en/accounts/home/").status_code == 200
    with clock_moved(71):
        assert client.get("/en/accounts/home/").status_code == 302


def test_the_idle_guard_holds_even_if_the_session_store_kept_the_session(
    client: Client, world: World, settings: object
) -> None:
    sign_in(client, world.core)
    client.get("/en/accounts/home/")
    session = client.session
    session.set_expiry(14 * 24 * 3600)  # as if the store had kept the default two weeks
    session.save()
    with clock_moved(31):
        response = client.get("/en/accounts/home/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/en/accounts/login/")
    assert "without activity" in response.content.decode()


def test_a_volunteers_session_outlives_half_an_hour_idle(client: Client, world: World) -> None:
    sign_in(client, world.volunteer)
    client.get("/en/accounts/home/")
    assert client.session.get_expiry_age() > 24 * 3600
    with clock_moved(8 * 60):
        assert client.get("/en/accounts/home/").status_code == 200


def test_changing_the_password_signs_out_other_sessions_and_keeps_this_one(
    world: World,
) -> None:
    here = sign_in(Client(), world.core)
    elsewhere = sign_in(Client(), world.core)
    assert here.get("/en/accounts/home/").status_code == 200
    assert elsewhere.get("/en/accounts/home/").status_code == 200
    assert UserSession.objects.filter(user=world.core).count() == 2

    response = here.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    assert here.get("/en/accounts/home/").status_code == 200
    assert here.get("/en/manage/northern-california/").status_code == 200
    assert elsewhere.get("/en/accounts/home/").status_code == 302
    assert UserSession.objects.filter(user=world.core).count() == 1
    assert AuditEntry.objects.filter(actor_id=world.core.pk, action="password_changed").exists()


def test_a_wrong_current_password_changes_nothing_and_keeps_what_was_typed(
    client: Client, world: World
) -> None:
    sign_in(client, world.volunteer)
    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    world.volunteer.refresh_from_db()
    assert world.volunteer.check_password(PASSWORD)


def test_removing_the_authenticator_app_signs_out_other_sessions(world: World) -> None:
    here = reauthenticated(sign_in(Client(), world.core))
    elsewhere = sign_in(Client(), world.core)
    assert elsewhere.get("/en/accounts/home/").status_code == 200

    response = here.post("/en/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=world.core, type="totp").exists()

    assert here.get("/en/accounts/home/").status_code == 200
    assert elsewhere.get("/en/accounts/home/").status_code == 302
    assert AuditEntry.objects.filter(
        actor_id=world.core.pk, action="second_factor_removed", detail__type="totp"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_adding_an_authenticator_app_signs_out_other_sessions(world: World) -> None:
    here = reauthenticated(sign_in(Client(), world.applicant, second_factor=False))
    elsewhere = sign_in(Client(), world.applicant, second_factor=False)
    assert elsewhere.get("/en/accounts/home/").status_code == 200

    here.get("/en/accounts/2fa/totp/activate/")
    code = pyotp.TOTP(here.session["mfa.totp.secret"]).now()
    assert here.post("/en/accounts/2fa/totp/activate/", {"code": code}).status_code == 302

    assert here.get("/en/accounts/home/").status_code == 200
    assert elsewhere.get("/en/accounts/home/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_new_recovery_codes_sign_out_other_sessions(world: World) -> None:
    RecoveryCodes.activate(world.core)
    here = reauthenticated(sign_in(Client(), world.core))
    elsewhere = sign_in(Client(), world.core)
    assert elsewhere.get("/en/accounts/home/").status_code == 200

    response = here.post("/en/accounts/2fa/recovery-codes/generate/")
    assert response.status_code == 302

    assert here.get("/en/accounts/home/").status_code == 200
    assert elsewhere.get("/en/accounts/home/").status_code == 302
    assert AuditEntry.objects.filter(actor_id=world.core.pk, action="second_factor_reset").exists()


def test_ending_other_sessions_from_the_sessions_page(world: World) -> None:
    here = sign_in(Client(), world.volunteer)
    elsewhere = sign_in(Client(), world.volunteer)
    here.get("/en/accounts/home/")
    elsewhere.get("/en/accounts/home/")
    assert here.post("/en/accounts/sessions/").status_code == 302
    assert here.get("/en/accounts/home/").status_code == 200
    assert elsewhere.get("/en/accounts/home/").status_code == 302
