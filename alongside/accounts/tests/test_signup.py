"""Signing up: email and password (a name if wanted), a verification email, then signing in."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from alongside import settings as project_settings
from alongside.accounts.models import User
from alongside.accounts.tests.helpers import link_in_last_email, path_of
from conftest import PASSWORD, World

NEW_PASSWORD = "olive grove at dawn 1987"


def sign_up(client: Client, *, language: str = "en", **data: str) -> Any:
    form = {"email": "nadia@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    form.update(data)
    return client.post(f"/{language}/accounts/signup/", form)


def test_sign_up_asks_only_for_email_password_and_an_optional_name(
    client: Client, world: World
) -> None:
    html = client.get("/en/accounts/signup/").content.decode()
    assert 'name="email"' in html
    assert 'name="name"' in html
    assert 'name="password1"' in html
    assert 'name="username"' not in html
    assert "Name (optional)" in html


def test_a_newcomer_signs_up_verifies_the_email_and_signs_in(client: Client, world: World) -> None:
    response = sign_up(client, name="Nadia Haddad")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    user = User.objects.get(email="nadia@example.org")
    assert user.name == "Nadia Haddad"
    assert user.language == "en"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia@example.org"]
    assert "Hello Nadia," in message.body
    assert "nadia@example.org" not in message.body
    assert "Haddad" not in message.body

    # Before the address is verified, the password alone does not open the account.
    client.post("/en/accounts/logout/")
    response = client.post(
        "/en/accounts/login/", {"login": "nadia@example.org", "password": NEW_PASSWORD}
    )
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert client.get("/en/accounts/home/").status_code == 302

    confirm_path = path_of(link_in_last_email())
    assert confirm_path.startswith("/en/accounts/confirm-email/")
    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified  # type: ignore[attr-defined]

    response = client.post(
        "/en/accounts/login/", {"login": "nadia@example.org", "password": NEW_PASSWORD}
    )
    assert response["Location"] == "/en/accounts/home/"
    assert client.get("/en/accounts/home/").status_code == 200


def test_signing_up_in_arabic_makes_arabic_the_language_of_emails(
    client: Client, world: World
) -> None:
    sign_up(client, language="ar")
    assert User.objects.get(email="nadia@example.org").language == "ar"
    assert mail.outbox[0].subject != "[Alongside] Please Confirm Your Email Address"


def test_sign_up_refuses_a_short_password_beside_the_field_and_keeps_what_was_typed(
    client: Client, world: World
) -> None:
    response = sign_up(client, name="Nadia", password1="short", password2="short")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too short" in html
    assert 'class="field field-error"' in html
    assert 'value="nadia@example.org"' in html
    assert 'value="Nadia"' in html
    assert not User.objects.filter(email="nadia@example.org").exists()


def test_sign_up_with_a_taken_address_does_not_reveal_the_account(
    client: Client, world: World
) -> None:
    fresh = sign_up(client, email="someone-new@example.org")
    client.post("/en/accounts/logout/")
    taken = sign_up(client, email=world.volunteer.email)
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    # The owner of the address is told instead, without their address in the body.
    assert mail.outbox[-1].to == [world.volunteer.email]
    assert world.volunteer.email not in str(mail.outbox[-1].body)
    assert User.objects.filter(email=world.volunteer.email).count() == 1


def test_passwords_are_hashed_with_argon2(client: Client, world: World, settings: Any) -> None:
    assert (
        project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    sign_up(client)
    assert User.objects.get(email="nadia@example.org").password.startswith("argon2")
    # Older hashes are upgraded to Argon2 at the next sign-in.
    client.post("/en/accounts/login/", {"login": world.volunteer.email, "password": PASSWORD})
    world.volunteer.refresh_from_db()
    assert world.volunteer.password.startswith("argon2")
