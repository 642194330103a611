"""Every public page answers in English and Arabic, with one h1, and loads nothing from
another host."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alongside.public.tests.conftest import Content, body
from conftest import World

PAGES = [
    "",
    "about/",
    "get-involved/",
    "principles/",
    "principles/v1/",
    "faq/",
    "groups/",
    "groups/northern-california/",
    "groups/northern-california/pages/training/",
    "groups/northern-california/contact/",
    "groups/northern-california/contact/sent/",
    "groups/general/",
]

_RESOURCE_TAG = re.compile(r"<(link|script|img)\b[^>]*>", re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_answers_in_english_and_arabic(
    client: Client, world: World, content: Content, path: str
) -> None:
    english = client.get(f"/en/{path}")
    arabic = client.get(f"/ar/{path}")
    assert english.status_code == 200
    assert arabic.status_code == 200
    assert '<html lang="en" dir="ltr">' in body(english)
    assert '<html lang="ar" dir="rtl">' in body(arabic)
    assert body(english).count("<h1") == 1
    assert body(arabic).count("<h1") == 1
    assert re.search(r"<title>[^<]*\S[^<]*</title>", body(english))


@pytest.mark.parametrize("path", PAGES)
def test_no_public_page_loads_anything_from_another_host(
    client: Client, world: World, content: Content, path: str
) -> None:
    for language in ("en", "ar"):
        html = body(client.get(f"/{language}/{path}"))
        tags = _RESOURCE_TAG.findall(html)
        assert tags, "the page should at least load its stylesheet"
        for tag in _RESOURCE_TAG.finditer(html):
            for url in _URL_ATTRIBUTE.findall(tag.group(0)):
                assert not url.startswith(("http://", "https://", "//")), (path, tag.group(0))


def test_the_pages_work_without_any_content_written_yet(client: Client, db: None) -> None:
    """A fresh installation with no groups still explains the movement."""
    for path in ["", "about/", "get-involved/", "principles/", "faq/", "groups/"]:
        response = client.get(f"/en/{path}")
        assert response.status_code == 200, path
    assert "Nonviolence" in body(client.get("/en/principles/"))
    assert "Palestinian-led" in body(client.get("/en/"))


def test_home_shows_the_movements_words_and_the_current_principles(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/"))
    assert "We stand with Palestinian villages" in html
    assert "Consensus for everyone" in html
    assert "Invited only" not in html  # an earlier version
    assert 'href="/en/groups/general/"' in html
    assert 'action="/en/groups/"' in html


def test_arabic_home_shows_the_arabic_text_of_the_movement(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/ar/"))
    assert "نقف مع القرى الفلسطينية" in html
    assert "بقيادة فلسطينية" in html


def test_about_renders_the_field_teams_page_as_markdown(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/about/"))
    assert "<h2>Since 2001</h2>" in html
    assert "<strong>popular resistance</strong>" in html
    arabic = body(client.get("/ar/about/"))
    assert "<h2>منذ 2001</h2>" in arabic
    assert "<h1>عن الحركة</h1>" in arabic


def test_get_involved_shows_the_field_teams_text_in_english_where_arabic_is_missing(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/ar/get-involved/"))
    assert 'lang="en" dir="ltr"' in html
    assert "Harvest season needs hands" in html
    assert 'href="/ar/groups/"' in html
    assert 'href="/ar/principles/"' in html


def test_get_involved_explains_every_way_to_help_when_the_movement_wrote_nothing(
    client: Client, world: World
) -> None:
    html = body(client.get("/en/get-involved/"))
    for way in ["Volunteer in the field", "start a local group", "No group near you?",
                "Document", "host a talk"]:  # fmt: skip
        assert way in html
    assert 'href="/en/groups/general/"' in html
