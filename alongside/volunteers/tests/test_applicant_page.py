"""My page and what hangs off it: the presence window, withdrawing, report-backs, the export of
one's data and the request to delete it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alongside.lib.models import AuditEntry
from alongside.movement.models import Membership, Page, Role
from alongside.volunteers.models import (
    Application,
    PrinciplesAgreement,
    Qualification,
    QualificationKind,
    ReportBack,
    Stage,
    StageChange,
    Training,
    TrainingRegistration,
)
from alongside.volunteers.tests.factories import make_application
from conftest import World, sign_in

TODAY = timezone.localdate


def days(n: int) -> dt.date:
    return TODAY() + dt.timedelta(days=n)


def applied(world: World, stage: str = Stage.RECEIVED, **fields: Any) -> Application:
    values: dict[str, Any] = {
        "full_name": "Ali Applicant-Haddad",
        "phone": "+1 415 555 0100",
        "emergency_contact_name": "Rana Haddad",
        "arrival_on": days(40),
        "departure_on": days(70),
    }
    values.update(fields)
    return make_application(user=world.applicant, group=world.norcal, stage=stage, references=2,
                            **values)  # fmt: skip


# --- my page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_person_without_an_application_is_invited_to_apply(world: World, lang: str) -> None:
    response = sign_in(Client(), world.applicant).get(f"/{lang}/volunteer/")

    assert response.status_code == 200
    assert f'href="/{lang}/volunteer/apply/"' in response.content.decode()


def test_my_page_needs_sign_in(db: Any) -> None:
    response = Client().get("/en/volunteer/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_my_page_shows_the_stage_what_comes_next_and_the_history(world: World, lang: str) -> None:
    application = applied(world, stage=Stage.INTERVIEW)
    StageChange.objects.create(application=application, from_stage="draft", to_stage="received")
    StageChange.objects.create(application=application, from_stage="received", to_stage="interview")

    response = sign_in(Client(), world.applicant).get(f"/{lang}/volunteer/")

    html = response.content.decode()
    assert response.status_code == 200
    if lang == "en":
        assert "Next: an interview with a core member of the group." in html
        assert "Received" in html and "Interview" in html
    assert html.count("<time") >= 2
    assert days(40).strftime("%Y") in html  # the presence window, decrypted for its owner


def test_my_page_links_the_code_of_conduct_and_safe_space_policy_where_they_exist(
    world: World,
) -> None:
    applied(world)
    Page.objects.create(group=world.field_team, slug="code-of-conduct", title_en="Code of conduct")
    client = sign_in(Client(), world.applicant)

    html = client.get("/en/volunteer/").content.decode()

    assert 'href="/en/groups/palestine/pages/code-of-conduct/"' in html
    assert "/pages/safe-space/" not in html  # the policy page, absent here


def test_my_page_answers_in_the_same_number_of_queries_however_long_the_history(
    world: World, django_assert_max_num_queries: Any
) -> None:
    application = applied(world, stage=Stage.TRAINING)
    kind = QualificationKind.objects.create(slug="legal-briefing-test", name_en="Legal")
    client = sign_in(Client(), world.applicant)

    def grow(n: int) -> None:
        for i in range(n):
            StageChange.objects.create(application=application, from_stage="a", to_stage="b")
            training = Training.objects.create(
                group=world.norcal, qualification=kind, title_en=f"Training {i}",
                starts_at=timezone.now() + dt.timedelta(days=i + 1),
                ends_at=timezone.now() + dt.timedelta(days=i + 2), capacity=10,
            )  # fmt: skip
            TrainingRegistration.objects.create(
                training=training, application=application, status="registered"
            )
            Qualification.objects.create(user=world.applicant, kind=kind, training=training)

    grow(1)
    client.get("/en/volunteer/")  # warm the session and caches
    with django_assert_max_num_queries(20) as few:
        client.get("/en/volunteer/")
    grow(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/en/volunteer/")
    assert response.content.decode().count("Training ") >= 16


def test_nobody_else_sees_my_application(world: World) -> None:
    applied(world)
    for persona in (world.outsider, world.volunteer, world.core):
        client = sign_in(Client(), persona)
        page = client.get("/en/volunteer/").content.decode()
        assert "Northern California" not in page or persona == world.core
        assert "Ali Applicant-Haddad" not in page
        assert client.get("/en/volunteer/presence/").status_code == 404
        assert client.post("/en/volunteer/withdraw/").status_code == 404
        exported = json.loads(client.get("/en/volunteer/export.json").content)
        assert exported["applications"] == []


# --- presence window ---------------------------------------------------------------------------


def test_the_presence_window_can_be_moved_and_the_change_is_audited(world: World) -> None:
    application = applied(world)
    client = sign_in(Client(), world.applicant)

    form = client.get("/ar/volunteer/presence/")
    response = client.post(
        "/ar/volunteer/presence/",
        {"arrival_on": days(50).isoformat(), "departure_on": days(90).isoformat()},
    )

    assert form.status_code == 200 and days(40).isoformat() in form.content.decode()
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.arrival_on, application.departure_on) == (days(50), days(90))
    entry = AuditEntry.objects.get(action="update", target_id=str(application.pk))
    assert entry.detail == {"fields": ["arrival_on", "departure_on"]}


def test_a_presence_window_that_ends_before_it_starts_is_refused_keeping_the_input(
    world: World,
) -> None:
    application = applied(world)
    client = sign_in(Client(), world.applicant)

    response = client.post(
        "/en/volunteer/presence/",
        {"arrival_on": days(50).isoformat(), "departure_on": days(45).isoformat()},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The departure must be after the arrival." in html
    assert days(45).isoformat() in html
    application.refresh_from_db()
    assert application.arrival_on == days(40)


def test_a_new_arrival_cannot_be_in_the_past_but_a_recorded_one_can_stay(world: World) -> None:
    applied(world, stage=Stage.IN_FIELD, arrival_on=days(-10), departure_on=days(20))
    client = sign_in(Client(), world.applicant)

    moved = client.post(
        "/en/volunteer/presence/",
        {"arrival_on": days(-11).isoformat(), "departure_on": days(30).isoformat()},
    )
    kept = client.post(
        "/en/volunteer/presence/",
        {"arrival_on": days(-10).isoformat(), "departure_on": days(30).isoformat()},
    )

    assert moved.status_code == 400
    assert "The arrival date cannot be in the past." in moved.content.decode()
    assert kept.status_code == 302


def test_the_presence_window_needs_sign_in(db: Any) -> None:
    response = Client().post("/en/volunteer/presence/", {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- withdrawing -------------------------------------------------------------------------------


def test_withdrawing_asks_first_and_happens_only_on_post(world: World) -> None:
    application = applied(world, stage=Stage.TRAINING)
    client = sign_in(Client(), world.applicant)

    confirm = client.get("/en/volunteer/withdraw/")
    application.refresh_from_db()
    assert confirm.status_code == 200 and application.stage == Stage.TRAINING

    response = client.post("/en/volunteer/withdraw/")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
    assert StageChange.objects.filter(application=application, to_stage="withdrawn").exists()
    assert client.post("/en/volunteer/withdraw/").status_code == 404
    assert "Apply again" in client.get("/en/volunteer/").content.decode()


# --- report-back -------------------------------------------------------------------------------


def test_report_back_is_there_only_after_return(world: World) -> None:
    application = applied(world, stage=Stage.IN_FIELD)
    client = sign_in(Client(), world.applicant)

    assert client.get("/en/volunteer/report-back/").status_code == 404
    assert client.post("/en/volunteer/report-back/", {}).status_code == 404
    Application.objects.filter(pk=application.pk).update(stage=Stage.RETURNED)
    assert client.get("/en/volunteer/report-back/").status_code == 200


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_returned_volunteer_records_a_talk(world: World, lang: str) -> None:
    application = applied(world, stage=Stage.RETURNED)
    client = sign_in(Client(), world.applicant)

    response = client.post(
        f"/{lang}/volunteer/report-back/",
        {"held_on": days(-3).isoformat(), "audience": "Oakland teachers' union",
         "place": "Oakland", "size": "40"},
    )  # fmt: skip

    assert response.status_code == 302
    report = ReportBack.objects.get(application=application)
    assert (report.audience, report.size) == ("Oakland teachers' union", 40)
    assert "Oakland teachers&#x27; union" in client.get(response["Location"]).content.decode()


def test_a_talk_in_the_future_or_to_nobody_is_refused_keeping_the_input(world: World) -> None:
    applied(world, stage=Stage.RETURNED)
    client = sign_in(Client(), world.applicant)

    response = client.post(
        "/en/volunteer/report-back/",
        {"held_on": days(3).isoformat(), "audience": "Church hall", "place": "Davis",
         "size": "0"},
    )  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 400
    assert "Record talks and events once they have taken place." in html
    assert "size" in html and "errorlist" in html
    assert 'value="Church hall"' in html and 'value="Davis"' in html
    assert not ReportBack.objects.exists()


# --- the person's data ------------------------------------------------------------------------


def test_the_export_holds_my_data_decrypted_and_nothing_of_anyone_else(world: World) -> None:
    application = applied(world, stage=Stage.RETURNED)
    ReportBack.objects.create(
        application=application, held_on=days(-1), audience="Library", place="Davis", size=12
    )
    reference = application.references.get(position=1)
    reference.comments = "A confidential word from the referee"
    reference.save()
    make_application(user=world.volunteer, group=world.norcal, full_name="Vera Someone-Else")
    client = sign_in(Client(), world.applicant)

    response = client.get("/en/volunteer/export.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "applicant@example.org"
    [exported] = data["applications"]
    assert exported["full_name"] == "Ali Applicant-Haddad"
    assert exported["emergency_contact_name"] == "Rana Haddad"
    assert exported["arrival_on"] == days(40).isoformat()
    assert [r["name"] for r in exported["references"]] == ["Referee 1", "Referee 2"]
    assert exported["report_backs"][0]["audience"] == "Library"
    text = response.content.decode()
    assert "Vera Someone-Else" not in text
    assert "volunteer@example.org" not in text
    assert "confidential word" not in text  # the referee's answer is the referee's
    assert AuditEntry.objects.filter(action="export", actor_id=world.applicant.pk).exists()


def test_the_export_needs_sign_in(db: Any) -> None:
    response = Client().get("/en/volunteer/export.json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deletion_request_tells_the_core_members_without_naming_anyone(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    applied(world)
    other_core = Membership.objects.create(group=world.norcal, user=world.volunteer, role=Role.CORE)
    client = sign_in(Client(), world.applicant)

    confirm = client.get("/en/volunteer/delete/")
    assert confirm.status_code == 200 and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/volunteer/delete/")

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([other_core.user.email, world.core.email])
    for message in mail.outbox:
        assert "Ali" not in message.body and "Haddad" not in message.body
        assert "applicant@example.org" not in f"{message.subject} {message.body}"
        assert "/en/manage/northern-california/" in message.body
    assert world.outsider.email not in [m.to[0] for m in mail.outbox]
    assert AuditEntry.objects.filter(
        action="deletion_requested", actor_id=world.applicant.pk
    ).exists()
    assert "Your request is recorded." in client.get("/en/volunteer/").content.decode()


def test_a_deletion_request_needs_a_post_and_sign_in(world: World) -> None:
    applied(world)

    assert Client().post("/en/volunteer/delete/").status_code == 302
    assert not mail.outbox
    assert not AuditEntry.objects.filter(action="deletion_requested").exists()


def test_an_agreement_shows_in_the_export(world: World) -> None:
    from alongside.movement.models import PrinciplesVersion

    applied(world)
    version = PrinciplesVersion.objects.create(group=world.field_team, number=1)
    PrinciplesAgreement.objects.create(user=world.applicant, version=version)

    data = json.loads(sign_in(Client(), world.applicant).get("/en/volunteer/export.json").content)

    assert data["principles_agreements"][0]["version"] == 1


def test_the_volunteer_chooses_to_stay_in_touch_and_changes_their_mind(
    client: Client, world: World
) -> None:
    application = make_application(user=world.volunteer, group=world.norcal, stage=Stage.READY)
    sign_in(client, world.volunteer, second_factor=False)
    assert "Keep my data to stay in touch" in client.get("/en/volunteer/").content.decode()
    client.post("/en/volunteer/stay-in-touch/", {"stay": "yes"})
    application.refresh_from_db()
    assert application.stay_in_touch
    client.post("/en/volunteer/stay-in-touch/", {"stay": "no"})
    application.refresh_from_db()
    assert not application.stay_in_touch
    assert AuditEntry.objects.filter(action="update", detail__fields=["stay_in_touch"]).count() == 2
    assert client.get("/en/volunteer/stay-in-touch/").status_code == 405


def test_someone_without_an_application_cannot_choose(client: Client, world: World) -> None:
    sign_in(client, world.applicant, second_factor=False)
    assert client.post("/en/volunteer/stay-in-touch/", {"stay": "yes"}).status_code == 404


def test_a_returned_volunteer_can_still_choose_to_stay_in_touch(
    client: Client, world: World
) -> None:
    application = make_application(
        user=world.volunteer, group=world.norcal, stage=Stage.RETURNED, returned_on=days(-5)
    )
    sign_in(client, world.volunteer, second_factor=False)
    assert "Keep my data to stay in touch" in client.get("/en/volunteer/").content.decode()

    assert client.post("/en/volunteer/stay-in-touch/", {"stay": "yes"}).status_code == 302

    application.refresh_from_db()
    assert application.stay_in_touch
