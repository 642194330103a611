"""Editing the group's profile in English and Arabic side by side."""

from __future__ import annotations

from typing import Any

from django.test import Client

from alongside.movement.models import Group
from alongside.movement.tests.helpers import NORCAL, assert_only_core_of_the_group, preview_of
from conftest import World

URL = f"{NORCAL}/profile/"


def profile_data(**changes: Any) -> dict[str, Any]:
    data = {
        "name_en": "Northern California",
        "region_en": "San Francisco Bay Area",
        "summary_en": "Recruits and trains volunteers in the Bay Area.",
        "description_en": "We meet **every Tuesday**.",
        "how_to_reach_en": "Write to us.",
        "name_ar": "شمال كاليفورنيا",
        "region_ar": "منطقة خليج سان فرانسيسكو",
        "summary_ar": "",
        "description_ar": "نلتقي كل ثلاثاء.",
        "how_to_reach_ar": "",
        "public_email": "norcal@example.org",
        "languages": "en, es, ar",
        "countries": "us",
        "is_listed": "on",
    }
    data.update(changes)
    return data


def test_profile_form_shows_english_and_arabic_side_by_side(core_client: Client) -> None:
    response = core_client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="side-by-side"' in text
    assert 'name="name_ar"' in text
    assert 'lang="ar" dir="rtl"' in text
    assert 'value="en, es"' in text  # languages as typed, not a Python list


def test_core_member_saves_the_profile(core_client: Client, world: World) -> None:
    response = core_client.post(URL, profile_data())
    assert response.status_code == 302
    group = Group.objects.get(pk=world.norcal.pk)
    assert group.languages == ["en", "es", "ar"]
    assert group.countries == ["US"]
    assert group.description_ar == "نلتقي كل ثلاثاء."
    page = core_client.get(URL).content.decode()
    assert "<strong>every Tuesday</strong>" in page  # the saved Markdown, previewed


def test_saving_the_profile_is_audited_with_field_names_only(
    core_client: Client, world: World, audit_entries: Any
) -> None:
    core_client.post(URL, profile_data(summary_en="A new summary"))
    entry = audit_entries.about(world.norcal).get(action="update")
    assert "summary_en" in entry.detail["fields"]
    assert "A new summary" not in str(entry.detail)


def test_unknown_language_and_country_codes_are_refused_keeping_what_was_typed(
    core_client: Client, world: World
) -> None:
    response = core_client.post(
        URL, profile_data(languages="en, klingon", countries="US, XX", region_en="Oakland")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Unknown language code: klingon" in text
    assert "Unknown country code: XX" in text
    assert 'value="Oakland"' in text
    assert 'value="en, klingon"' in text
    assert Group.objects.get(pk=world.norcal.pk).region_en == "San Francisco Bay Area"


def test_a_missing_english_name_gets_a_message_beside_the_field(core_client: Client) -> None:
    response = core_client.post(URL, profile_data(name_en=""))
    assert response.status_code == 200
    assert response.context["form"].errors["name_en"]
    assert "This field is required." in response.content.decode()


def test_errors_are_in_the_readers_language(core_client: Client) -> None:
    response = core_client.post(f"/ar{URL[3:]}", profile_data(name_en=""))
    assert response.status_code == 200
    assert "This field is required." not in response.content.decode()


def test_preview_renders_hostile_markdown_sanitised_without_saving(
    core_client: Client, world: World
) -> None:
    hostile = (
        "Hi <script>alert(1)</script> [click](javascript:alert(2)) "
        "![pixel](https://tracker.example/x.png) "
        '<img src="x" onerror="alert(3)"> **kept**'
    )
    response = core_client.post(URL, profile_data(description_en=hostile, preview="1"))
    assert response.status_code == 200
    preview = preview_of(response)
    assert "<strong>kept</strong>" in preview
    assert "<script" not in preview
    assert 'href="javascript:' not in preview
    assert "<img" not in preview
    assert Group.objects.get(pk=world.norcal.pk).description_en == ""


def test_hostile_markdown_is_stored_as_typed_and_shown_sanitised(
    core_client: Client, world: World
) -> None:
    hostile = "<script>alert(1)</script>**bold**"
    core_client.post(URL, profile_data(description_en=hostile))
    assert Group.objects.get(pk=world.norcal.pk).description_en == hostile
    preview = preview_of(core_client.get(URL))
    assert "<strong>bold</strong>" in preview
    assert "<script" not in preview


def test_profile_is_only_for_the_groups_core(client: Client, world: World) -> None:
    assert_only_core_of_the_group(client, world, URL)
    assert_only_core_of_the_group(client, world, URL, method="post", data=profile_data())
    assert Group.objects.get(pk=world.norcal.pk).languages == ["en", "es"]
