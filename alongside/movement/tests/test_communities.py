"""The group's partner communities and who speaks for them (the `partner` role)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alongside.movement.models import PartnerCommunity, PartnerContact
from alongside.movement.tests.helpers import NORCAL, assert_only_core_of_the_group, queries_for
from conftest import World

LIST = f"{NORCAL}/communities/"
NEW = f"{NORCAL}/communities/new/"


def community_data(**changes: str) -> dict[str, str]:
    data = {
        "name_en": "Kafr Qaddum popular committee",
        "locality_en": "Kafr Qaddum",
        "name_ar": "اللجنة الشعبية في كفر قدوم",
        "locality_ar": "كفر قدوم",
        "slug": "kafr-qaddum",
        "is_active": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def nabi_saleh(world: World) -> PartnerCommunity:
    return PartnerCommunity.objects.create(
        group=world.norcal, slug="nabi-saleh", name_en="Nabi Saleh committee"
    )


def test_core_member_sees_the_groups_communities_only(
    core_client: Client, nabi_saleh: PartnerCommunity
) -> None:
    text = core_client.get(LIST).content.decode()
    assert "Nabi Saleh committee" in text
    assert "Bil&#x27;in popular committee" not in text  # the field team's


def test_core_member_adds_a_community(
    core_client: Client, world: World, audit_entries: Any
) -> None:
    response = core_client.post(NEW, community_data())
    assert response.status_code == 302
    community = PartnerCommunity.objects.get(group=world.norcal, slug="kafr-qaddum")
    assert community.locality_ar == "كفر قدوم"
    assert audit_entries.about(community).filter(action="create").exists()


def test_core_member_edits_a_community(core_client: Client, nabi_saleh: PartnerCommunity) -> None:
    url = f"{NORCAL}/communities/{nabi_saleh.pk}/edit/"
    assert "Nabi Saleh committee" in core_client.get(url).content.decode()
    core_client.post(url, community_data(slug="nabi-saleh", is_active=""))
    nabi_saleh.refresh_from_db()
    assert nabi_saleh.name_en == "Kafr Qaddum popular committee"
    assert not nabi_saleh.is_active


def test_a_taken_address_is_refused_keeping_what_was_typed(
    core_client: Client, nabi_saleh: PartnerCommunity
) -> None:
    response = core_client.post(NEW, community_data(slug="nabi-saleh"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "already uses this address" in text
    assert 'value="Kafr Qaddum popular committee"' in text
    assert PartnerCommunity.objects.filter(slug="nabi-saleh").count() == 1


def test_a_community_needs_an_english_name(core_client: Client) -> None:
    response = core_client.post(NEW, community_data(name_en=""))
    assert response.status_code == 200
    assert "name_en" in response.context["form"].errors


def test_core_member_adds_and_removes_a_contact_by_account_email(
    core_client: Client, world: World, nabi_saleh: PartnerCommunity, audit_entries: Any
) -> None:
    url = f"{NORCAL}/communities/{nabi_saleh.pk}/contacts/"
    response = core_client.post(url, {"action": "add", "email": "partner@example.org"})
    assert response.status_code == 302
    contact = PartnerContact.objects.get(community=nabi_saleh)
    assert contact.user == world.partner
    assert "Samir Partner" in core_client.get(url).content.decode()
    core_client.post(url, {"action": "remove", "contact": str(contact.pk)})
    assert not PartnerContact.objects.filter(community=nabi_saleh).exists()
    assert audit_entries.filter(action="grant", target_type="movement.partnercontact").exists()
    assert audit_entries.filter(action="revoke", target_type="movement.partnercontact").exists()


def test_adding_a_contact_without_an_account_says_so_and_keeps_the_address(
    core_client: Client, nabi_saleh: PartnerCommunity
) -> None:
    url = f"{NORCAL}/communities/{nabi_saleh.pk}/contacts/"
    response = core_client.post(url, {"action": "add", "email": "mukhtar@example.org"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "No account uses this email address" in text
    assert 'value="mukhtar@example.org"' in text
    assert not nabi_saleh.contacts.exists()


def test_another_communitys_contact_cannot_be_removed_from_here(
    core_client: Client, world: World, nabi_saleh: PartnerCommunity
) -> None:
    bilin_contact = PartnerContact.objects.get(community=world.bilin)
    url = f"{NORCAL}/communities/{nabi_saleh.pk}/contacts/"
    core_client.post(url, {"action": "remove", "contact": str(bilin_contact.pk)})
    core_client.post(url, {"action": "remove", "contact": "not-a-number"})
    assert PartnerContact.objects.filter(pk=bilin_contact.pk).exists()


def test_another_groups_community_is_404(core_client: Client, world: World) -> None:
    for suffix in ("edit/", "contacts/"):
        url = f"{NORCAL}/communities/{world.bilin.pk}/{suffix}"
        assert core_client.get(url).status_code == 404
    response = core_client.post(
        f"{NORCAL}/communities/{world.bilin.pk}/contacts/",
        {"action": "add", "email": "applicant@example.org"},
    )
    assert response.status_code == 404
    assert world.bilin.contacts.count() == 1


def test_communities_are_only_for_the_groups_core(
    client: Client, world: World, nabi_saleh: PartnerCommunity
) -> None:
    contacts = f"{NORCAL}/communities/{nabi_saleh.pk}/contacts/"
    for url in (LIST, NEW, f"{NORCAL}/communities/{nabi_saleh.pk}/edit/", contacts):
        assert_only_core_of_the_group(client, world, url)
    assert_only_core_of_the_group(client, world, NEW, method="post", data=community_data())
    assert_only_core_of_the_group(
        client,
        world,
        contacts,
        method="post",
        data={"action": "add", "email": "partner@example.org"},
    )
    assert not nabi_saleh.contacts.exists()
    assert not PartnerCommunity.objects.filter(slug="kafr-qaddum").exists()


def test_the_save_action_refuses_a_community_of_another_group(world: World) -> None:
    from alongside.movement import actions

    with pytest.raises(ValueError, match="another group"):
        actions.save_partner_community(
            actor=world.core, group=world.norcal, community=world.bilin, values={"name_en": "X"}
        )
    world.bilin.refresh_from_db()
    assert world.bilin.name_en != "X"


def test_community_list_query_count_does_not_grow_with_communities_or_contacts(
    core_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    from conftest import make_user

    def add_communities(start: int, stop: int) -> None:
        for i in range(start, stop):
            community = PartnerCommunity.objects.create(
                group=world.norcal, slug=f"community-{i}", name_en=f"Community {i}"
            )
            contact = make_user(f"contact{i}@example.org", f"Contact {i}")
            PartnerContact.objects.create(community=community, user=contact)

    add_communities(0, 3)
    few = queries_for(core_client, LIST)
    add_communities(3, 20)
    with django_assert_max_num_queries(few):
        response = core_client.get(LIST)
    text = response.content.decode()
    assert "Community 19" in text
    assert "1 contact" in text
