"""Choosing the group's safe-space contacts: /<lang>/manage/<group>/pipeline/safe-space/contacts/
(who receives and reads the group's concerns)."""

from __future__ import annotations

import pytest
from django.test import Client

from alongside.accounts.models import User
from alongside.lib.models import AuditEntry
from alongside.volunteers.models import SafeSpaceContact
from alongside.volunteers.tests.test_safespace_raise import make_core
from conftest import World, sign_in

URL = "/en/manage/northern-california/pipeline/safe-space/contacts/"


@pytest.fixture
def kim(world: World) -> User:
    return make_core(world, "kim@example.org", "Kim Core")


def test_while_nobody_is_designated_a_core_member_designates_a_contact(
    world: World, kim: User
) -> None:
    client = sign_in(Client(), world.core)
    page = client.get(URL).content.decode()
    assert "every core member of the group receives" in page

    response = client.post(URL, {"do": "add", "user": kim.pk})

    assert response.status_code == 302
    assert list(SafeSpaceContact.objects.values_list("user", flat=True)) == [kim.pk]
    entry = AuditEntry.objects.get(action="create", target_type="volunteers.safespacecontact")
    assert entry.actor_id == world.core.pk


def test_the_page_works_in_arabic(world: World, kim: User) -> None:
    client = sign_in(Client(), world.core)
    assert client.get(URL.replace("/en/", "/ar/")).status_code == 200
    response = client.post(URL.replace("/en/", "/ar/"), {"do": "add", "user": kim.pk})
    assert response.status_code == 302


def test_once_designated_only_the_contacts_may_change_the_list(world: World, kim: User) -> None:
    SafeSpaceContact.objects.create(group=world.norcal, user=kim)
    others = sign_in(Client(), world.core)

    page = others.get(URL)
    assert page.status_code == 200 and "Kim Core" in page.content.decode()
    assert "Only the designated contacts can change this list." in page.content.decode()
    assert others.post(URL, {"do": "add", "user": world.core.pk}).status_code == 404
    assert others.post(URL, {"do": "remove", "user": kim.pk}).status_code == 404
    assert list(SafeSpaceContact.objects.values_list("user", flat=True)) == [kim.pk]

    contact = sign_in(Client(), kim)
    assert contact.post(URL, {"do": "add", "user": world.core.pk}).status_code == 302
    assert contact.post(URL, {"do": "remove", "user": kim.pk}).status_code == 302
    assert list(SafeSpaceContact.objects.values_list("user", flat=True)) == [world.core.pk]
    assert AuditEntry.objects.filter(
        action="delete", target_type="volunteers.safespacecontact"
    ).exists()


def test_only_a_core_member_of_the_group_can_be_designated(world: World) -> None:
    client = sign_in(Client(), world.core)
    for person in (world.volunteer, world.outsider):
        response = client.post(URL, {"do": "add", "user": person.pk})
        assert response.status_code == 200
        assert "Choose a core member of the group who is not designated yet." in (
            response.content.decode()
        )
    assert not SafeSpaceContact.objects.exists()


def test_nobody_chosen_is_refused_with_a_clear_message(world: World) -> None:
    response = sign_in(Client(), world.core).post(URL, {"do": "add", "user": ""})
    assert "Choose a core member of the group." in response.content.decode()


def test_removing_someone_who_is_not_a_contact_is_not_found(world: World, kim: User) -> None:
    client = sign_in(Client(), world.core)
    assert client.post(URL, {"do": "remove", "user": kim.pk}).status_code == 404
    assert client.post(URL, {"do": "remove", "user": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "applicant"])
def test_anyone_outside_the_groups_core_gets_404(world: World, kim: User, persona: str) -> None:
    client = sign_in(Client(), world.persona(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"do": "add", "user": kim.pk}).status_code == 404
    assert not SafeSpaceContact.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_board_links_to_the_contacts_and_only_readers_see_the_way_to_the_concerns(
    client: Client, world: World
) -> None:
    sign_in(client, world.core)
    board = client.get("/en/manage/northern-california/pipeline/").content.decode()
    assert 'href="/en/manage/northern-california/pipeline/safe-space/contacts/"' in board
    other = make_core(world, "oona@example.org", "Oona Other")
    SafeSpaceContact.objects.create(group=world.norcal, user=other)
    page = client.get("/en/manage/northern-california/pipeline/safe-space/contacts/")
    assert 'href="/en/manage/northern-california/pipeline/safe-space/"' not in page.content.decode()


@pytest.mark.parametrize("value", ["²", "1" * 25, "-1"])
def test_a_malformed_person_to_remove_is_not_found_and_changes_nothing(
    world: World, kim: User, value: str
) -> None:
    SafeSpaceContact.objects.create(group=world.norcal, user=kim)
    client = sign_in(Client(), kim)
    assert client.post(URL, {"do": "remove", "user": value}).status_code == 404
    added = client.post(URL, {"do": "add", "user": value})
    assert added.status_code == 200 and "errorlist" in added.content.decode()
    assert list(SafeSpaceContact.objects.values_list("user", flat=True)) == [kim.pk]
