"""The group's members and their roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alongside.movement import actions
from alongside.movement.models import Membership, Role
from alongside.movement.tests.helpers import (
    NORCAL,
    assert_only_core_of_the_group,
    queries_for,
)
from conftest import World, make_user, sign_in

LIST = f"{NORCAL}/members/"
ADD = f"{NORCAL}/members/add/"


def roles_of(world: World, user: Any) -> set[str]:
    return set(
        Membership.objects.filter(group=world.norcal, user=user).values_list("role", flat=True)
    )


def add_members(world: World, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        person = make_user(f"member{i}@example.org", f"Member {i}")
        Membership.objects.create(group=world.norcal, user=person, role=Role.MEMBER)
        if i % 3 == 0:
            Membership.objects.create(group=world.norcal, user=person, role=Role.DOCUMENTER)


def test_core_member_sees_the_groups_members_with_their_roles(
    core_client: Client, world: World
) -> None:
    response = core_client.get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vera Volunteer" in text
    assert "Maya Core" in text
    assert "Core member" in text
    assert "Olle Outsider" not in text  # London's


def test_member_list_query_count_does_not_grow_with_members(
    core_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    add_members(world, 5)
    few = queries_for(core_client, LIST)
    add_members(world, 35, start=5)
    with django_assert_max_num_queries(few):
        response = core_client.get(LIST)
    assert "Member 39" in response.content.decode()
    assert few <= 16


def test_member_list_is_paginated_and_survives_absurd_page_numbers(
    core_client: Client, world: World
) -> None:
    add_members(world, 55)
    first = core_client.get(LIST).content.decode()
    assert "Page 1 of 2" in first
    assert core_client.get(f"{LIST}?page=2").status_code == 200
    assert core_client.get(f"{LIST}?page=99999999999999999999").status_code == 200
    assert core_client.get(f"{LIST}?page=abc").status_code == 200


def test_core_member_adds_a_person_by_account_email(
    core_client: Client, world: World, audit_entries: Any
) -> None:
    response = core_client.post(ADD, {"email": "Applicant@Example.org", "roles": ["member"]})
    assert response.status_code == 302
    assert response["Location"] == f"{NORCAL}/members/{world.applicant.pk}/"
    assert roles_of(world, world.applicant) == {"member"}
    entry = audit_entries.filter(action="grant").latest("sequence")
    assert entry.detail == {"role": "member", "user": world.applicant.pk}


def test_core_member_adds_a_person_with_several_roles_at_once(
    core_client: Client, world: World, audit_entries: Any
) -> None:
    response = core_client.post(
        ADD, {"email": "applicant@example.org", "roles": ["member", "documenter"]}
    )
    assert response.status_code == 302
    assert roles_of(world, world.applicant) == {"member", "documenter"}
    granted = audit_entries.filter(action="grant", detail__user=world.applicant.pk)
    assert sorted(entry.detail["role"] for entry in granted) == ["documenter", "member"]


def test_adding_an_unknown_email_says_so_and_creates_nothing(
    core_client: Client, world: World
) -> None:
    from alongside.accounts.models import User

    people = User.objects.count()
    response = core_client.post(ADD, {"email": "nobody@example.org", "roles": ["member"]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "No account uses this email address" in text
    assert 'value="nobody@example.org"' in text
    assert User.objects.count() == people
    assert Membership.objects.filter(group=world.norcal).count() == 3


def test_adding_needs_a_valid_email_and_a_role(core_client: Client) -> None:
    response = core_client.post(ADD, {"email": "not an email"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "email" in errors and "roles" in errors
    assert "Choose at least one role." in response.content.decode()


def test_core_member_grants_and_revokes_a_role(
    core_client: Client, world: World, audit_entries: Any
) -> None:
    url = f"{NORCAL}/members/{world.volunteer.pk}/"
    assert "Vera Volunteer" in core_client.get(url).content.decode()
    core_client.post(url, {"action": "grant", "role": "documenter"})
    assert roles_of(world, world.volunteer) == {"member", "documenter"}
    core_client.post(url, {"action": "revoke", "role": "documenter"})
    assert roles_of(world, world.volunteer) == {"member"}
    assert audit_entries.filter(action="grant").exists()
    assert audit_entries.filter(action="revoke").exists()


def test_an_unknown_role_is_refused(core_client: Client, world: World) -> None:
    url = f"{NORCAL}/members/{world.volunteer.pk}/"
    response = core_client.post(url, {"action": "grant", "role": "leader"}, follow=True)
    assert "Choose one of the roles shown." in response.content.decode()
    assert roles_of(world, world.volunteer) == {"member"}


def test_a_post_without_a_known_action_changes_no_role(core_client: Client, world: World) -> None:
    Membership.objects.create(group=world.norcal, user=world.volunteer, role=Role.DOCUMENTER)
    url = f"{NORCAL}/members/{world.volunteer.pk}/"
    for data in [{"role": "documenter"}, {"action": "delete", "role": "documenter"}]:
        response = core_client.post(url, data, follow=True)
        assert response.status_code == 200
    assert roles_of(world, world.volunteer) == {"member", "documenter"}


def test_the_last_core_member_cannot_be_removed(client: Client, world: World) -> None:
    # Another core member grants and takes away: the rule holds whoever asks.
    Membership.objects.create(group=world.norcal, user=world.volunteer, role=Role.CORE)
    sign_in(client, world.volunteer)
    url = f"{NORCAL}/members/{world.core.pk}/"
    client.post(url, {"action": "revoke", "role": "core"})
    assert "core" not in roles_of(world, world.core)
    response = client.post(
        f"{NORCAL}/members/{world.volunteer.pk}/",
        {"action": "revoke", "role": "core", "confirm": "1"},
        follow=True,
    )
    assert "A group always needs at least one core member" in response.content.decode()
    assert "core" in roles_of(world, world.volunteer)


def test_giving_up_ones_own_core_role_asks_for_confirmation_first(
    core_client: Client, world: World
) -> None:
    Membership.objects.create(group=world.norcal, user=world.volunteer, role=Role.CORE)
    url = f"{NORCAL}/members/{world.core.pk}/"
    response = core_client.post(url, {"action": "revoke", "role": "core"})
    assert response.status_code == 200
    assert "Give up your core role?" in response.content.decode()
    assert "core" in roles_of(world, world.core)
    response = core_client.post(url, {"action": "revoke", "role": "core", "confirm": "1"})
    assert response.status_code == 302
    assert "core" not in roles_of(world, world.core)
    assert core_client.get(LIST).status_code == 404  # these screens are closed to her now


def test_a_person_outside_the_group_has_no_member_page(core_client: Client, world: World) -> None:
    url = f"{NORCAL}/members/{world.outsider.pk}/"
    assert core_client.get(url).status_code == 404
    assert core_client.post(url, {"action": "grant", "role": "core"}).status_code == 404
    assert not roles_of(world, world.outsider)


def test_members_are_only_for_the_groups_core(client: Client, world: World) -> None:
    assert_only_core_of_the_group(client, world, LIST)
    assert_only_core_of_the_group(client, world, ADD)
    assert_only_core_of_the_group(
        client, world, ADD, method="post", data={"email": "applicant@example.org", "roles": "core"}
    )
    member_url = f"{NORCAL}/members/{world.volunteer.pk}/"
    assert_only_core_of_the_group(client, world, member_url)
    assert_only_core_of_the_group(
        client, world, member_url, method="post", data={"action": "grant", "role": "core"}
    )
    assert roles_of(world, world.applicant) == set()
    assert roles_of(world, world.volunteer) == {"member"}


# --- the core role: decided by the group, by consensus ---------------------------------------

CORE_REFUSED = "Joining the core group is decided by the group, by consensus"
PROPOSE_CORE = "/en/decisions/northern-california/new/?kind=core_membership"


def test_adding_a_person_offers_no_core_role_but_a_way_to_propose_it(
    core_client: Client,
) -> None:
    response = core_client.get(ADD)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="member"' in text and 'value="documenter"' in text
    assert 'value="core"' not in text
    assert CORE_REFUSED in text
    assert f'href="{PROPOSE_CORE}"' in text
    assert core_client.get(PROPOSE_CORE).status_code == 200


def test_a_crafted_request_adding_a_core_member_is_refused_and_changes_nothing(
    core_client: Client, world: World, audit_entries: Any
) -> None:
    grants = audit_entries.filter(action="grant").count()
    for roles in (["core"], ["member", "core"]):
        response = core_client.post(ADD, {"email": "applicant@example.org", "roles": roles})
        assert response.status_code == 200
        text = response.content.decode()
        assert CORE_REFUSED in text
        assert 'value="applicant@example.org"' in text
    assert roles_of(world, world.applicant) == set()
    assert audit_entries.filter(action="grant").count() == grants


def test_the_member_page_has_no_grant_core_button_but_a_way_to_propose_it(
    core_client: Client, world: World
) -> None:
    text = core_client.get(f"{NORCAL}/members/{world.volunteer.pk}/").content.decode()
    assert "Grant the role “Documenter”" in text
    assert "Grant the role “Core member”" not in text
    assert 'name="action" value="grant"' in text
    assert text.count('name="role" value="core"') == 0
    assert CORE_REFUSED in text
    assert f'href="{PROPOSE_CORE}&amp;candidate={world.volunteer.pk}"' in text


def test_a_core_member_can_still_step_down_from_the_member_page(
    core_client: Client, world: World
) -> None:
    Membership.objects.create(group=world.norcal, user=world.volunteer, role=Role.CORE)
    text = core_client.get(f"{NORCAL}/members/{world.volunteer.pk}/").content.decode()
    assert "Remove the role “Core member”" in text
    assert f'href="{PROPOSE_CORE}"' not in text  # she is core already


def test_a_crafted_request_granting_the_core_role_is_refused_with_a_message(
    core_client: Client, world: World, audit_entries: Any
) -> None:
    url = f"{NORCAL}/members/{world.volunteer.pk}/"
    grants = audit_entries.filter(action="grant").count()
    response = core_client.post(url, {"action": "grant", "role": "core"})
    assert response.status_code == 302
    assert response["Location"] == url
    text = core_client.get(url).content.decode()
    assert CORE_REFUSED in text
    assert "Propose it in the group&#x27;s decisions." in text
    assert roles_of(world, world.volunteer) == {"member"}
    assert audit_entries.filter(action="grant").count() == grants


def test_granting_the_core_role_needs_the_groups_consensus(world: World) -> None:
    with pytest.raises(ValueError):
        actions.grant_role(actor=world.core, group=world.norcal, user=world.volunteer, role="core")
    with pytest.raises(ValueError):
        actions.add_member(
            actor=world.core, group=world.norcal, user=world.applicant, roles=["member", "core"]
        )
    assert roles_of(world, world.volunteer) == {"member"}
    assert roles_of(world, world.applicant) == set()
    assert actions.grant_role(
        actor=world.core, group=world.norcal, user=world.volunteer, role="core", by_consensus=True
    )
    assert roles_of(world, world.volunteer) == {"member", "core"}
