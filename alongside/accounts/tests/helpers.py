"""Small steps that several account tests share."""

from __future__ import annotations

import re
import time

from django.core import mail
from django.test import Client

from conftest import PASSWORD


def reauthenticated(client: Client) -> Client:
    """As if the person had just typed their password again (allauth asks for it before
    second-factor changes)."""
    session = client.session
    records = session.get("account_authentication_methods", [])
    records.append({"method": "password", "at": time.time(), "reauthenticated": True})
    session["account_authentication_methods"] = records
    session.save()
    return client


def sign_in_with_password(
    client: Client, email: str, *, language: str = "en", next_url: str = ""
) -> str:
    """The first step of signing in through the page; returns where it sends the person."""
    form = {"login": email, "password": PASSWORD}
    if next_url:
        form["next"] = next_url
    response = client.post(f"/{language}/accounts/login/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def link_in_last_email() -> str:
    body = str(mail.outbox[-1].body)
    match = re.search(r"https?://\S+", body)
    assert match, body
    return match.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
