"""Capacity holds when many people register for the last place at the same moment, on SQLite
(IMMEDIATE transactions) and on PostgreSQL (a row lock on the training)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from alongside.volunteers.actions.training import register_for_training
from alongside.volunteers.models import RegistrationStatus, Stage, TrainingRegistration
from alongside.volunteers.tests.factories import make_application, make_training
from conftest import World


@pytest.mark.django_db(transaction=True)
def test_eight_people_racing_for_the_last_place_get_one_place_and_seven_waits(
    world: World,
) -> None:
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    training = make_training(group=world.norcal, capacity=3)
    for _ in range(2):
        TrainingRegistration.objects.create(
            training=training,
            application=make_application(group=world.norcal, stage=Stage.TRAINING),
            status=RegistrationStatus.REGISTERED,
        )
    racers = [make_application(group=world.norcal, stage=Stage.TRAINING) for _ in range(8)]
    barrier = threading.Barrier(len(racers))
    lock = threading.Lock()
    statuses: list[str] = []
    errors: list[BaseException] = []

    def attempt(application_id: int) -> None:
        try:
            from alongside.volunteers.models import Application, Training

            application = Application.objects.select_related("user").get(pk=application_id)
            own_training = Training.objects.get(pk=training.pk)
            barrier.wait()
            result = register_for_training(
                training=own_training, application=application, actor=application.user
            )
            with lock:
                statuses.append(result.registration.status)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(a.pk,)) for a in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(statuses) == [RegistrationStatus.REGISTERED] + [RegistrationStatus.WAITLISTED] * 7
    registered = TrainingRegistration.objects.filter(
        training=training, status=RegistrationStatus.REGISTERED
    )
    assert registered.count() == 3
