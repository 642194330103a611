"""The pipeline board: /<lang>/manage/<group>/pipeline/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.lib.models import AuditEntry
from alongside.volunteers.models import Application, Stage
from alongside.volunteers.tests.factories import make_application, make_campaign
from conftest import World, sign_in

BOARD = "/en/manage/northern-california/pipeline/"


def _names(response: Any) -> list[str]:
    return [row.full_name for row in response.context["rows"]]


def test_the_core_member_sees_the_groups_applications_with_counts_per_stage(
    world: World,
) -> None:
    make_application(group=world.norcal, stage=Stage.RECEIVED, full_name="Rana Received")
    make_application(group=world.norcal, stage=Stage.INTERVIEW, full_name="Ines Interview")
    make_application(group=world.norcal, stage=Stage.DECLINED, full_name="Dara Declined")
    make_application(group=world.norcal, stage=Stage.DRAFT, full_name="Dina Draft")
    make_application(group=world.london, stage=Stage.RECEIVED, full_name="Lena London")

    response = sign_in(Client(), world.core).get(BOARD)

    assert response.status_code == 200
    assert sorted(_names(response)) == ["Ines Interview", "Rana Received"]
    counts = dict(response.context["stage_counts"])
    assert counts[Stage.RECEIVED] == 1 and counts[Stage.INTERVIEW] == 1
    assert counts[Stage.DECLINED] == 1 and counts[Stage.READY] == 0
    html = response.content.decode()
    assert "Rana Received" in html and "Lena London" not in html and "Dina Draft" not in html


def test_declined_applications_show_when_that_stage_is_asked_for(world: World) -> None:
    make_application(group=world.norcal, stage=Stage.RECEIVED, full_name="Rana Received")
    make_application(group=world.norcal, stage=Stage.DECLINED, full_name="Dara Declined")

    response = sign_in(Client(), world.core).get(f"{BOARD}?stage=declined")

    assert _names(response) == ["Dara Declined"]


def test_the_board_filters_by_language_and_campaign_period(world: World) -> None:
    spring = make_campaign(group=world.norcal, name_en="Spring")
    make_application(group=world.norcal, languages=["en", "es"], full_name="Sol Spanish")
    make_application(
        group=world.norcal, languages=["en"], campaign_period=spring, full_name="Cam Campaign"
    )
    client = sign_in(Client(), world.core)

    assert _names(client.get(f"{BOARD}?language=es")) == ["Sol Spanish"]
    assert _names(client.get(f"{BOARD}?campaign={spring.pk}")) == ["Cam Campaign"]


def test_the_presence_filter_finds_windows_overlapping_the_dates_asked(world: World) -> None:
    day = dt.date(2027, 4, 1)
    make_application(
        group=world.norcal,
        arrival_on=day,
        departure_on=day + dt.timedelta(days=20),
        full_name="April Arrival",
    )
    make_application(
        group=world.norcal,
        arrival_on=day + dt.timedelta(days=60),
        departure_on=day + dt.timedelta(days=90),
        full_name="June Arrival",
    )
    make_application(group=world.norcal, full_name="No Dates")
    client = sign_in(Client(), world.core)

    inside = client.get(f"{BOARD}?present_from=2027-04-15&present_to=2027-05-01")
    assert _names(inside) == ["April Arrival"]
    assert dict(inside.context["stage_counts"])[Stage.RECEIVED] == 1
    later = client.get(f"{BOARD}?present_from=2027-05-15")
    assert _names(later) == ["June Arrival"]
    # The dates are encrypted: nothing in the database compares them.
    raw = Application.objects.filter(full_name="").values_list("arrival_on", flat=True)
    assert all(value is None or "2027" not in value for value in raw)


def test_searching_by_presence_window_is_audited_even_when_nobody_matches(world: World) -> None:
    make_application(
        group=world.norcal, arrival_on=dt.date(2027, 4, 1), departure_on=dt.date(2027, 4, 9)
    )
    client = sign_in(Client(), world.core)
    response = client.get(f"{BOARD}?present_from=2030-01-01")
    assert _names(response) == []
    entry = AuditEntry.objects.filter(action="read").order_by("-sequence").first()
    assert entry is not None
    assert entry.detail["fields"] == ["arrival_on", "departure_on"]


def test_a_window_ending_before_it_starts_is_refused_and_what_was_typed_kept(
    world: World,
) -> None:
    make_application(group=world.norcal, full_name="Rana Received")

    response = sign_in(Client(), world.core).get(
        f"{BOARD}?present_from=2027-05-01&present_to=2027-04-01&language=en"
    )

    assert response.status_code == 200
    assert "cannot be before its start" in response.content.decode()
    assert 'value="2027-04-01"' in response.content.decode()
    assert response.context["form"]["language"].value() == "en"


def test_overdue_steps_are_marked(world: World) -> None:
    today = timezone.localdate()
    make_application(
        group=world.norcal,
        owner=world.core,
        step_due_on=today - dt.timedelta(days=2),
        full_name="Olga Overdue",
    )
    make_application(
        group=world.norcal, step_due_on=today + dt.timedelta(days=2), full_name="Tim Timely"
    )

    response = sign_in(Client(), world.core).get(BOARD)

    html = response.content.decode()
    overdue_row = html[html.index("Olga Overdue") : html.index("</tr>", html.index("Olga Overdue"))]
    timely_row = html[html.index("Tim Timely") : html.index("</tr>", html.index("Tim Timely"))]
    assert "Overdue" in overdue_row and "Maya Core" in overdue_row
    assert "Overdue" not in timely_row


def test_showing_the_names_is_audited_once_per_page(world: World) -> None:
    for _ in range(3):
        make_application(group=world.norcal)

    sign_in(Client(), world.core).get(BOARD)

    entry = AuditEntry.objects.get(action="read")
    assert entry.actor_id == world.core.pk
    assert entry.detail == {"applications": 3, "fields": ["full_name"]}


def test_the_board_pages_fifty_at_a_time_and_survives_absurd_page_numbers(world: World) -> None:
    for _ in range(55):
        make_application(group=world.norcal)
    client = sign_in(Client(), world.core)

    assert len(client.get(BOARD).context["rows"]) == 50
    last = client.get(f"{BOARD}?page=999999")
    assert last.status_code == 200 and len(last.context["rows"]) == 5
    assert client.get(f"{BOARD}?page=abc").context["page"].number == 1


def test_the_campaign_period_in_progress_shows_its_progress(world: World) -> None:
    spring = make_campaign(group=world.norcal, name_en="Spring harvest", target_volunteers=8)
    for stage in (Stage.READY, Stage.IN_FIELD, Stage.RETURNED, Stage.TRAINING):
        make_application(group=world.norcal, stage=stage, campaign_period=spring)
    make_campaign(
        group=world.norcal,
        name_en="Long ago",
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 3, 1),
    )

    response = sign_in(Client(), world.core).get(BOARD)

    (shown,) = response.context["campaigns"]
    assert shown.name_en == "Spring harvest" and shown.reached == 3
    assert "3 of 8 volunteers" in response.content.decode()


def _queries_of_a_board_request(client: Client, path: str) -> list[str]:
    """The SQL of one request, without the session's own bookkeeping (allauth refreshes a
    session's "last seen" now and then, which has nothing to do with the board)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if "django_session" not in query["sql"] and "usersessions" not in query["sql"]
    ]


@pytest.mark.parametrize("query", ["", "?present_from=2027-01-01&present_to=2027-12-31"])
def test_the_board_answers_in_the_same_number_of_queries_for_5_and_60_applications(
    world: World, query: str
) -> None:
    client = sign_in(Client(), world.core)
    dates: dict[str, Any] = {"arrival_on": dt.date(2027, 3, 1), "departure_on": dt.date(2027, 4, 1)}
    campaign = make_campaign(group=world.norcal)
    for _ in range(5):
        make_application(group=world.norcal, owner=world.core, campaign_period=campaign, **dates)
    # The first request does some bookkeeping once: the session's, the audit chain's start.
    client.get(BOARD)
    few = _queries_of_a_board_request(client, f"{BOARD}{query}")
    for _ in range(55):
        make_application(group=world.norcal, owner=world.core, campaign_period=campaign, **dates)
    many = _queries_of_a_board_request(client, f"{BOARD}{query}")

    assert len(many) == len(few), "\n".join(many)
    assert len(many) < 20


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "applicant"])
def test_people_who_are_not_core_members_of_the_group_get_404(world: World, persona: str) -> None:
    response = sign_in(Client(), world.persona(persona)).get(BOARD)
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(BOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_board_works_in_arabic(world: World) -> None:
    make_application(group=world.norcal, full_name="Rana Received")
    response = sign_in(Client(), world.core).get(BOARD.replace("/en/", "/ar/"))
    assert response.status_code == 200 and "Rana Received" in response.content.decode()


def test_the_group_screens_link_to_the_pipeline(world: World) -> None:
    response = sign_in(Client(), world.core).get("/en/manage/northern-california/")
    assert 'href="/en/manage/northern-california/pipeline/"' in response.content.decode()
