"""The principles: the current version, earlier versions with their dates, English-only notes."""

from __future__ import annotations

from django.test import Client

from alongside.public.tests.conftest import Content, body
from conftest import World


def test_principles_page_shows_the_current_version_with_its_principles(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/principles/"))
    assert "Version 2" in html
    assert "Palestinian-led" in html
    assert "Consensus for everyone" in html
    assert "Clarified consensus." in html
    assert "Old wording of invitation." not in html
    assert 'datetime="2024-09-02T12:00:00+00:00"' in html


def test_principles_page_lists_earlier_versions_with_their_publication_dates(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/principles/"))
    assert 'href="/en/principles/v1/"' in html
    assert 'datetime="2019-03-14T12:00:00+00:00"' in html
    assert "March 14, 2019" in html


def test_an_earlier_version_stays_readable_with_its_date_and_a_link_to_the_current(
    client: Client, world: World, content: Content
) -> None:
    response = client.get("/en/principles/v1/")
    assert response.status_code == 200
    html = body(response)
    assert "Principles, version 1" in html
    assert "Old wording of invitation." in html
    assert "Consensus for everyone" not in html
    assert "March 14, 2019" in html
    assert "earlier version" in html
    assert 'href="/en/principles/v2/"' in html


def test_the_current_version_is_also_readable_at_its_numbered_address(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/principles/v2/"))
    assert "Consensus for everyone" in html
    assert "earlier version" not in html


def test_an_unknown_version_is_not_found(client: Client, world: World, content: Content) -> None:
    assert client.get("/en/principles/v3/").status_code == 404
    assert client.get("/en/principles/v0/").status_code == 404
    assert client.get("/en/principles/v99999999999999999999/").status_code == 404
    assert client.get("/en/principles/vabc/").status_code == 404


def test_a_support_groups_own_principles_are_not_the_movements(
    client: Client, world: World, content: Content
) -> None:
    from alongside.movement.models import PrinciplesVersion

    PrinciplesVersion.objects.create(group=world.norcal, number=7, intro_en="Local addendum.")
    assert client.get("/en/principles/v7/").status_code == 404
    assert "Local addendum." not in body(client.get("/en/principles/"))


def test_arabic_principles_say_english_only_where_the_translation_is_missing(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/ar/principles/"))
    assert "بقيادة فلسطينية" in html
    assert "نعمل فقط بدعوة من المجتمعات الفلسطينية." in html
    # The second principle has no Arabic: shown in English, marked as such.
    assert html.count('class="note"') == 1
    assert '<h2 lang="en" dir="ltr">Consensus for everyone</h2>' in html


def test_english_principles_carry_no_english_only_note(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/principles/"))
    assert 'class="note"' not in html
