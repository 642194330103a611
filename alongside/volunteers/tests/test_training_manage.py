"""The group's training screens: sessions, registrations in order, attendance on the day and
the qualifications granted on completion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.lib.models import AuditEntry
from alongside.movement.models import Membership, Role
from alongside.volunteers.models import (
    Qualification,
    QualificationKind,
    RegistrationStatus,
    Stage,
    Training,
    TrainingRegistration,
)
from alongside.volunteers.tests.factories import make_applicant, make_application, make_training
from conftest import World, sign_in

BASE = "/en/manage/northern-california/pipeline/trainings"


@pytest.fixture
def core_client(client: Client, world: World) -> Client:
    return sign_in(client, world.core)


@pytest.fixture
def first_aid() -> QualificationKind:
    return QualificationKind.objects.get(slug="first-aid")  # valid for 730 days


def training_data(world: World, **changes: Any) -> dict[str, Any]:
    kind = QualificationKind.objects.get(slug="two-day-training")
    data: dict[str, Any] = {
        "title_en": "Two-day training, spring",
        "title_ar": "تدريب لمدة يومين، الربيع",
        "qualification": str(kind.pk),
        "starts_at": "2031-04-12T09:00",
        "ends_at": "2031-04-13T17:00",
        "place": "Oakland, community hall",
        "language": "en",
        "capacity": "12",
        "trainers": [str(world.core.pk)],
    }
    data.update(changes)
    return data


def register(
    training: Training,
    *,
    status: str = RegistrationStatus.REGISTERED,
    attended: bool | None = None,
    user: Any = None,
) -> TrainingRegistration:
    application = make_application(user=user, group=training.group, stage=Stage.TRAINING)
    return TrainingRegistration.objects.create(
        training=training, application=application, status=status, attended=attended
    )


def only_for_core_of_the_group(client: Client, world: World, url: str, method: str = "get") -> None:
    send = getattr(client, method)
    response = send(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    for persona in ("volunteer", "outsider", "applicant", "documenter"):
        sign_in(client, world.persona(persona))
        assert send(url).status_code == 404, persona
        client.logout()


# --- sessions ------------------------------------------------------------------------------


def test_core_member_adds_a_training_with_trainers_from_the_group(
    core_client: Client, world: World
) -> None:
    response = core_client.post(f"{BASE}/new/", training_data(world))
    training = Training.objects.get(group=world.norcal)
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/{training.pk}/"
    assert training.title_ar == "تدريب لمدة يومين، الربيع"
    assert training.capacity == 12
    assert training.starts_at == dt.datetime(2031, 4, 12, 9, tzinfo=dt.UTC)
    assert list(training.trainers.all()) == [world.core]
    assert AuditEntry.objects.about(training).filter(action="create").exists()


def test_the_form_offers_only_the_groups_people_as_trainers(
    core_client: Client, world: World
) -> None:
    text = core_client.get(f"{BASE}/new/").content.decode()
    assert "Vera Volunteer" in text and "Maya Core" in text
    assert "Olle Outsider" not in text
    response = core_client.post(f"{BASE}/new/", training_data(world, trainers=[world.outsider.pk]))
    assert response.status_code == 200
    assert "trainers" in response.context["form"].errors


def test_an_end_before_the_start_is_refused_keeping_what_was_typed(
    core_client: Client, world: World
) -> None:
    response = core_client.post(f"{BASE}/new/", training_data(world, ends_at="2031-04-11T17:00"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "The training must end after it starts." in text
    assert 'value="Two-day training, spring"' in text
    assert 'value="2031-04-11T17:00"' in text
    assert not Training.objects.exists()


def test_a_training_needs_a_place_or_to_be_online(core_client: Client, world: World) -> None:
    response = core_client.post(f"{BASE}/new/", training_data(world, place=""))
    assert "Give the place, or mark the training as online." in response.content.decode()
    response = core_client.post(f"{BASE}/new/", training_data(world, place="", is_online="on"))
    assert response.status_code == 302
    assert Training.objects.get().is_online


def test_a_training_needs_at_least_one_place(core_client: Client, world: World) -> None:
    response = core_client.post(f"{BASE}/new/", training_data(world, capacity="0"))
    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    assert 'value="0"' in response.content.decode()


def test_the_arabic_form_refuses_bad_input_in_arabic_keeping_what_was_typed(
    core_client: Client, world: World
) -> None:
    response = core_client.post(
        "/ar/manage/northern-california/pipeline/trainings/new/",
        training_data(world, title_en="", title_ar="تدريب الإسعافات"),
    )
    assert response.status_code == 200
    assert 'lang="ar"' in response.content.decode()
    assert "title_en" in response.context["form"].errors
    assert 'value="تدريب الإسعافات"' in response.content.decode()


def test_core_member_edits_a_training(core_client: Client, world: World) -> None:
    training = make_training(group=world.norcal)
    url = f"{BASE}/{training.pk}/edit/"
    assert "Two-day training" in core_client.get(url).content.decode()
    response = core_client.post(url, training_data(world, capacity="3", trainers=[]))
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.capacity == 3
    assert training.title_en == "Two-day training, spring"
    entry = AuditEntry.objects.about(training).get(action="update")
    assert "capacity" in entry.detail["fields"]


def test_the_capacity_cannot_fall_below_the_people_registered(
    core_client: Client, world: World
) -> None:
    training = make_training(group=world.norcal, capacity=3)
    for _ in range(3):
        register(training)
    response = core_client.post(f"{BASE}/{training.pk}/edit/", training_data(world, capacity="2"))
    assert response.status_code == 200
    assert "3 people are registered already" in response.content.decode()
    training.refresh_from_db()
    assert training.capacity == 3


def test_more_places_move_people_up_from_the_waiting_list(
    core_client: Client,
    world: World,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    training = make_training(group=world.norcal, capacity=1)
    register(training)
    waiting = register(training, status=RegistrationStatus.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        core_client.post(f"{BASE}/{training.pk}/edit/", training_data(world, capacity="2"))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert [m.to for m in mailoutbox] == [[waiting.application.user.email]]


def test_the_training_screens_are_only_for_the_groups_core(client: Client, world: World) -> None:
    training = make_training(group=world.norcal)
    for url in (
        f"{BASE}/",
        f"{BASE}/new/",
        f"{BASE}/{training.pk}/",
        f"{BASE}/{training.pk}/edit/",
    ):
        only_for_core_of_the_group(client, world, url)
    only_for_core_of_the_group(client, world, f"{BASE}/{training.pk}/attendance/", "post")
    only_for_core_of_the_group(client, world, f"{BASE}/{training.pk}/grant/", "post")


def test_another_groups_training_is_not_found(core_client: Client, world: World) -> None:
    london = make_training(group=world.london)
    for suffix in ("", "edit/", "attendance/"):
        assert core_client.get(f"{BASE}/{london.pk}/{suffix}").status_code == 404
    assert core_client.post(f"{BASE}/{london.pk}/grant/").status_code == 404


# --- lists and pages -----------------------------------------------------------------------


def test_the_list_shows_upcoming_and_past_trainings_with_counts(
    core_client: Client, world: World
) -> None:
    soon = make_training(group=world.norcal, title_en="Legal briefing, May", capacity=1)
    register(soon)
    register(soon, status=RegistrationStatus.WAITLISTED)
    register(soon, status=RegistrationStatus.WAITLISTED)
    register(soon, status=RegistrationStatus.CANCELLED)
    before = timezone.now() - dt.timedelta(days=30)
    make_training(
        group=world.norcal,
        title_en="Winter training",
        starts_at=before,
        ends_at=before + dt.timedelta(hours=8),
    )
    make_training(group=world.london, title_en="London first aid")
    response = core_client.get(f"{BASE}/")
    text = response.content.decode()
    assert "Legal briefing, May" in text and "Winter training" not in text
    assert "London first aid" not in text
    row = response.context["page"].object_list[0]
    assert (row.registered_count, row.waitlisted_count) == (1, 2)
    past = core_client.get(f"{BASE}/?when=past").content.decode()
    assert "Winter training" in past and "Legal briefing, May" not in past


def test_the_list_takes_as_many_queries_for_many_trainings_as_for_one(
    core_client: Client, world: World
) -> None:
    def queries() -> int:
        core_client.get(f"{BASE}/")
        with CaptureQueriesContext(connection) as context:
            assert core_client.get(f"{BASE}/").status_code == 200
        return len(context.captured_queries)

    register(make_training(group=world.norcal))
    one = queries()
    for _ in range(6):
        training = make_training(group=world.norcal)
        register(training)
        register(training, status=RegistrationStatus.WAITLISTED)
    assert queries() == one


def test_the_list_is_paginated(core_client: Client, world: World) -> None:
    for day in range(27):
        start = timezone.now() + dt.timedelta(days=day + 1)
        make_training(group=world.norcal, starts_at=start, ends_at=start + dt.timedelta(hours=3))
    first = core_client.get(f"{BASE}/")
    assert len(first.context["page"].object_list) == 25
    assert "?when=upcoming&amp;page=2" in first.content.decode()
    assert len(core_client.get(f"{BASE}/?page=2").context["page"].object_list) == 2


def test_the_training_page_lists_registrations_and_the_waiting_list_in_order(
    core_client: Client, world: World
) -> None:
    training = make_training(group=world.norcal, capacity=2)
    now = timezone.now()
    names = ["Amal First", "Basil Second", "Carmen Third", "Dara Fourth"]
    for offset, name in enumerate(names):
        status = RegistrationStatus.REGISTERED if offset < 2 else RegistrationStatus.WAITLISTED
        registration = register(training, status=status, user=make_applicant(name=name))
        registration.registered_at = now - dt.timedelta(minutes=10 - offset)
        registration.save()
    response = core_client.get(f"{BASE}/{training.pk}/")
    assert [r.application.user.name for r in response.context["registered"]] == names[:2]
    assert [r.application.user.name for r in response.context["waitlisted"]] == names[2:]
    text = response.content.decode()
    assert text.index("Basil Second") < text.index("Carmen Third") < text.index("Dara Fourth")


# --- attendance and qualifications ----------------------------------------------------------


@pytest.fixture
def todays_training(world: World, first_aid: QualificationKind) -> Training:
    start = timezone.now() - dt.timedelta(hours=2)
    return make_training(
        group=world.norcal,
        qualification=first_aid,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
    )


def test_attendance_is_taken_with_a_checkbox_per_registered_person(
    core_client: Client, world: World, todays_training: Training
) -> None:
    came = register(todays_training)
    missed = register(todays_training)
    waiting = register(todays_training, status=RegistrationStatus.WAITLISTED)
    url = f"{BASE}/{todays_training.pk}/attendance/"
    form = core_client.get(url).context["form"]
    assert set(form.fields) == {f"attended_{came.pk}", f"attended_{missed.pk}"}
    response = core_client.post(url, {f"attended_{came.pk}": "on"})
    assert response.status_code == 302
    came.refresh_from_db()
    missed.refresh_from_db()
    waiting.refresh_from_db()
    assert (came.attended, missed.attended, waiting.attended) == (True, False, None)
    entry = AuditEntry.objects.about(todays_training).get(action="attendance")
    assert entry.detail["present"] == 1


def test_attendance_cannot_be_taken_before_the_day(core_client: Client, world: World) -> None:
    training = make_training(group=world.norcal)
    registration = register(training)
    response = core_client.post(
        f"{BASE}/{training.pk}/attendance/", {f"attended_{registration.pk}": "on"}, follow=True
    )
    assert "Attendance is taken on the day of the training." in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_qualifications_are_granted_to_those_who_came_with_their_expiry(
    core_client: Client, world: World, todays_training: Training
) -> None:
    came = register(todays_training, attended=True)
    register(todays_training, attended=False)
    response = core_client.post(f"{BASE}/{todays_training.pk}/grant/")
    assert response.status_code == 302
    qualification = Qualification.objects.get()
    day = timezone.localdate(todays_training.ends_at)
    assert qualification.user == came.application.user
    assert qualification.training == todays_training
    assert qualification.granted_on == day
    assert qualification.expires_on == day + dt.timedelta(days=730)
    assert AuditEntry.objects.about(todays_training).filter(action="grant").exists()


def test_a_qualification_that_does_not_expire_has_no_expiry(
    core_client: Client, world: World
) -> None:
    start = timezone.now() - dt.timedelta(days=2)
    training = make_training(
        group=world.norcal,
        qualification=QualificationKind.objects.get(slug="two-day-training"),
        starts_at=start,
        ends_at=start + dt.timedelta(days=1),
    )
    register(training, attended=True)
    core_client.post(f"{BASE}/{training.pk}/grant/")
    assert Qualification.objects.get().expires_on is None


def test_granting_twice_grants_nothing_twice(
    core_client: Client, world: World, todays_training: Training
) -> None:
    register(todays_training, attended=True)
    core_client.post(f"{BASE}/{todays_training.pk}/grant/")
    late = register(todays_training, attended=True)
    response = core_client.post(f"{BASE}/{todays_training.pk}/grant/", follow=True)
    assert Qualification.objects.count() == 2
    assert Qualification.objects.filter(user=late.application.user).count() == 1
    core_client.post(f"{BASE}/{todays_training.pk}/grant/")
    assert Qualification.objects.count() == 2
    assert "Qualifications granted: 1." in response.content.decode()


def test_qualifications_are_not_granted_before_the_training(
    core_client: Client, world: World
) -> None:
    training = make_training(group=world.norcal)
    register(training, attended=True)
    core_client.post(f"{BASE}/{training.pk}/grant/")
    assert not Qualification.objects.exists()


def test_the_member_list_of_trainers_includes_members_added_later(
    core_client: Client, world: World
) -> None:
    newcomer = make_applicant(name="Tala Trainer")
    Membership.objects.create(group=world.norcal, user=newcomer, role=Role.MEMBER)
    assert "Tala Trainer" in core_client.get(f"{BASE}/new/").content.decode()


def test_the_training_screens_answer_in_arabic(core_client: Client, world: World) -> None:
    training = make_training(group=world.norcal, language="ar")
    register(training)
    base = "/ar/manage/northern-california/pipeline/trainings"
    for url in (f"{base}/", f"{base}/{training.pk}/", f"{base}/{training.pk}/edit/"):
        response = core_client.get(url)
        assert response.status_code == 200, url
        assert 'lang="ar"' in response.content.decode()
    assert "تدريب لمدة يومين" in core_client.get(f"{base}/{training.pk}/").content.decode()
