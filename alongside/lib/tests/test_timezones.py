"""Times on the viewer's clock with the zone named; field times on the Hebron clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from conftest import World, sign_in

# Friday 5 June 2026, 10:00 UTC: summer time in Hebron (UTC+3), London (UTC+1) and Los Angeles
# (UTC-7).
INSTANT = dt.datetime(2026, 6, 5, 10, 0, tzinfo=dt.UTC)


def render(source: str, **context: Any) -> str:
    """The text as read: without the isolates that keep clock times left to right, and with
    plain spaces for the no-break ones inside them."""
    html = Template("{% load alongside %}" + source).render(Context(context)).strip()
    return html.replace("\u2066", "").replace("\u2069", "").replace("\u00a0", " ")


def test_clock_times_stay_left_to_right_on_an_arabic_page() -> None:
    end = INSTANT + dt.timedelta(hours=3)
    with translation.override("ar"), timezone.override("Asia/Hebron"):
        html = Template("{% load alongside %}{% span a b %}").render(
            Context({"a": INSTANT, "b": end})
        )
    assert "\u206613:00\u201316:00\u00a0(Asia/Hebron)\u2069" in html
    assert "\u060c" in html  # the Arabic comma after the date


def test_when_names_the_viewers_zone() -> None:
    with timezone.override("America/Los_Angeles"):
        assert render("{{ t|when }}", t=INSTANT) == "Fri 5 Jun 2026, 03:00 (America/Los Angeles)"


def test_field_when_gives_the_hebron_clock_and_the_viewers() -> None:
    with timezone.override("Europe/London"):
        text = render("{{ t|field_when }}", t=INSTANT)
    assert text == "Fri 5 Jun 2026, 13:00 (Asia/Hebron) · 11:00 (Europe/London)"
    with timezone.override("Asia/Hebron"):
        assert render("{{ t|field_when }}", t=INSTANT) == "Fri 5 Jun 2026, 13:00 (Asia/Hebron)"


def test_a_span_over_midnight_names_both_days() -> None:
    end = INSTANT + dt.timedelta(hours=14)
    with timezone.override("Asia/Hebron"):
        text = render("{% span a b field=True %}", a=INSTANT, b=end)
    assert text == "Fri 5 Jun 2026, 13:00 \u2013 Sat 6 Jun 2026, 03:00 (Asia/Hebron)"


def test_empty_values_render_nothing() -> None:
    assert render("{{ t|when }}|{{ t|field_when }}|{% span t t %}", t=None) == "||"


@pytest.mark.django_db
def test_the_browser_zone_from_the_cookie_reads_typed_times(client: Client) -> None:
    from alongside.lib.timezones import zone_of

    client.cookies["tz"] = "Asia/Hebron"
    request = client.get("/en/").wsgi_request
    assert zone_of(request).key == "Asia/Hebron"


@pytest.mark.django_db
def test_the_cookie_the_browser_script_writes_is_read(client: Client) -> None:
    from alongside.lib.timezones import zone_of

    # static/js/tz.js stores encodeURIComponent(zone): the slash arrives as %2F.
    client.cookies["tz"] = "America%2FLos_Angeles"
    request = client.get("/en/").wsgi_request
    assert zone_of(request).key == "America/Los_Angeles"


@pytest.mark.django_db
def test_a_made_up_zone_in_the_cookie_is_ignored(client: Client, settings: Any) -> None:
    from alongside.lib.timezones import zone_of

    client.cookies["tz"] = "Mars/Olympus_Mons"
    request = client.get("/en/").wsgi_request
    assert zone_of(request).key == settings.TIME_ZONE


def test_the_zone_chosen_on_the_account_page_wins_over_the_browser(
    client: Client, world: World
) -> None:
    sign_in(client, world.volunteer)
    client.cookies["tz"] = "Asia/Hebron"
    response = client.post(
        "/en/accounts/profile/",
        {"name": world.volunteer.name, "language": "en", "time_zone": "America/Los_Angeles"},
    )
    assert response.status_code == 302
    world.volunteer.refresh_from_db()
    assert world.volunteer.time_zone == "America/Los_Angeles"
    page = client.get("/en/accounts/home/").content.decode()
    assert '<option value="America/Los_Angeles" selected>' in page


def test_an_unknown_zone_on_the_account_page_is_refused_and_the_rest_kept(
    client: Client, world: World
) -> None:
    sign_in(client, world.volunteer)
    response = client.post(
        "/en/accounts/profile/",
        {"name": "Vera Changed", "language": "en", "time_zone": "Nowhere/Land"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vera Changed" in page
    assert "Select a valid choice" in page
    world.volunteer.refresh_from_db()
    assert world.volunteer.name == "Vera Volunteer"


def test_the_training_form_names_the_zone_times_are_typed_in(client: Client, world: World) -> None:
    sign_in(client, world.core)
    client.cookies["tz"] = "America/Los_Angeles"
    page = client.get("/en/manage/northern-california/pipeline/trainings/new/").content.decode()
    assert "Times are in America/Los Angeles." in page
