"""The dashboard: where a core member starts running their group."""

from __future__ import annotations

from django.test import Client

from alongside.movement.models import ContactMessage, Page
from alongside.movement.tests.helpers import NORCAL, assert_only_core_of_the_group
from conftest import World, sign_in


def test_core_member_sees_what_waits_for_the_group(core_client: Client, world: World) -> None:
    ContactMessage.objects.create(
        group=world.norcal, sender_name="Rana", sender_email="rana@example.net", body="Hello"
    )
    Page.objects.create(group=world.norcal, slug="training", title_en="Training")
    response = core_client.get(f"{NORCAL}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 message waiting for a reply" in text
    assert "2 people" in text  # the core member and the volunteer
    assert "1 page" in text
    for section in ("profile", "pages", "faq", "principles", "members", "communities", "inbox"):
        assert f'href="{NORCAL}/{section}/"' in text


def test_dashboard_is_only_for_the_groups_core(client: Client, world: World) -> None:
    assert_only_core_of_the_group(client, world, f"{NORCAL}/")


def test_core_member_without_second_factor_in_session_is_asked_for_it(
    client: Client, world: World
) -> None:
    sign_in(client, world.core, second_factor=False)
    response = client.get(f"{NORCAL}/")
    assert response.status_code == 302
    assert "/reauthenticate/" in response["Location"]


def test_dashboard_of_a_group_that_does_not_exist_is_404(core_client: Client) -> None:
    assert core_client.get("/en/manage/atlantis/").status_code == 404


def test_dashboard_works_in_arabic(core_client: Client) -> None:
    response = core_client.get("/ar/manage/northern-california/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
