"""Shared checks for the group management screens: each is only for the group's core."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import World, sign_in

NORCAL = "/en/manage/northern-california"


def assert_only_core_of_the_group(
    client: Client, world: World, url: str, *, method: str = "get", data: Any = None
) -> None:
    """Anonymous visitors are sent to sign in; a member who is not core, and a core member of
    another group, get 404 as if the address did not exist."""
    send = getattr(client, method)
    response = send(url, data or {})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")

    for persona in ("volunteer", "outsider", "documenter", "applicant"):
        sign_in(client, world.persona(persona))
        assert send(url, data or {}).status_code == 404, persona
        client.logout()


def preview_of(response: Any) -> str:
    """The HTML of the Markdown preview section of a management page."""
    text: str = response.content.decode()
    assert 'id="preview-title"' in text, "the page shows no preview"
    return text.split('id="preview-title"', 1)[1].split("</section>", 1)[0]


def queries_for(client: Client, url: str) -> int:
    """How many queries a (warm) GET of `url` takes: session bookkeeping of a first request
    is done beforehand so that it does not count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)
