"""The group's public pages, written in English and Arabic side by side."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alongside.movement.models import Page
from alongside.movement.tests.helpers import (
    NORCAL,
    assert_only_core_of_the_group,
    preview_of,
    queries_for,
)
from conftest import World

LIST = f"{NORCAL}/pages/"
NEW = f"{NORCAL}/pages/new/"


def page_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title_en": "Training weekend",
        "body_en": "Two days of **nonviolence training**.",
        "title_ar": "عطلة التدريب",
        "body_ar": "يومان من التدريب.",
        "slug": "training",
        "position": "1",
        "is_published": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def about(world: World) -> Page:
    return Page.objects.create(group=world.norcal, slug="about", title_en="About us", body_en="Hi")


def test_core_member_lists_the_groups_pages_only(
    core_client: Client, world: World, about: Page
) -> None:
    Page.objects.create(group=world.london, slug="secret-london", title_en="London only")
    response = core_client.get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "About us" in text
    assert "London only" not in text


def test_field_team_is_told_which_pages_are_the_movements_own(client: Client, world: World) -> None:
    from alongside.movement.models import Membership, Role
    from conftest import sign_in

    Membership.objects.create(group=world.field_team, user=world.core, role=Role.CORE)
    sign_in(client, world.core)
    text = client.get("/en/manage/palestine/pages/").content.decode()
    assert "get-involved" in text


def test_only_the_field_teams_core_is_warned_that_some_pages_are_the_movements_own(
    client: Client, world: World
) -> None:
    from alongside.movement.models import Membership, Role
    from conftest import sign_in

    warning = "are the movement's own texts"
    Membership.objects.create(group=world.field_team, user=world.core, role=Role.CORE)
    sign_in(client, world.core)
    assert warning in client.get("/en/manage/palestine/pages/").content.decode()
    assert warning not in client.get(LIST).content.decode()


def test_core_member_writes_a_page(core_client: Client, world: World, audit_entries: Any) -> None:
    response = core_client.post(NEW, page_data())
    page = Page.objects.get(group=world.norcal, slug="training")
    assert response.status_code == 302
    assert response["Location"] == f"{NORCAL}/pages/{page.pk}/edit/"
    assert page.title_ar == "عطلة التدريب"
    assert page.updated_by == world.core
    assert audit_entries.about(page).get(action="create").actor_id == world.core.pk


def test_core_member_edits_a_page(
    core_client: Client, world: World, about: Page, audit_entries: Any
) -> None:
    url = f"{NORCAL}/pages/{about.pk}/edit/"
    assert "About us" in core_client.get(url).content.decode()
    core_client.post(url, page_data(slug="about", title_en="About the group"))
    about.refresh_from_db()
    assert about.title_en == "About the group"
    entry = audit_entries.about(about).get(action="update")
    assert "title_en" in entry.detail["fields"]


def test_an_address_already_used_in_the_group_is_refused_keeping_the_text(
    core_client: Client, about: Page
) -> None:
    response = core_client.post(NEW, page_data(slug="about", title_en="A second about"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "already uses this address" in text
    assert 'value="A second about"' in text
    assert "Two days of **nonviolence training**." in text
    assert Page.objects.filter(slug="about").count() == 1


def test_the_same_address_may_be_used_by_another_group(core_client: Client, world: World) -> None:
    Page.objects.create(group=world.london, slug="training", title_en="London training")
    assert core_client.post(NEW, page_data()).status_code == 302


def test_a_malformed_address_and_missing_title_are_refused(core_client: Client) -> None:
    response = core_client.post(NEW, page_data(slug="Not a slug!", title_en=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "slug" in errors and "title_en" in errors
    assert not Page.objects.exists()


def test_an_overlong_title_is_refused(core_client: Client) -> None:
    response = core_client.post(NEW, page_data(title_en="x" * 161))
    assert response.status_code == 200
    assert "at most 160 characters" in response.content.decode()


def test_preview_shows_hostile_markdown_sanitised_without_saving(
    core_client: Client, world: World
) -> None:
    body = "<script>steal()</script> [go](javascript:x()) *ok*"
    response = core_client.post(NEW, page_data(body_en=body, preview="1"))
    assert response.status_code == 200
    preview = preview_of(response)
    assert "<em>ok</em>" in preview
    assert "<script" not in preview
    assert 'href="javascript:' not in preview
    assert not Page.objects.exists()


def test_core_member_deletes_a_page_after_confirming(
    core_client: Client, about: Page, audit_entries: Any
) -> None:
    url = f"{NORCAL}/pages/{about.pk}/delete/"
    assert "This cannot be undone" in core_client.get(url).content.decode()
    assert Page.objects.filter(pk=about.pk).exists()
    response = core_client.post(url)
    assert response.status_code == 302
    assert not Page.objects.filter(pk=about.pk).exists()
    assert audit_entries.filter(action="delete", target_type="movement.page").exists()


def test_pages_are_only_for_the_groups_core(client: Client, world: World, about: Page) -> None:
    for url in (
        LIST,
        NEW,
        f"{NORCAL}/pages/{about.pk}/edit/",
        f"{NORCAL}/pages/{about.pk}/delete/",
    ):
        assert_only_core_of_the_group(client, world, url)
    assert_only_core_of_the_group(
        client, world, f"{NORCAL}/pages/{about.pk}/delete/", method="post"
    )
    assert Page.objects.filter(pk=about.pk).exists()


def test_another_groups_page_is_404_even_for_a_core_member(
    core_client: Client, world: World
) -> None:
    london_page = Page.objects.create(group=world.london, slug="x", title_en="London")
    assert core_client.get(f"{NORCAL}/pages/{london_page.pk}/edit/").status_code == 404
    assert core_client.post(f"{NORCAL}/pages/{london_page.pk}/delete/").status_code == 404
    assert core_client.get(f"{NORCAL}/pages/999999/edit/").status_code == 404
    assert Page.objects.filter(pk=london_page.pk).exists()


def test_saving_a_page_unchanged_writes_nothing_to_the_audit_log(
    core_client: Client, about: Page, audit_entries: Any
) -> None:
    url = f"{NORCAL}/pages/{about.pk}/edit/"
    core_client.post(url, page_data(slug="about"))
    core_client.post(url, page_data(slug="about"))
    assert audit_entries.about(about).filter(action="update").count() == 1


def test_the_save_action_refuses_a_page_of_another_group(world: World) -> None:
    from alongside.movement import actions

    london_page = Page.objects.create(group=world.london, slug="x", title_en="London")
    with pytest.raises(ValueError, match="another group"):
        actions.save_page(
            actor=world.core, group=world.norcal, page=london_page, values={"title_en": "Mine"}
        )
    london_page.refresh_from_db()
    assert london_page.title_en == "London"


def test_page_list_query_count_does_not_grow_with_pages(
    core_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for i in range(3):
        Page.objects.create(group=world.norcal, slug=f"page-{i}", title_en=f"Page {i}")
    few = queries_for(core_client, LIST)
    for i in range(3, 30):
        Page.objects.create(group=world.norcal, slug=f"page-{i}", title_en=f"Page {i}")
    with django_assert_max_num_queries(few):
        response = core_client.get(LIST)
    assert "Page 29" in response.content.decode()
