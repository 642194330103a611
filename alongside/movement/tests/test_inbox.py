"""The group's inbox: messages sent through its public contact form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.movement.models import ContactMessage
from alongside.movement.tests.helpers import (
    NORCAL,
    assert_only_core_of_the_group,
    queries_for,
)
from conftest import World

LIST = f"{NORCAL}/inbox/"


def write(
    world: World, name: str, *, minutes_ago: int = 0, handled: bool = False
) -> ContactMessage:
    now = timezone.now()
    return ContactMessage.objects.create(
        group=world.norcal,
        sender_name=name,
        sender_email=f"{name.split()[0].lower()}@example.net",
        body=f"Hello from {name}. I would like to join the spring campaign.",
        received_at=now - timedelta(minutes=minutes_ago),
        handled_at=now if handled else None,
    )


@pytest.fixture
def message(world: World) -> ContactMessage:
    return write(world, "Rana Haddad")


def test_inbox_lists_unhandled_first_then_newest_first(core_client: Client, world: World) -> None:
    write(world, "Old Waiting", minutes_ago=60)
    write(world, "New Handled", minutes_ago=1, handled=True)
    write(world, "New Waiting", minutes_ago=5)
    write(world, "Older Handled", minutes_ago=120, handled=True)
    ContactMessage.objects.create(
        group=world.london, sender_name="London Sender", sender_email="l@example.net", body="x"
    )
    response = core_client.get(LIST)
    names = [m.sender_name for m in response.context["page"]]
    assert names == ["New Waiting", "Old Waiting", "New Handled", "Older Handled"]
    text = response.content.decode()
    assert "London Sender" not in text
    assert "2 messages waiting for a reply" in text


def test_inbox_query_count_does_not_grow_with_messages(
    core_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        write(world, f"Sender {i}", minutes_ago=i)
    few = queries_for(core_client, LIST)
    for i in range(5, 40):
        write(world, f"Sender {i}", minutes_ago=i, handled=i % 2 == 0)
    with django_assert_max_num_queries(few):
        response = core_client.get(LIST)
    assert response.status_code == 200
    assert few <= 16


def test_inbox_is_paginated_and_survives_absurd_page_numbers(
    core_client: Client, world: World
) -> None:
    for i in range(30):
        write(world, f"Sender {i}", minutes_ago=i)
    assert "Page 1 of 2" in core_client.get(LIST).content.decode()
    for page in ("2", "0", "-1", "999999999999999999999", "x"):
        assert core_client.get(f"{LIST}?page={page}").status_code == 200


def test_opening_a_message_shows_it_and_writes_the_audit_log(
    core_client: Client, world: World, message: ContactMessage, audit_entries: Any
) -> None:
    response = core_client.get(f"{NORCAL}/inbox/{message.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Rana Haddad" in text
    assert "rana@example.net" in text
    assert "spring campaign" in text
    entry = audit_entries.about(message).get(action="read")
    assert entry.actor_id == world.core.pk
    assert "Rana" not in str(entry.detail)


def test_listing_the_inbox_does_not_count_as_opening_a_message(
    core_client: Client, message: ContactMessage, audit_entries: Any
) -> None:
    core_client.get(LIST)
    assert not audit_entries.about(message).filter(action="read").exists()


def test_core_member_marks_a_message_handled_and_back(
    core_client: Client, world: World, message: ContactMessage, audit_entries: Any
) -> None:
    url = f"{NORCAL}/inbox/{message.pk}/handled/"
    assert core_client.post(url, {"handled": "1"}).status_code == 302
    message.refresh_from_db()
    assert message.is_handled and message.handled_by == world.core
    assert "Handled" in core_client.get(f"{NORCAL}/inbox/{message.pk}/").content.decode()
    core_client.post(url, {"handled": "0"})
    message.refresh_from_db()
    assert not message.is_handled and message.handled_by is None
    assert audit_entries.about(message).filter(action="update").count() == 2


def test_marking_handled_needs_a_post(core_client: Client, message: ContactMessage) -> None:
    assert core_client.get(f"{NORCAL}/inbox/{message.pk}/handled/").status_code == 405
    message.refresh_from_db()
    assert not message.is_handled


def test_another_groups_message_is_404_and_not_audited(
    core_client: Client, world: World, audit_entries: Any
) -> None:
    london = ContactMessage.objects.create(
        group=world.london, sender_name="L", sender_email="l@example.net", body="x"
    )
    assert core_client.get(f"{NORCAL}/inbox/{london.pk}/").status_code == 404
    assert core_client.post(f"{NORCAL}/inbox/{london.pk}/handled/").status_code == 404
    assert not audit_entries.about(london).exists()
    london.refresh_from_db()
    assert not london.is_handled


def test_inbox_is_only_for_the_groups_core(
    client: Client, world: World, message: ContactMessage, audit_entries: Any
) -> None:
    assert_only_core_of_the_group(client, world, LIST)
    assert_only_core_of_the_group(client, world, f"{NORCAL}/inbox/{message.pk}/")
    assert_only_core_of_the_group(
        client, world, f"{NORCAL}/inbox/{message.pk}/handled/", method="post"
    )
    assert not audit_entries.about(message).exists()
    message.refresh_from_db()
    assert not message.is_handled
