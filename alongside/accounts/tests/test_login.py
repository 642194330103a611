"""Signing in and out, and throttling guesses without revealing who has an account."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.test import Client
from django.utils import translation

from alongside.movement.models import Membership, Role
from conftest import PASSWORD, World, sign_in


def form_errors(html: str) -> str:
    match = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html, re.S)
    assert match, html
    return match.group(1)


def try_password(client: Client, email: str, password: str, language: str = "en") -> Any:
    return client.post(f"/{language}/accounts/login/", {"login": email, "password": password})


def test_a_volunteer_signs_in_with_email_and_password(client: Client, world: World) -> None:
    response = try_password(client, world.volunteer.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/home/"
    assert client.get("/en/accounts/home/").status_code == 200


def test_the_email_address_is_matched_without_regard_to_case(client: Client, world: World) -> None:
    response = try_password(client, "Volunteer@Example.org", PASSWORD)
    assert response["Location"] == "/en/accounts/home/"


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(
    client: Client, world: World
) -> None:
    wrong = try_password(client, world.volunteer.email, "not the password")
    unknown = try_password(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert form_errors(wrong.content.decode()) == form_errors(unknown.content.decode())
    assert "not correct" in form_errors(wrong.content.decode())
    # What was typed stays; the password does not.
    assert f'value="{world.volunteer.email}"' in wrong.content.decode()
    assert 'value="not the password"' not in wrong.content.decode()


def test_after_five_failures_sign_in_is_refused_alike_for_known_and_unknown_addresses(
    client: Client, world: World
) -> None:
    answers = {}
    for email in (world.volunteer.email, "nobody@example.org"):
        for _ in range(5):
            try_password(client, email, "guess")
        answers[email] = try_password(client, email, "guess").content.decode()
    known, unknown = answers.values()
    assert "Too many failed login attempts" in form_errors(known)
    assert form_errors(known) == form_errors(unknown)
    # Even the right password waits until the limit has passed.
    refused = try_password(client, world.volunteer.email, PASSWORD)
    assert refused.status_code == 200
    assert client.get("/en/accounts/home/").status_code == 302


def test_the_throttle_message_is_in_the_visitors_language(client: Client, world: World) -> None:
    for _ in range(6):
        response = try_password(client, world.volunteer.email, "guess", language="ar")
    with translation.override("ar"):
        expected = str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])
    assert expected != "Too many failed login attempts. Try again later."
    assert expected in form_errors(response.content.decode())


def test_too_many_sign_in_requests_get_a_429_page_in_the_site_layout(
    client: Client, world: World, settings: Any
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        try_password(client, "nobody@example.org", "guess", language="ar")
    response = try_password(client, "nobody@example.org", "guess", language="ar")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="site-header"' in html
    assert "/ar/accounts/password/reset/" in html


def test_signing_out_by_get_does_nothing(client: Client, world: World) -> None:
    sign_in(client, world.volunteer)
    response = client.get("/en/accounts/logout/")
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert client.get("/en/accounts/home/").status_code == 200


def test_signing_out_by_post_ends_the_session(client: Client, world: World) -> None:
    sign_in(client, world.volunteer)
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/en/accounts/home/").status_code == 302


def test_the_sign_out_button_on_every_page_is_a_post_form(client: Client, world: World) -> None:
    sign_in(client, world.volunteer)
    html = client.get("/en/accounts/home/").content.decode()
    assert re.search(r'<form action="/en/accounts/logout/" method="post"', html)


def test_a_core_member_without_a_second_factor_lands_on_the_page_to_set_one_up(
    client: Client, world: World
) -> None:
    Membership.objects.create(group=world.norcal, user=world.volunteer, role=Role.CORE)
    response = try_password(client, world.volunteer.email, PASSWORD)
    assert response["Location"] == "/en/accounts/2fa/"
    html = client.get("/en/accounts/2fa/").content.decode()
    assert "second-factor-needed" in html
    assert "/en/accounts/2fa/totp/activate/" in html
    assert "/en/accounts/2fa/webauthn/add/" in html


def test_a_volunteer_is_never_asked_to_set_up_a_second_factor(client: Client, world: World) -> None:
    response = try_password(client, world.volunteer.email, PASSWORD)
    assert response["Location"] == "/en/accounts/home/"
    assert "second-factor-needed" not in client.get("/en/accounts/2fa/").content.decode()
