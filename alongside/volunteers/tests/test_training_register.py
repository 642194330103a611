"""A volunteer registers for a training of their group: a place, or the waiting list when it is
full; a place freed by someone cancelling goes to the first person waiting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.lib.models import AuditEntry
from alongside.movement.models import Principle, PrinciplesVersion
from alongside.volunteers.models import (
    Application,
    PrinciplesAgreement,
    RegistrationStatus,
    Stage,
    Training,
    TrainingRegistration,
)
from alongside.volunteers.tests.factories import make_application, make_training
from conftest import World, sign_in

LIST = "/en/volunteer/trainings/"


def register_url(training: Training) -> str:
    return f"/en/volunteer/trainings/{training.pk}/register/"


def cancel_url(training: Training) -> str:
    return f"/en/volunteer/trainings/{training.pk}/cancel/"


@pytest.fixture
def accepted(world: World) -> Application:
    """Vera's application to Northern California, accepted: she is at the training stage."""
    return make_application(user=world.volunteer, group=world.norcal, stage=Stage.TRAINING)


@pytest.fixture
def volunteer_client(client: Client, world: World, accepted: Application) -> Client:
    return sign_in(client, world.volunteer, second_factor=False)


def fill(training: Training, count: int, status: str = RegistrationStatus.REGISTERED) -> list[Any]:
    return [
        TrainingRegistration.objects.create(
            training=training,
            application=make_application(group=training.group, stage=Stage.TRAINING),
            status=status,
        )
        for _ in range(count)
    ]


def test_the_volunteer_sees_the_upcoming_trainings_of_their_group(
    volunteer_client: Client, world: World
) -> None:
    make_training(group=world.norcal, title_en="Spring training")
    before = timezone.now() - dt.timedelta(days=3)
    make_training(
        group=world.norcal,
        title_en="Old training",
        starts_at=before,
        ends_at=before + dt.timedelta(hours=4),
    )
    make_training(group=world.london, title_en="London training")
    text = volunteer_client.get(LIST).content.decode()
    assert "Spring training" in text
    assert "Old training" not in text and "London training" not in text


def test_the_list_takes_as_many_queries_for_many_trainings_as_for_one(
    volunteer_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    fill(make_training(group=world.norcal), 2)
    volunteer_client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        volunteer_client.get(LIST)
    for _ in range(5):
        training = make_training(group=world.norcal)
        fill(training, 2)
        fill(training, 1, RegistrationStatus.WAITLISTED)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert volunteer_client.get(LIST).status_code == 200


def test_an_applicant_not_yet_accepted_is_told_to_wait(client: Client, world: World) -> None:
    make_application(user=world.applicant, group=world.norcal, stage=Stage.INTERVIEW)
    training = make_training(group=world.norcal, title_en="Spring training")
    sign_in(client, world.applicant, second_factor=False)
    text = client.get(LIST).content.decode()
    assert "once your group has accepted your application" in text
    assert "Spring training" not in text
    assert client.post(register_url(training)).status_code == 404
    assert not TrainingRegistration.objects.exists()


def test_the_volunteer_registers_for_a_training(
    volunteer_client: Client, world: World, accepted: Application
) -> None:
    training = make_training(group=world.norcal)
    response = volunteer_client.post(register_url(training), follow=True)
    assert "You are registered for the training." in response.content.decode()
    registration = TrainingRegistration.objects.get(training=training, application=accepted)
    assert registration.status == RegistrationStatus.REGISTERED
    assert AuditEntry.objects.about(registration).filter(action="register").exists()


def test_a_ready_volunteer_may_register_too(client: Client, world: World) -> None:
    make_application(user=world.volunteer, group=world.norcal, stage=Stage.READY)
    training = make_training(group=world.norcal)
    sign_in(client, world.volunteer, second_factor=False)
    client.post(register_url(training))
    assert TrainingRegistration.objects.get().status == RegistrationStatus.REGISTERED


def test_registering_twice_keeps_one_registration(volunteer_client: Client, world: World) -> None:
    training = make_training(group=world.norcal)
    volunteer_client.post(register_url(training))
    response = volunteer_client.post(register_url(training), follow=True)
    assert "already registered" in response.content.decode()
    assert TrainingRegistration.objects.count() == 1


def test_a_full_training_puts_the_volunteer_on_the_waiting_list(
    volunteer_client: Client, world: World
) -> None:
    training = make_training(group=world.norcal, capacity=2)
    fill(training, 2)
    assert "Join the waiting list" in volunteer_client.get(LIST).content.decode()
    response = volunteer_client.post(register_url(training), follow=True)
    assert "you are on the waiting list" in response.content.decode()
    mine = TrainingRegistration.objects.get(application__user=world.volunteer)
    assert mine.status == RegistrationStatus.WAITLISTED


def test_the_arabic_page_says_so_in_arabic(volunteer_client: Client, world: World) -> None:
    training = make_training(group=world.norcal, capacity=1)
    fill(training, 1)
    response = volunteer_client.post(
        f"/ar/volunteer/trainings/{training.pk}/register/", follow=True
    )
    assert response.status_code == 200
    assert 'lang="ar"' in response.content.decode()
    assert TrainingRegistration.objects.get(application__user=world.volunteer).status == (
        RegistrationStatus.WAITLISTED
    )


def test_cancelling_moves_the_first_person_waiting_up_and_emails_them(
    client: Client,
    world: World,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    training = make_training(group=world.norcal, capacity=1)
    make_application(user=world.volunteer, group=world.norcal, stage=Stage.TRAINING)
    sign_in(client, world.volunteer, second_factor=False)
    client.post(register_url(training))
    first, second = fill(training, 2, RegistrationStatus.WAITLISTED)
    second.registered_at = timezone.now() + dt.timedelta(minutes=5)
    second.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(training), follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    statuses = {
        r.application.user: r.status
        for r in TrainingRegistration.objects.select_related("application__user")
    }
    assert statuses[world.volunteer] == RegistrationStatus.CANCELLED
    assert statuses[first.application.user] == RegistrationStatus.REGISTERED
    assert statuses[second.application.user] == RegistrationStatus.WAITLISTED
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [first.application.user.email]
    # A first name and a link: not the training, its place or its date.
    assert "/en/volunteer/trainings/" in email.body
    assert "Two-day training" not in email.body + email.subject
    assert "Oakland" not in email.body


def test_leaving_the_waiting_list_moves_nobody_up(
    volunteer_client: Client, world: World, mailoutbox: list[Any]
) -> None:
    training = make_training(group=world.norcal, capacity=1)
    (taken,) = fill(training, 1)
    volunteer_client.post(register_url(training))
    volunteer_client.post(cancel_url(training))
    taken.refresh_from_db()
    assert taken.status == RegistrationStatus.REGISTERED
    assert TrainingRegistration.objects.filter(status=RegistrationStatus.CANCELLED).count() == 1
    assert not mailoutbox


def test_nobody_jumps_the_queue_of_people_waiting(volunteer_client: Client, world: World) -> None:
    training = make_training(group=world.norcal, capacity=1)
    volunteer_client.post(register_url(training))
    volunteer_client.post(cancel_url(training))
    # Someone already waits for the place (moved up by a core member's edit, say).
    fill(training, 1, RegistrationStatus.WAITLISTED)
    volunteer_client.post(register_url(training))
    mine = TrainingRegistration.objects.get(application__user=world.volunteer)
    assert mine.status == RegistrationStatus.WAITLISTED


def test_cancelling_needs_a_registration(volunteer_client: Client, world: World) -> None:
    training = make_training(group=world.norcal)
    assert volunteer_client.post(cancel_url(training)).status_code == 404


def test_registering_needs_login(client: Client, world: World) -> None:
    training = make_training(group=world.norcal)
    for url in (LIST, register_url(training), cancel_url(training)):
        response = client.post(url) if url != LIST else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")
    assert not TrainingRegistration.objects.exists()


def test_another_groups_training_is_not_found(volunteer_client: Client, world: World) -> None:
    london = make_training(group=world.london)
    assert volunteer_client.post(register_url(london)).status_code == 404
    assert volunteer_client.post(cancel_url(london)).status_code == 404
    assert not TrainingRegistration.objects.exists()


def test_someone_elses_registration_cannot_be_cancelled(client: Client, world: World) -> None:
    training = make_training(group=world.norcal)
    (theirs,) = fill(training, 1)
    sign_in(client, world.outsider)
    assert client.post(cancel_url(training)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RegistrationStatus.REGISTERED


def test_a_training_that_has_started_takes_no_registrations(
    volunteer_client: Client, world: World
) -> None:
    start = timezone.now() - dt.timedelta(hours=1)
    training = make_training(
        group=world.norcal, starts_at=start, ends_at=start + dt.timedelta(hours=5)
    )
    response = volunteer_client.post(register_url(training), follow=True)
    assert "already started" in response.content.decode()
    assert not TrainingRegistration.objects.exists()


def test_a_new_version_of_the_principles_must_be_agreed_to_first(
    volunteer_client: Client, world: World
) -> None:
    training = make_training(group=world.norcal)
    first = PrinciplesVersion.objects.create(group=world.norcal, number=1)
    PrinciplesAgreement.objects.create(user=world.volunteer, version=first)
    volunteer_client.post(register_url(training))
    assert TrainingRegistration.objects.count() == 1
    TrainingRegistration.objects.all().delete()

    second = PrinciplesVersion.objects.create(group=world.norcal, number=2)
    Principle.objects.create(version=second, position=1, title_en="Consensus", text_en="All.")
    page = volunteer_client.get(LIST).content.decode()
    assert "Please agree to it before you register." in page
    response = volunteer_client.post(register_url(training), follow=True)
    text = response.content.decode()
    assert "Please agree to the current principles before you register." in text
    assert 'href="/en/volunteer/principles/"' in text
    assert not TrainingRegistration.objects.exists()


def test_the_arabic_list_shows_the_arabic_titles(volunteer_client: Client, world: World) -> None:
    make_training(group=world.norcal)
    response = volunteer_client.get("/ar/volunteer/trainings/")
    assert response.status_code == 200
    assert "تدريب لمدة يومين" in response.content.decode()


def test_an_accepted_volunteers_page_links_to_the_trainings(client: Client, world: World) -> None:
    make_application(user=world.volunteer, group=world.norcal, stage="training")
    sign_in(client, world.volunteer, second_factor=False)
    html = client.get("/en/volunteer/").content.decode()
    assert 'href="/en/volunteer/trainings/"' in html


def test_the_board_links_to_the_groups_trainings(client: Client, world: World) -> None:
    sign_in(client, world.core)
    html = client.get("/en/manage/northern-california/pipeline/").content.decode()
    assert 'href="/en/manage/northern-california/pipeline/trainings/"' in html
