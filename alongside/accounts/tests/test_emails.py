"""What allauth's emails say: a first name and a link, nothing more, in the person's language."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from conftest import PASSWORD, World, sign_in

NEW_PASSWORD = "olive grove at dawn 1987"


def test_a_password_change_notice_has_a_first_name_and_a_link_only(
    client: Client, world: World
) -> None:
    sign_in(client, world.volunteer)
    client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    message = mail.outbox[-1]
    assert message.to == [world.volunteer.email]
    body = str(message.body)
    assert body.startswith("Hello Vera,")
    assert "Volunteer" not in body
    assert world.volunteer.email not in body
    assert "127.0.0.1" not in body
    assert re.findall(r"https?://\S+", body) == ["http://testserver/en/accounts/password/reset/"]


def test_emails_go_out_in_the_language_the_person_chose(client: Client, world: World) -> None:
    world.volunteer.language = "ar"
    world.volunteer.save()
    client.post("/en/accounts/password/reset/", {"email": world.volunteer.email})
    subject = mail.outbox[-1].subject
    assert subject.startswith("[Alongside] ")
    assert "Password Reset" not in subject
