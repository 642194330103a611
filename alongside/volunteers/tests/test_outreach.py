"""Core members see their volunteers' outreach and set how long personal data is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alongside.lib.models import AuditEntry
from alongside.volunteers.models import OutreachCount, PipelineSettings, ReportBack, Stage
from alongside.volunteers.tests.factories import make_application
from conftest import World, make_user, sign_in

OUTREACH = "/en/manage/northern-california/pipeline/outreach/"
RETENTION = "/en/manage/northern-california/pipeline/retention/"


def _talk(
    world: World, user: Any, size: int, group: Any = None, audience: str = "Church hall"
) -> ReportBack:
    application = make_application(user=user, group=group or world.norcal, stage=Stage.RETURNED)
    return ReportBack.objects.create(
        application=application, held_on=dt.date(2026, 9, 1), audience=audience,
        place="Oakland", size=size,
    )  # fmt: skip


def test_core_members_see_the_talks_and_totals_without_names(client: Client, world: World) -> None:
    _talk(world, world.volunteer, 40)
    _talk(world, world.applicant, 25)
    _talk(world, world.partner, 99, group=world.london, audience="Union hall")
    OutreachCount.objects.create(group=world.norcal, year=2024, talks=3, people=120)
    sign_in(client, world.core)
    html = client.get(OUTREACH).content.decode()
    assert "2 talks and events, 65 people reached." in html
    assert "Church hall" in html
    assert "2024: 3 talks and events, 120 people reached" in html
    assert "Vera" not in html  # the volunteer is not named
    # London's talk: not listed (a bare "99" could be part of a random token on the page).
    assert "Union hall" not in html


def test_the_outreach_list_keeps_its_query_count(client: Client, world: World) -> None:
    sign_in(client, world.core)
    _talk(world, world.volunteer, 10)
    client.get(OUTREACH)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(OUTREACH).status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        _talk(world, make_user(f"talker{n}@example.org", f"Talker {n}"), n + 1)
    assert count() == few


@pytest.mark.parametrize("url", [OUTREACH, RETENTION])
def test_only_the_groups_core_members_see_these_pages(
    client: Client, world: World, url: str
) -> None:
    assert client.get(url).status_code == 302
    for person in [world.outsider, world.volunteer, world.partner, world.documenter]:
        sign_in(client, person)
        assert client.get(url).status_code == 404, person


def test_a_core_member_sets_the_retention_period_and_it_is_audited(
    client: Client, world: World
) -> None:
    sign_in(client, world.core)
    assert 'value="12"' in client.get(RETENTION).content.decode()
    response = client.post(RETENTION, {"retention_months": "6"}, follow=True)
    assert "The retention period is saved." in response.content.decode()
    assert PipelineSettings.objects.get(group=world.norcal).retention_months == 6
    assert AuditEntry.objects.filter(action="update", target_type="volunteers.pipelinesettings")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Keep it for at least one month."),
        ("500", "Ten years (120 months) is the longest"),
        ("a year", "Give a whole number of months."),
        ("", "Give a whole number of months."),
    ],
)
def test_a_wrong_retention_period_is_refused_and_kept(
    client: Client, world: World, typed: str, message: str
) -> None:
    sign_in(client, world.core)
    response = client.post(RETENTION, {"retention_months": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{typed}"' in html or typed == ""
    assert not PipelineSettings.objects.exists()
