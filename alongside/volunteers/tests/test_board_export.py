"""The board as CSV: /<lang>/manage/<group>/pipeline/export.csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.lib.models import AuditEntry
from alongside.volunteers.models import Stage
from alongside.volunteers.tests.factories import make_application, make_campaign
from conftest import World, sign_in

EXPORT = "/en/manage/northern-california/pipeline/export.csv"


def _text(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def _rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text(response))))


def test_the_export_holds_the_boards_facts_and_nothing_sensitive(world: World) -> None:
    spring = make_campaign(group=world.norcal, name_en="Spring")
    overdue = timezone.localdate() - dt.timedelta(days=1)
    application = make_application(
        group=world.norcal,
        stage=Stage.INTERVIEW,
        full_name="Noor Haddad",
        phone="+1 555 0100",
        languages=["en", "es"],
        campaign_period=spring,
        owner=world.core,
        step_due_on=overdue,
        arrival_on=dt.date(2027, 10, 1),
        references=1,
    )
    make_application(group=world.london, full_name="Lena London")

    response = sign_in(Client(), world.core).get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    (row,) = _rows(response)
    assert row == {
        "application": str(application.pk),
        "stage": "interview",
        "country": "US",
        "languages": "en es",
        "campaign_period": "Spring",
        "owner": "Maya Core",
        "step_due": overdue.isoformat(),
        "overdue": "yes",
        "submitted": application.submitted_at.date().isoformat(),  # type: ignore[union-attr]
    }


def test_the_export_never_holds_names_phones_dates_or_references(world: World) -> None:
    make_application(
        group=world.norcal,
        full_name="Noor Haddad",
        phone="+1 555 0100",
        arrival_on=dt.date(2027, 10, 1),
        references=1,
    )
    text = _text(sign_in(Client(), world.core).get(EXPORT))
    for private in ("Noor", "555", "2027-10-01", "Referee", "example.net"):
        assert private not in text


def test_each_export_is_audited_with_its_row_count_and_filter_names(world: World) -> None:
    for _ in range(3):
        make_application(group=world.norcal, languages=["es"])
    make_application(group=world.norcal, languages=["en"])

    response = sign_in(Client(), world.core).get(f"{EXPORT}?language=es")

    assert len(_rows(response)) == 3
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor_id == world.core.pk
    assert entry.detail == {"rows": 3, "filters": ["language"]}


def test_the_export_applies_the_presence_window_on_decrypted_dates(world: World) -> None:
    inside = make_application(
        group=world.norcal, arrival_on=dt.date(2027, 4, 1), departure_on=dt.date(2027, 4, 20)
    )
    make_application(
        group=world.norcal, arrival_on=dt.date(2027, 8, 1), departure_on=dt.date(2027, 8, 20)
    )

    response = sign_in(Client(), world.core).get(
        f"{EXPORT}?present_from=2027-04-10&present_to=2027-04-11"
    )

    assert [row["application"] for row in _rows(response)] == [str(inside.pk)]


def test_a_formula_in_an_owners_name_is_not_run_by_a_spreadsheet(world: World) -> None:
    world.core.name = "=HYPERLINK(1)"
    world.core.save()
    make_application(group=world.norcal, owner=world.core)

    (row,) = _rows(sign_in(Client(), world.core).get(EXPORT))

    assert row["owner"] == "'=HYPERLINK(1)"


def test_the_export_needs_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.core)
    make_application(group=world.norcal, owner=world.core)
    _text(client.get(EXPORT))  # the session's first request, once
    for _ in range(40):
        make_application(group=world.norcal, owner=world.core)
    with django_assert_max_num_queries(20):
        assert len(_rows(client.get(EXPORT))) == 41


def test_invalid_filters_send_back_to_the_board_and_export_nothing(world: World) -> None:
    response = sign_in(Client(), world.core).get(f"{EXPORT}?present_from=not-a-date")
    assert response.status_code == 302
    assert "present_from=not-a-date" in response["Location"]
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("persona", ["outsider", "volunteer"])
def test_people_who_are_not_core_members_of_the_group_get_404(world: World, persona: str) -> None:
    assert sign_in(Client(), world.persona(persona)).get(EXPORT).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(EXPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
