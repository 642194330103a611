"""Moving an application through the pipeline's stages (`actions/stages.py`)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from alongside.lib.models import AuditEntry
from alongside.movement.models import Principle, PrinciplesVersion
from alongside.volunteers.actions.stages import (
    ALLOWED,
    PrinciplesNotAgreed,
    StageError,
    change_stage,
)
from alongside.volunteers.models import Application, PrinciplesAgreement, Stage, StageChange
from alongside.volunteers.tests.factories import make_application
from conftest import World, make_user, sign_in


def test_an_allowed_step_moves_the_application_records_it_and_audits_it(world: World) -> None:
    application = make_application(group=world.norcal, stage=Stage.RECEIVED, step_due_on=None)

    change_stage(application=application, to_stage=Stage.INTERVIEW, actor=world.core)

    assert application.stage == Stage.INTERVIEW
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor) == (
        Stage.RECEIVED,
        Stage.INTERVIEW,
        world.core,
    )
    entry = AuditEntry.objects.filter(action="stage").get()
    assert entry.target_id == str(application.pk)
    assert entry.detail == {"from": "received", "to": "interview"}


def test_a_step_outside_the_pipeline_is_refused_and_changes_nothing(world: World) -> None:
    application = make_application(group=world.norcal, stage=Stage.RECEIVED)

    with pytest.raises(StageError):
        change_stage(application=application, to_stage=Stage.IN_FIELD, actor=world.core)

    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED
    assert not StageChange.objects.exists()


@pytest.mark.parametrize("closed", [Stage.RETURNED, Stage.WITHDRAWN, Stage.DECLINED])
def test_a_closed_application_moves_no_further(world: World, closed: str) -> None:
    application = make_application(group=world.norcal, stage=closed)
    for stage in Stage:
        with pytest.raises(StageError):
            change_stage(application=application, to_stage=stage, actor=world.core)


def test_declining_and_returning_close_the_application(world: World) -> None:
    declined = make_application(group=world.norcal, stage=Stage.INTERVIEW)
    change_stage(application=declined, to_stage=Stage.DECLINED, actor=world.core)
    assert declined.closed_at is not None

    back = make_application(group=world.norcal, stage=Stage.IN_FIELD)
    change_stage(application=back, to_stage=Stage.RETURNED, actor=world.core)
    assert back.returned_on is not None and back.closed_at is not None


def test_a_new_step_starts_without_the_previous_steps_deadline(world: World) -> None:
    application = make_application(group=world.norcal, stage=Stage.RECEIVED)
    Application.objects.filter(pk=application.pk).update(step_due_on="2020-01-01")

    change_stage(application=application, to_stage=Stage.REFERENCES, actor=world.core)

    assert application.step_due_on is None


def test_every_stage_has_its_allowed_next_steps() -> None:
    assert set(ALLOWED) == set(Stage)
    for stage, following in ALLOWED.items():
        assert stage not in following


@pytest.mark.django_db(transaction=True)
def test_two_core_members_accepting_at_once_move_the_application_only_once() -> None:
    """Two core members press "accept" on the same application at the same moment: one moves
    it to training, the other is told the move is no longer possible; one step is recorded."""
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    from alongside.movement.models import Group, GroupKind

    group = Group.objects.create(slug="race", kind=GroupKind.SUPPORT, name_en="Race")
    first = make_user("first@example.org", "First Core")
    second = make_user("second@example.org", "Second Core")
    application = make_application(group=group, stage=Stage.INTERVIEW)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(actor: Any) -> None:
        try:
            barrier.wait()
            try:
                change_stage(
                    application=Application.objects.get(pk=application.pk),
                    to_stage=Stage.TRAINING,
                    actor=actor,
                    notify=False,
                )
                outcome = "moved"
            except StageError:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(who,)) for who in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["moved", "refused"]
    assert StageChange.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.stage == Stage.TRAINING


def _movement_principles(world: World) -> PrinciplesVersion:
    version = PrinciplesVersion.objects.create(group=world.field_team, number=1)
    Principle.objects.create(version=version, position=1, title_en="Nonviolence", text_en="No.")
    return version


def test_accepting_a_volunteer_waits_for_their_agreement_to_the_current_principles(
    world: World,
) -> None:
    version = _movement_principles(world)
    application = make_application(user=world.applicant, group=world.norcal, stage=Stage.INTERVIEW)

    with pytest.raises(PrinciplesNotAgreed):
        change_stage(application=application, to_stage=Stage.TRAINING, actor=world.core)
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    # Declining or withdrawing never waits.
    PrinciplesAgreement.objects.create(user=world.applicant, version=version)
    change_stage(application=application, to_stage=Stage.TRAINING, actor=world.core)
    assert application.stage == Stage.TRAINING


def test_the_screening_page_says_the_applicant_must_agree_first(client: Any, world: World) -> None:
    _movement_principles(world)
    application = make_application(user=world.applicant, group=world.norcal, stage=Stage.INTERVIEW)
    sign_in(client, world.core)
    url = f"/en/manage/northern-california/pipeline/{application.pk}/"
    response = client.post(url, {"do": "accept"}, follow=True)
    assert "must first agree to version 1 of the principles" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW


@pytest.mark.parametrize("closing", [Stage.WITHDRAWN, Stage.DECLINED])
def test_closing_an_application_frees_its_training_place_for_the_first_person_waiting(
    world: World, closing: str, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from django.core import mail
    from django.utils import timezone

    from alongside.volunteers.models import RegistrationStatus, TrainingRegistration
    from alongside.volunteers.tests.factories import make_training

    leaving = make_application(group=world.norcal, stage=Stage.TRAINING)
    waiting = make_application(group=world.norcal, stage=Stage.TRAINING)
    training = make_training(group=world.norcal, capacity=1)
    begun = make_training(
        group=world.norcal,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=5),
    )
    place = TrainingRegistration.objects.create(
        training=training, application=leaving, status=RegistrationStatus.REGISTERED
    )
    queued = TrainingRegistration.objects.create(
        training=training, application=waiting, status=RegistrationStatus.WAITLISTED
    )
    attending = TrainingRegistration.objects.create(
        training=begun, application=leaving, status=RegistrationStatus.REGISTERED
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change_stage(application=leaving, to_stage=closing, actor=world.core)

    place.refresh_from_db()
    queued.refresh_from_db()
    attending.refresh_from_db()
    assert place.status == RegistrationStatus.CANCELLED
    assert queued.status == RegistrationStatus.REGISTERED
    # A training under way keeps its record of who was there.
    assert attending.status == RegistrationStatus.REGISTERED
    assert AuditEntry.objects.filter(action="promote").count() == 1
    assert [waiting.user.email] in [message.to for message in mail.outbox]
