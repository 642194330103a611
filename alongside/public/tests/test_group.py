"""A group's public page and the pages it publishes."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alongside.movement.models import Page
from alongside.public.tests.conftest import Content, body
from conftest import World


def test_group_page_shows_region_languages_what_it_does_and_how_to_reach_it(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/groups/northern-california/"))
    assert "<h1>Northern California</h1>" in html
    assert "San Francisco Bay Area" in html
    assert "English, Spanish" in html
    assert "We train volunteers <strong>every spring</strong>." in html
    assert "Come to our monthly meeting in Oakland." in html
    assert 'href="mailto:norcal@example.org"' in html
    assert 'href="/en/groups/northern-california/contact/"' in html


def test_group_page_links_its_published_pages_and_shows_its_faq(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/groups/northern-california/"))
    assert 'href="/en/groups/northern-california/pages/training/"' in html
    assert "/pages/draft/" not in html
    assert "When is the next training?" in html
    assert "Do I need to speak Arabic?" not in html  # the field team's FAQ


def test_arabic_group_page_shows_the_arabic_name_and_language_names(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/ar/groups/northern-california/"))
    assert "شمال كاليفورنيا" in html
    # "English" is in our catalogue (the language names of settings.LANGUAGES), so ours wins.
    assert "الإنجليزية، " in html
    assert "تدريباتنا" in html


def test_the_general_groups_page_welcomes_candidates_from_anywhere(
    client: Client, world: World
) -> None:
    html = body(client.get("/en/groups/general/"))
    assert "welcomes candidates from anywhere" in html
    assert "welcomes candidates from anywhere" not in body(client.get("/en/groups/london/"))


def test_an_unlisted_group_is_not_found_like_a_missing_one(
    client: Client, world: World, content: Content
) -> None:
    world.norcal.is_listed = False
    world.norcal.save()
    for path in [
        "/en/groups/northern-california/",
        "/en/groups/northern-california/pages/training/",
        "/en/groups/northern-california/contact/",
        "/en/groups/northern-california/contact/sent/",
        "/en/groups/no-such-group/",
    ]:
        assert client.get(path).status_code == 404, path


def test_a_groups_published_page_is_readable_in_both_languages(
    client: Client, world: World, content: Content
) -> None:
    english = body(client.get("/en/groups/northern-california/pages/training/"))
    assert "<h1>Our trainings</h1>" in english
    assert "Two weekends of nonviolence training." in english
    arabic = body(client.get("/ar/groups/northern-california/pages/training/"))
    assert "عطلتان أسبوعيتان من التدريب على اللاعنف." in arabic


def test_unpublished_or_other_groups_pages_are_not_found(
    client: Client, world: World, content: Content
) -> None:
    assert client.get("/en/groups/northern-california/pages/draft/").status_code == 404
    assert client.get("/en/groups/london/pages/training/").status_code == 404


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        "[click me](javascript:alert(1))",
        "<img src=https://evil.example/track.png>",
        "![tracker](https://evil.example/pixel.gif)",
        '<a href="#" onerror="alert(1)" onclick="alert(2)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_hostile_markdown_in_a_group_page_is_stripped_on_display(
    client: Client, world: World, hostile: str
) -> None:
    Page.objects.create(
        group=world.norcal, slug="hostile", title_en="Hostile", body_en=f"Before\n\n{hostile}"
    )
    world.norcal.description_en = hostile
    world.norcal.save()
    for path in [
        "/en/groups/northern-california/pages/hostile/",
        "/en/groups/northern-california/",
    ]:
        response = client.get(path)
        assert response.status_code == 200
        html = body(response).lower()
        main = html[html.index("<main") : html.index("</main>")]
        tags = re.findall(r"<[a-z][^>]*>", main)
        assert "before" in main or "hostile" not in path
        for tag in tags:
            assert not tag.startswith(("<script", "<img", "<iframe")), tag
            assert not re.search(r"\son[a-z]+\s*=", tag), tag
            assert "javascript:" not in tag, tag
            assert "evil.example" not in tag, tag
