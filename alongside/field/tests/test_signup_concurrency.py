"""Capacity holds when many volunteers tap "Take this shift" for the last place at the same
moment: real requests in parallel threads, each with its own client and database connection,
on SQLite (IMMEDIATE transactions) and on PostgreSQL (a row lock on the shift)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from alongside.field.models import HOLDING_PLACE, SignUp, SignUpStatus
from alongside.field.tests.factories import make_field_volunteer, make_shift
from conftest import World, sign_in

RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_volunteers_racing_for_the_last_place_get_one_place_and_seven_wait(
    world: World,
) -> None:
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    shift = make_shift(community=world.bilin, places=3)
    for number in range(2):
        SignUp.objects.create(
            shift=shift,
            user=make_field_volunteer(
                f"holder{number}@example.net", "Holder Field", group=world.norcal
            ),
            status=SignUpStatus.CONFIRMED,
        )
    clients = []
    for number in range(RACERS):
        user = make_field_volunteer(f"racer{number}@example.net", "Racer Field", group=world.norcal)
        clients.append(sign_in(Client(), user, second_factor=False))
    url = f"/en/field/shifts/{shift.pk}/sign-up/"
    barrier = threading.Barrier(RACERS)
    lock = threading.Lock()
    statuses: list[int] = []
    errors: list[BaseException] = []

    def attempt(client: Client) -> None:
        try:
            barrier.wait()
            response = client.post(url)
            with lock:
                statuses.append(response.status_code)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert statuses == [302] * RACERS
    racers = SignUp.objects.filter(shift=shift, user__email__startswith="racer")
    assert sorted(racers.values_list("status", flat=True)) == (
        [SignUpStatus.CONFIRMED] + [SignUpStatus.WAITING] * (RACERS - 1)
    )
    assert SignUp.objects.filter(shift=shift, status__in=HOLDING_PLACE).count() == 3
