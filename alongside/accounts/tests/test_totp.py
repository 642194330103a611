"""The authenticator app (TOTP) and recovery codes: set up, sign in, limits, encryption."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.db import connection
from django.test import Client

from alongside.accounts.tests.helpers import reauthenticated, sign_in_with_password
from alongside.lib.models import AuditEntry
from conftest import TOTP_SECRET, World, sign_in, totp_code


def raw_authenticator_data(user_id: int, kind: str) -> str:
    """The column as it sits in the database file, past every Python-side decoding."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data FROM mfa_authenticator WHERE user_id = %s AND type = %s", [user_id, kind]
        )
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_a_person_activates_an_authenticator_app_through_the_page(world: World) -> None:
    # Transactional: allauth announces the new authenticator when the database commits.
    client = reauthenticated(sign_in(Client(), world.applicant, second_factor=False))
    assert client.get("/en/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=world.applicant, type="totp").exists()
    assert Authenticator.objects.filter(user=world.applicant, type="recovery_codes").exists()
    assert secret not in raw_authenticator_data(world.applicant.pk, "totp")
    assert AuditEntry.objects.filter(
        actor_id=world.applicant.pk, action="second_factor_added", detail__type="totp"
    ).exists()
    # Typing the code proved the phone is at hand: that counts as a second factor used.
    assert client.get("/en/accounts/home/").content.decode().count("Used to sign in this time")


def test_a_wrong_code_does_not_activate_the_app_and_says_so(client: Client, world: World) -> None:
    reauthenticated(sign_in(client, world.applicant, second_factor=False))
    client.get("/en/accounts/2fa/totp/activate/")
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert 'value="000000"' in response.content.decode()
    assert not Authenticator.objects.filter(user=world.applicant).exists()


def test_the_totp_secret_is_encrypted_at_rest_and_codes_still_work(
    client: Client, world: World
) -> None:
    raw = raw_authenticator_data(world.core.pk, "totp")
    assert TOTP_SECRET not in raw
    assert TOTP_SECRET.lower() not in raw.lower()
    assert sign_in_with_password(client, world.core.email) == "/en/accounts/2fa/authenticate/"
    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/en/accounts/home/"


def test_the_recovery_code_seed_is_encrypted_at_rest(world: World) -> None:
    seed = RecoveryCodes.activate(world.core).instance.wrap().get_unused_codes()
    raw = raw_authenticator_data(world.core.pk, "recovery_codes")
    assert "seed" in raw
    assert not any(code in raw for code in seed)


def test_a_core_member_signs_in_with_password_then_code(client: Client, world: World) -> None:
    assert sign_in_with_password(client, world.core.email) == "/en/accounts/2fa/authenticate/"
    # Between the two steps the person is not signed in.
    assert client.get("/en/accounts/home/").status_code == 302
    assert sign_in_with_password(client, world.core.email) == "/en/accounts/2fa/authenticate/"
    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert client.get("/en/manage/northern-california/").status_code == 200


def test_a_wrong_code_keeps_the_person_out_with_a_clear_message(
    client: Client, world: World
) -> None:
    sign_in_with_password(client, world.core.email)
    response = client.post("/en/accounts/2fa/authenticate/", {"code": "123456"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert client.get("/en/accounts/home/").status_code == 302


def test_second_factor_attempts_are_limited(client: Client, world: World) -> None:
    sign_in_with_password(client, world.core.email)
    for _ in range(5):
        client.post("/en/accounts/2fa/authenticate/", {"code": "123456"})
    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/en/accounts/home/").status_code == 302


def test_a_recovery_code_works_once(client: Client, world: World) -> None:
    code = RecoveryCodes.activate(world.core).get_unused_codes()[0]
    sign_in_with_password(client, world.core.email)
    response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert response["Location"] == "/en/accounts/home/"
    assert client.get("/en/manage/northern-california/").status_code == 200

    client.post("/en/accounts/logout/")
    sign_in_with_password(client, world.core.email)
    response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()


def test_code_fields_bring_up_the_number_pad_on_phones(client: Client, world: World) -> None:
    sign_in_with_password(client, world.core.email)
    html = client.get("/en/accounts/2fa/authenticate/").content.decode()
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html
