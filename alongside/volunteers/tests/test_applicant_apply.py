"""Applying: the form, its drafts, the group it suggests, and what reaches the database."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from alongside.movement.models import Group, GroupKind
from alongside.volunteers.models import Application, Reference, Stage, StageChange
from alongside.volunteers.tests.factories import make_application
from conftest import World, sign_in

MARKER = "ZZMARKER-EMERGENCY-7731"


def valid_form(world: World, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "full_name": "Ali Applicant-Haddad",
        "country": "US",
        "languages": ["en", "ar"],
        "phone": "+1 415 555 0100",
        "motivation": "I want to stand beside farmers at the olive harvest.",
        "experience": "Two years of solidarity work in Oakland.",
        "arrival_on": (today + dt.timedelta(days=40)).isoformat(),
        "departure_on": (today + dt.timedelta(days=70)).isoformat(),
        "dates_flexible": "on",
        "emergency_contact_name": "Rana Haddad",
        "emergency_contact_phone": "+1 415 555 0199",
        "reference_1_name": "Sam Referee",
        "reference_1_email": "sam@example.net",
        "reference_2_name": "Jo Referee",
        "reference_2_email": "jo@example.net",
        "group": str(world.norcal.pk),
        "action": "submit",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_applicant_applies_and_lands_at_received_with_two_references(
    world: World, lang: str
) -> None:
    client = sign_in(Client(), world.applicant)

    response = client.post(f"/{lang}/volunteer/apply/", valid_form(world))

    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/volunteer/principles/"
    application = Application.objects.get(user=world.applicant)
    assert application.stage == Stage.RECEIVED
    assert application.group == world.norcal
    assert application.full_name == "Ali Applicant-Haddad"
    assert application.languages == ["en", "ar"]
    assert application.dates_flexible is True
    assert application.draft == ""
    assert application.submitted_at is not None
    references = Reference.objects.filter(application=application).order_by("position")
    assert [(r.position, r.name, r.email) for r in references] == [
        (1, "Sam Referee", "sam@example.net"),
        (2, "Jo Referee", "jo@example.net"),
    ]
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor) == (
        Stage.DRAFT,
        Stage.RECEIVED,
        world.applicant,
    )


def test_the_database_holds_the_identifying_fields_encrypted(world: World) -> None:
    client = sign_in(Client(), world.applicant)
    client.post("/en/volunteer/apply/", valid_form(world))

    raw = Application.objects.values_list(
        "full_name", "phone", "emergency_contact_name", "arrival_on", flat=False
    ).get(user=world.applicant)

    assert raw[0] != "Ali Applicant-Haddad" and raw[0].startswith("v1:")
    assert "415" not in raw[1]
    assert "Rana" not in raw[2]
    arrival = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    assert str(raw[3]).startswith("v1:") and arrival not in str(raw[3])


def test_anonymous_visitors_are_sent_to_sign_in_and_back(db: Any) -> None:
    response = Client().get("/en/volunteer/apply/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert "/en/volunteer/apply/" in response["Location"]


def test_the_form_shows_the_sign_in_email_read_only(world: World) -> None:
    response = sign_in(Client(), world.applicant).get("/ar/volunteer/apply/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="applicant@example.org" readonly' in html
    assert "الولايات المتّحدة" in html  # country names in the page's language


def test_a_validation_error_keeps_everything_typed_and_saves_the_draft(world: World) -> None:
    client = sign_in(Client(), world.applicant)
    data = valid_form(
        world,
        departure_on=(timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        phone="call me maybe",
    )

    response = client.post("/en/volunteer/apply/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "The departure must be after the arrival." in html
    assert "Give a phone number with digits only" in html
    for value in (
        "Ali Applicant-Haddad",
        "call me maybe",
        "Rana Haddad",
        "sam@example.net",
        "I want to stand beside farmers at the olive harvest.",
        data["arrival_on"],
    ):
        assert value in html, value
    assert 'value="ar" id="id_languages_0" checked' in html or 'value="ar" checked' in html
    application = Application.objects.get(user=world.applicant)
    assert application.stage == Stage.DRAFT
    assert json.loads(application.draft)["phone"] == "call me maybe"
    assert not Reference.objects.exists()


def test_a_draft_is_saved_even_when_invalid_and_shown_on_the_next_visit(world: World) -> None:
    client = sign_in(Client(), world.applicant)
    data = {"full_name": "Half Done", "country": "GB", "phone": "not yet", "languages": ["ar"],
            "arrival_on": "1999-01-01", "action": "draft"}  # fmt: skip

    response = client.post("/ar/volunteer/apply/", data)

    assert response.status_code == 302
    application = Application.objects.get(user=world.applicant)
    assert application.stage == Stage.DRAFT
    assert application.group == world.london  # filed under the group suggested for GB
    assert "Half Done" not in Application.objects.values_list("draft", flat=True).get()
    again = client.get("/ar/volunteer/apply/").content.decode()
    assert 'value="Half Done"' in again
    assert 'value="not yet"' in again
    assert 'value="1999-01-01"' in again
    assert "errorlist" not in again  # a draft is not judged until it is sent
    assert client.get("/en/volunteer/").status_code == 200


def test_submitting_a_saved_draft_uses_the_same_application(world: World) -> None:
    client = sign_in(Client(), world.applicant)
    client.post("/en/volunteer/apply/", {"full_name": "Ali", "action": "draft"})
    draft = Application.objects.get(user=world.applicant)

    client.post("/en/volunteer/apply/", valid_form(world))

    assert Application.objects.filter(user=world.applicant).count() == 1
    assert Application.objects.get(pk=draft.pk).stage == Stage.RECEIVED


@pytest.mark.parametrize(
    ("country", "slug"), [("US", "northern-california"), ("GB", "london"), ("NZ", "general")]
)
def test_the_form_suggests_the_group_of_the_country_or_the_general_group(
    world: World, country: str, slug: str
) -> None:
    client = sign_in(Client(), world.applicant)
    group = Group.objects.get(slug=slug)

    by_link = client.get(f"/en/volunteer/apply/?country={country}").content.decode()
    by_button = client.post(
        "/en/volunteer/apply/", {"country": country, "full_name": "Ali", "action": "suggest"}
    ).content.decode()

    for html in (by_link, by_button):
        checked = re.findall(r'name="group" value="(\d+)"[^>]*checked', html)
        assert checked == [str(group.pk)]
    assert 'value="Ali"' in by_button
    assert not Application.objects.exists()  # suggesting saves nothing


def test_only_listed_support_groups_can_be_chosen(world: World) -> None:
    client = sign_in(Client(), world.applicant)

    response = client.post(
        "/en/volunteer/apply/", valid_form(world, group=str(world.field_team.pk))
    )

    assert response.status_code == 400
    assert world.field_team.kind == GroupKind.FIELD
    assert "Select a valid choice" in response.content.decode()
    assert not Application.objects.submitted().exists()


def test_a_second_apply_shows_the_application_in_progress(world: World) -> None:
    make_application(user=world.applicant, group=world.norcal, stage=Stage.INTERVIEW)
    client = sign_in(Client(), world.applicant)

    shown = client.get("/en/volunteer/apply/")
    posted = client.post("/en/volunteer/apply/", valid_form(world))

    for response in (shown, posted):
        assert response.status_code == 200
        assert "You already have an application to Northern California" in (
            response.content.decode()
        )
    assert Application.objects.filter(user=world.applicant).count() == 1


def test_a_reference_must_be_someone_else_and_two_different_people(world: World) -> None:
    client = sign_in(Client(), world.applicant)

    response = client.post(
        "/en/volunteer/apply/",
        valid_form(world, reference_1_email="applicant@example.org",
                   reference_2_email="APPLICANT@example.org"),
    )  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 400
    assert "A reference cannot be you." in html
    assert "Give two different people as references." in html


def test_arrival_cannot_be_in_the_past(world: World) -> None:
    client = sign_in(Client(), world.applicant)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    response = client.post("/ar/volunteer/apply/", valid_form(world, arrival_on=yesterday))

    assert response.status_code == 400
    assert 'id="id_arrival_on_error"' in response.content.decode() or "errorlist" in (
        response.content.decode()
    )
    assert yesterday in response.content.decode()


# --- the marker test: nothing typed by the applicant is readable in the raw database ----------


def _apply_with_marker(world: World) -> None:
    client = sign_in(Client(), world.applicant)
    response = client.post(
        "/en/volunteer/apply/",
        valid_form(
            world,
            emergency_contact_name=MARKER,
            emergency_contact_phone="+44 7731 777 31",
            arrival_on="2031-07-31",
            departure_on="2031-09-30",
        ),
    )
    assert response.status_code == 302
    # The marker is really there, readable through the application.
    application = Application.objects.get(user=world.applicant)
    assert application.emergency_contact_name == MARKER
    assert application.arrival_on == dt.date(2031, 7, 31)


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_file_holds_no_emergency_contact_or_travel_date(
    world: World, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; the pg_dump test below covers PostgreSQL.")
    _apply_with_marker(world)
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    files = [copy]
    name = str(connection.settings_dict["NAME"])
    if not connection.creation.is_in_memory_db(name):  # type: ignore[attr-defined]  # SQLite only
        files += [Path(name), Path(f"{name}-wal")]
    contents = b"".join(path.read_bytes() for path in files if path.exists())

    # What is in clear is found, so that the searches below can fail.
    assert world.norcal.name_en.encode() in contents
    for secret in (MARKER, "7731 777", "2031-07-31", "2031-09-30", "sam@example.net"):
        assert secret.encode() not in contents, secret
        assert secret.encode("utf-16-le") not in contents, secret


@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_holds_no_emergency_contact_or_travel_date(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; the SQLite file test above covers SQLite.")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed on this machine, so the dump cannot be searched.")
    _apply_with_marker(world)
    params = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(params.get("PASSWORD") or "")}
    command = [pg_dump, "--data-only", "--no-owner", "--dbname", str(params["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    dump = subprocess.run(command, capture_output=True, env=env, check=True, timeout=120).stdout

    assert world.norcal.name_en.encode() in dump
    for secret in (MARKER, "7731 777", "2031-07-31", "2031-09-30", "sam@example.net"):
        assert secret.encode() not in dump, secret


def test_every_country_code_a_group_can_serve_has_a_name_in_both_languages() -> None:
    from alongside.movement.countries import COUNTRY_CODES
    from alongside.volunteers.forms.applicant_countries import COUNTRY_NAMES

    assert set(COUNTRY_NAMES) == COUNTRY_CODES
    assert all(english and arabic for english, arabic in COUNTRY_NAMES.values())


def test_the_browser_copy_of_the_draft_is_a_deferred_script_of_our_own(world: World) -> None:
    html = sign_in(Client(), world.applicant).get("/en/volunteer/apply/").content.decode()

    scripts = re.findall(r"<script[^>]*>", html)
    assert any("volunteers/draft" in tag and "defer" in tag for tag in scripts)
    assert all("src=" in tag for tag in scripts)  # CSP: no inline script
    assert 'data-draft-key="alongside-apply-draft"' in html


@pytest.mark.parametrize("value", ["²", "1" * 25])
def test_a_draft_with_a_malformed_group_goes_to_the_suggested_group(
    world: World, value: str
) -> None:
    client = sign_in(Client(), world.applicant)
    response = client.post(
        "/en/volunteer/apply/",
        {"full_name": "Ali", "country": "GB", "group": value, "action": "draft"},
    )
    assert response.status_code == 302
    assert Application.objects.get(user=world.applicant).group == world.london


def test_submitting_the_same_draft_again_changes_nothing(world: World) -> None:
    from alongside.volunteers.actions.applying import submit_application
    from alongside.volunteers.actions.stages import change_stage
    from alongside.volunteers.forms.applicant import ApplicationForm

    client = sign_in(Client(), world.applicant)
    client.post("/en/volunteer/apply/", {"full_name": "Ali", "action": "draft"})
    stale = Application.objects.get(user=world.applicant)  # loaded by a second tab
    client.post("/en/volunteer/apply/", valid_form(world))
    change_stage(application=stale, to_stage=Stage.INTERVIEW, actor=world.core)
    form = ApplicationForm(valid_form(world, full_name="Someone Else"), own_email="x@example.org")
    assert form.is_valid(), form.errors

    again = submit_application(user=world.applicant, application=stale, data=form.cleaned_data)

    assert again.pk == stale.pk and again.stage == Stage.INTERVIEW
    stored = Application.objects.get(pk=stale.pk)
    assert stored.stage == Stage.INTERVIEW and stored.full_name == "Ali Applicant-Haddad"
    assert StageChange.objects.filter(application=stale).count() == 2
    # A late autosave of the draft leaves the sent application alone too.
    client.post("/en/volunteer/apply/", {"full_name": "Late", "action": "draft"})
    assert Application.objects.get(pk=stale.pk).full_name == "Ali Applicant-Haddad"
    assert Application.objects.filter(user=world.applicant).count() == 1


def test_a_double_click_without_a_draft_sends_one_application(world: World) -> None:
    from alongside.volunteers.actions.applying import submit_application
    from alongside.volunteers.forms.applicant import ApplicationForm

    form = ApplicationForm(valid_form(world), own_email=world.applicant.email)
    assert form.is_valid(), form.errors
    first = submit_application(user=world.applicant, application=None, data=form.cleaned_data)
    second = submit_application(user=world.applicant, application=None, data=form.cleaned_data)

    assert second.pk == first.pk
    assert Application.objects.filter(user=world.applicant).count() == 1
    assert StageChange.objects.filter(application=first).count() == 1


def test_an_application_joins_the_campaign_its_arrival_falls_in(world: World) -> None:
    from alongside.volunteers.tests.factories import make_campaign

    today = timezone.localdate()
    make_campaign(group=world.norcal, starts_on=today, ends_on=today + dt.timedelta(days=30))
    harvest = make_campaign(
        group=world.norcal,
        starts_on=today + dt.timedelta(days=31),
        ends_on=today + dt.timedelta(days=90),
    )
    make_campaign(group=world.london, starts_on=today, ends_on=today + dt.timedelta(days=90))
    client = sign_in(Client(), world.applicant)

    client.post("/en/volunteer/apply/", valid_form(world))  # arrives in 40 days

    assert Application.objects.get(user=world.applicant).campaign_period == harvest


def test_an_arrival_outside_every_campaign_joins_none(world: World) -> None:
    from alongside.volunteers.tests.factories import make_campaign

    today = timezone.localdate()
    make_campaign(group=world.norcal, starts_on=today, ends_on=today + dt.timedelta(days=30))
    sign_in(Client(), world.applicant).post("/en/volunteer/apply/", valid_form(world))
    assert Application.objects.get(user=world.applicant).campaign_period is None
