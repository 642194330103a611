"""Screening one application: /<lang>/manage/<group>/pipeline/<id>/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from alongside.lib.models import AuditEntry
from alongside.volunteers.models import Application, ScreeningNote, Stage, StageChange
from alongside.volunteers.tests.factories import make_application
from conftest import World, sign_in


def _url(application: Application) -> str:
    return f"/en/manage/northern-california/pipeline/{application.pk}/"


@pytest.fixture
def application(world: World) -> Application:
    return make_application(
        group=world.norcal,
        stage=Stage.RECEIVED,
        full_name="Noor Haddad",
        phone="+1 555 0100",
        motivation="To stand with farmers at harvest.",
        arrival_on=dt.date(2027, 10, 1),
        departure_on=dt.date(2027, 10, 30),
        references=2,
    )


def test_the_core_member_reads_the_application_and_the_read_is_audited(
    world: World, application: Application
) -> None:
    response = sign_in(Client(), world.core).get(_url(application))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Noor Haddad" in html and "+1 555 0100" in html and "To stand with farmers" in html
    assert "Referee 1" in html and "Not requested yet" in html
    entry = AuditEntry.objects.get(action="read", target_type="volunteers.application")
    assert entry.actor_id == world.core.pk and entry.target_id == str(application.pk)


def test_the_core_member_works_in_arabic_too(world: World, application: Application) -> None:
    response = sign_in(Client(), world.core).get(_url(application).replace("/en/", "/ar/"))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "applicant"])
def test_anyone_but_the_groups_core_members_gets_404(
    world: World, application: Application, persona: str
) -> None:
    client = sign_in(Client(), world.persona(persona))
    assert client.get(_url(application)).status_code == 404
    assert client.post(_url(application), {"do": "accept"}).status_code == 404
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED


def test_an_anonymous_visitor_is_sent_to_sign_in(world: World, application: Application) -> None:
    response = Client().post(_url(application), {"do": "accept"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_groups_application_is_not_found(world: World) -> None:
    theirs = make_application(group=world.london)
    response = sign_in(Client(), world.core).get(_url(theirs))
    assert response.status_code == 404


def test_a_draft_is_not_the_groups_to_see(world: World) -> None:
    draft = make_application(group=world.norcal, stage=Stage.DRAFT)
    assert sign_in(Client(), world.core).get(_url(draft)).status_code == 404


# --- owner and due date ------------------------------------------------------------------------


def test_assigning_an_owner_and_a_due_date(world: World, application: Application) -> None:
    due = timezone.localdate() + dt.timedelta(days=5)
    response = sign_in(Client(), world.core).post(
        _url(application),
        {"do": "assign", "assign-owner": world.core.pk, "assign-due_on": due.isoformat()},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.owner == world.core and application.step_due_on == due
    entry = AuditEntry.objects.get(action="update")
    assert entry.detail == {"fields": ["owner", "step_due_on"]}


def test_only_a_core_member_of_the_group_can_own_a_step(
    world: World, application: Application
) -> None:
    response = sign_in(Client(), world.core).post(
        _url(application),
        {"do": "assign", "assign-owner": world.volunteer.pk, "assign-due_on": "2099-01-01"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'value="2099-01-01"' in response.content.decode()
    application.refresh_from_db()
    assert application.owner is None


def test_a_due_date_in_the_past_is_refused(world: World, application: Application) -> None:
    response = sign_in(Client(), world.core).post(
        _url(application), {"do": "assign", "assign-owner": "", "assign-due_on": "2001-01-01"}
    )
    assert "Choose today or a later day." in response.content.decode()
    assert 'value="2001-01-01"' in response.content.decode()


# --- interview ---------------------------------------------------------------------------------


def test_scheduling_the_interview_moves_a_received_application_to_interview(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    at = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(Client(), world.core).post(
            _url(application), {"do": "interview", "interview-at": at}
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW and application.interview_at is not None
    # The applicant is told there is news: a first name and a link, nothing more.
    (message,) = mail.outbox
    assert message.to == [application.user.email]
    assert "Noor Haddad" not in message.body and "interview" not in message.body.lower()
    assert "/en/volunteer/" in message.body


def test_an_interview_time_in_the_past_is_refused(world: World, application: Application) -> None:
    response = sign_in(Client(), world.core).post(
        _url(application), {"do": "interview", "interview-at": "2001-05-01T10:00"}
    )
    assert "Choose a time that is still to come." in response.content.decode()
    assert "2001-05-01T10:00" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED


def test_the_interview_outcome_is_encrypted_at_rest(world: World, application: Application) -> None:
    sign_in(Client(), world.core).post(
        _url(application), {"do": "outcome", "outcome-outcome": "Calm under pressure."}
    )

    application.refresh_from_db()
    assert application.interview_outcome == "Calm under pressure."
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT interview_outcome FROM volunteers_application WHERE id = %s", [application.pk]
        )
        (raw,) = cursor.fetchone()
    assert "Calm" not in raw


def test_an_empty_outcome_is_refused_with_a_message(world: World, application: Application) -> None:
    response = sign_in(Client(), world.core).post(
        _url(application), {"do": "outcome", "outcome-outcome": ""}
    )
    assert "Write what came out of the interview." in response.content.decode()


# --- stages and the decision -------------------------------------------------------------------


def test_accepting_sends_the_applicant_to_training(world: World) -> None:
    application = make_application(group=world.norcal, stage=Stage.INTERVIEW)
    response = sign_in(Client(), world.core).post(_url(application), {"do": "accept"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.TRAINING
    assert StageChange.objects.get(application=application).actor == world.core


def test_moving_to_a_stage_that_does_not_follow_is_refused_with_a_message(
    world: World, application: Application
) -> None:
    client = sign_in(Client(), world.core)
    response = client.post(_url(application), {"do": "move", "to_stage": "in_field"}, follow=True)

    assert "not possible from the application" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED


def test_moving_to_the_next_allowed_stage(world: World, application: Application) -> None:
    sign_in(Client(), world.core).post(_url(application), {"do": "move", "to_stage": "references"})
    application.refresh_from_db()
    assert application.stage == Stage.REFERENCES


def test_declining_needs_a_reason_which_is_kept_encrypted(
    world: World, application: Application
) -> None:
    client = sign_in(Client(), world.core)
    refused = client.post(_url(application), {"do": "decline", "decline-reason": ""})
    assert "Give the reason for declining." in refused.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED

    client.post(_url(application), {"do": "decline", "decline-reason": "Not ready yet."})

    application.refresh_from_db()
    assert application.stage == Stage.DECLINED
    assert application.decision_reason == "Not ready yet."
    raw = Application.objects.filter(pk=application.pk).values_list("decision_reason", flat=True)
    assert "Not ready" not in raw[0]


# --- notes -------------------------------------------------------------------------------------


def test_a_note_is_encrypted_at_rest_and_each_reading_of_it_is_audited(
    world: World, application: Application
) -> None:
    client = sign_in(Client(), world.core)
    client.post(_url(application), {"do": "note", "note-body": "Spoke warmly of the farmers."})
    client.post(_url(application), {"do": "note", "note-body": "Second thought."})
    notes = list(ScreeningNote.objects.order_by("pk"))
    assert [n.body for n in notes] == ["Spoke warmly of the farmers.", "Second thought."]
    raw = ScreeningNote.objects.values_list("body", flat=True)
    assert all("farmers" not in value and "thought" not in value for value in raw)

    response = client.get(_url(application))
    client.get(_url(application))

    assert "Spoke warmly of the farmers." in response.content.decode()
    reads = AuditEntry.objects.filter(action="read", target_type="volunteers.screeningnote")
    assert sorted(reads.values_list("target_id", flat=True)) == sorted(
        [str(n.pk) for n in notes] * 2
    )
    assert set(reads.values_list("actor_id", flat=True)) == {world.core.pk}


def test_an_empty_note_is_refused(world: World, application: Application) -> None:
    response = sign_in(Client(), world.core).post(
        _url(application), {"do": "note", "note-body": ""}
    )
    assert "Write the note first." in response.content.decode()
    assert not ScreeningNote.objects.exists()


def test_another_groups_core_member_cannot_add_notes(
    world: World, application: Application
) -> None:
    response = sign_in(Client(), world.outsider).post(
        _url(application), {"do": "note", "note-body": "Snooping."}
    )
    assert response.status_code == 404
    assert not ScreeningNote.objects.exists()


def test_the_country_and_languages_are_shown_by_name_in_the_readers_language(
    client: Client, world: World
) -> None:
    application = make_application(
        user=world.applicant, group=world.norcal, stage=Stage.RECEIVED, country="US",
        languages=["en", "es"],
    )  # fmt: skip
    sign_in(client, world.core)
    english = client.get(f"/en/manage/northern-california/pipeline/{application.pk}/")
    assert "United States" in english.content.decode()
    assert "English, Spanish" in english.content.decode()
    arabic = client.get(f"/ar/manage/northern-california/pipeline/{application.pk}/")
    assert "الولايات المتّحدة" in arabic.content.decode()


def test_a_decline_reason_is_kept_when_the_application_moved_on_meanwhile(
    client: Client, world: World
) -> None:
    from unittest import mock

    from alongside.volunteers.actions.stages import StageError

    application = make_application(user=world.applicant, group=world.norcal, stage=Stage.INTERVIEW)
    sign_in(client, world.core)
    typed = "Several references did not answer."
    # Another core member moved it on between the page and this click.
    with mock.patch(
        "alongside.volunteers.actions.screening.change_stage", side_effect=StageError("moved")
    ):
        response = client.post(_url(application), {"do": "decline", "decline-reason": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "not possible from the application" in html
    assert typed in html
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
