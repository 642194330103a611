"""Resetting a forgotten password by a link sent by email."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client

from alongside.accounts.tests.helpers import link_in_last_email, path_of
from alongside.lib.models import AuditEntry
from conftest import World, sign_in

NEW_PASSWORD = "olive grove at dawn 1987"


def ask_for_reset(client: Client, email: str) -> str:
    response = client.post("/en/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    return str(response["Location"])


def test_a_person_sets_a_new_password_from_the_emailed_link(client: Client, world: World) -> None:
    assert ask_for_reset(client, world.volunteer.email) == "/en/accounts/password/reset/done/"
    message = mail.outbox[-1]
    assert message.to == [world.volunteer.email]
    assert "Hello Vera," in message.body
    assert world.volunteer.email not in message.body

    response = client.get(path_of(link_in_last_email()))
    assert response.status_code == 302
    form_path = response["Location"]
    assert client.get(form_path).status_code == 200
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    response = client.post(
        "/en/accounts/login/", {"login": world.volunteer.email, "password": NEW_PASSWORD}
    )
    assert response["Location"] == "/en/accounts/home/"
    assert AuditEntry.objects.filter(actor_id=world.volunteer.pk, action="password_reset").exists()


def test_asking_for_a_reset_does_not_reveal_whether_an_account_exists(
    client: Client, world: World
) -> None:
    known = ask_for_reset(client, world.volunteer.email)
    unknown = ask_for_reset(client, "nobody@example.org")
    assert known == unknown
    # The unknown address is told there is no account, without naming the address.
    assert mail.outbox[-1].to == ["nobody@example.org"]
    assert "nobody@example.org" not in str(mail.outbox[-1].body)


def test_a_reset_link_works_once(client: Client, world: World) -> None:
    ask_for_reset(client, world.volunteer.email)
    link = path_of(link_in_last_email())
    form_path = client.get(link)["Location"]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    html = Client().get(link, follow=True).content.decode()
    assert "already been used" in html
    assert 'name="password1"' not in html


def test_a_reset_refuses_mismatched_passwords_beside_the_field(
    client: Client, world: World
) -> None:
    ask_for_reset(client, world.volunteer.email)
    form_path = client.get(path_of(link_in_last_email()))["Location"]
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": "something else"})
    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()


def test_a_password_reset_signs_out_every_session(client: Client, world: World) -> None:
    elsewhere = sign_in(Client(), world.volunteer)
    assert elsewhere.get("/en/accounts/home/").status_code == 200
    ask_for_reset(client, world.volunteer.email)
    form_path = client.get(path_of(link_in_last_email()))["Location"]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert elsewhere.get("/en/accounts/home/").status_code == 302
    assert not UserSession.objects.filter(user=world.volunteer).exists()
