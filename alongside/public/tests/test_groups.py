"""The directory of support groups: filters, pagination, query counts."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alongside.movement.models import Group, GroupKind
from alongside.public.tests.conftest import body
from alongside.public.views import GROUPS_PER_PAGE
from conftest import World


def _add_groups(count: int, *, languages: list[str] | None = None) -> None:
    Group.objects.bulk_create(
        Group(
            slug=f"group-{number:03}",
            kind=GroupKind.SUPPORT,
            name_en=f"Town {number:03}",
            region_en=f"Region {number:03}",
            languages=languages or ["en", "fr"],
            summary_en=f"Summary {number:03}",
        )
        for number in range(count)
    )


def test_directory_lists_support_groups_with_region_languages_and_summary(
    client: Client, world: World
) -> None:
    world.norcal.summary_en = "Volunteers from the Bay Area."
    world.norcal.save()
    html = body(client.get("/en/groups/"))
    assert 'href="/en/groups/northern-california/"' in html
    assert "San Francisco Bay Area" in html
    assert "English, Spanish" in html
    assert "Volunteers from the Bay Area." in html
    assert 'href="/en/groups/london/"' in html


def test_directory_leaves_out_unlisted_groups_and_the_field_team(
    client: Client, world: World
) -> None:
    world.london.is_listed = False
    world.london.save()
    html = body(client.get("/en/groups/"))
    assert "/en/groups/london/" not in html
    assert "/en/groups/palestine/" not in html


def test_directory_highlights_the_general_group_for_candidates_without_a_local_group(
    client: Client, world: World
) -> None:
    html = body(client.get("/en/groups/?q=nowhere-at-all"))
    assert 'class="card card-highlight"' in html
    assert 'href="/en/groups/general/"' in html
    assert "welcomes candidates from anywhere" in html
    assert "No group matches" in html


def test_directory_shows_group_names_in_arabic(client: Client, world: World) -> None:
    html = body(client.get("/ar/groups/"))
    assert "شمال كاليفورنيا" in html
    assert "المجموعة العامة" in html


def test_directory_filters_by_a_word(client: Client, world: World) -> None:
    html = body(client.get("/en/groups/?q=bay+area"))
    assert "/en/groups/northern-california/" in html
    assert "/en/groups/london/" not in html
    assert "1 group found" in html
    assert 'value="bay area"' in html


def test_directory_filters_by_language(client: Client, world: World) -> None:
    html = body(client.get("/en/groups/?language=es"))
    assert "/en/groups/northern-california/" in html
    assert '/en/groups/london/"' not in html
    assert '<option value="es" selected>Spanish</option>' in html


def test_directory_says_beside_the_field_when_a_language_is_unknown(
    client: Client, world: World
) -> None:
    response = client.get("/en/groups/?language=xx")
    assert response.status_code == 200
    html = body(response)
    assert 'id="id_language_error"' in html
    assert 'aria-describedby="id_language_error"' in html
    assert "/en/groups/london/" in html  # unfiltered rather than empty


def test_directory_is_paginated_and_keeps_the_filter_in_page_links(
    client: Client, world: World
) -> None:
    _add_groups(GROUPS_PER_PAGE + 5)
    first = body(client.get("/en/groups/?language=fr"))
    assert "Page 1 of 2" in first
    assert 'href="?language=fr&amp;page=2"' in first
    second = body(client.get("/en/groups/?language=fr&page=2"))
    assert "Page 2 of 2" in second
    assert "Town 024" in second
    assert "Town 000" not in second


def test_absurd_page_numbers_show_the_last_or_first_page_never_an_error(
    client: Client, world: World
) -> None:
    """Documented behaviour: a number past the end shows the last page; anything that is not a
    page number shows the first."""
    _add_groups(GROUPS_PER_PAGE + 5)
    for page, shown in [
        ("999999", "Page 2 of 2"),
        ("99999999999999999999999999", "Page 2 of 2"),
        ("-3", "Page 2 of 2"),
        ("0", "Page 2 of 2"),
        ("abc", "Page 1 of 2"),
        ("", "Page 1 of 2"),
        ("1.5", "Page 1 of 2"),
    ]:
        response = client.get("/en/groups/", {"page": page})
        assert response.status_code == 200, page
        assert shown in body(response), page


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_directory_query_count_does_not_grow_with_the_number_of_groups(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    few = _queries_for(client, "/en/groups/")
    few_filtered = _queries_for(client, "/en/groups/?q=o&language=en&page=2")
    _add_groups(30)
    assert _queries_for(client, "/en/groups/") == few
    assert _queries_for(client, "/en/groups/?q=o&language=en&page=2") == few_filtered
    with django_assert_max_num_queries(5):
        client.get("/en/groups/?q=o&language=en&page=2")
