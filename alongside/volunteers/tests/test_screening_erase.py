"""A core member erases an application when the person asked for their data to be deleted."""

from __future__ import annotations

from django.test import Client

from alongside.lib.models import AuditEntry
from alongside.volunteers.models import Application, OutcomeCount, Reference, Stage
from alongside.volunteers.tests.factories import make_application
from conftest import World, sign_in


def _url(pk: int) -> str:
    return f"/en/manage/northern-california/pipeline/{pk}/erase/"


def test_erasing_asks_first_then_forgets_all_but_a_count(client: Client, world: World) -> None:
    application = make_application(user=world.volunteer, group=world.norcal, stage=Stage.READY)
    Reference.objects.create(application=application, position=1, name="R", email="r@x.org")
    sign_in(client, world.core)

    page = client.get(_url(application.pk))
    assert page.status_code == 200
    assert "Erase for good" in page.content.decode()
    assert Application.objects.filter(pk=application.pk).exists()
    # A POST without the confirmation shows the question again and deletes nothing.
    assert client.post(_url(application.pk)).status_code == 200
    assert Application.objects.filter(pk=application.pk).exists()

    response = client.post(_url(application.pk), {"confirm": "yes"}, follow=True)
    assert "only anonymous counts remain" in response.content.decode()
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not Reference.objects.exists()
    assert OutcomeCount.objects.get(group=world.norcal, stage=Stage.READY).count == 1
    entry = AuditEntry.objects.get(action="erase")
    assert entry.actor_id == world.core.pk


def test_only_the_groups_core_members_may_erase(client: Client, world: World) -> None:
    application = make_application(user=world.volunteer, group=world.norcal, stage=Stage.READY)
    assert client.post(_url(application.pk), {"confirm": "yes"}).status_code == 302
    for person in [world.outsider, world.volunteer, world.partner]:
        sign_in(client, person)
        assert client.post(_url(application.pk), {"confirm": "yes"}).status_code == 404
    assert Application.objects.filter(pk=application.pk).exists()


def test_an_application_of_another_group_cannot_be_erased(client: Client, world: World) -> None:
    theirs = make_application(user=world.volunteer, group=world.london, stage=Stage.READY)
    sign_in(client, world.core)
    assert client.post(_url(theirs.pk), {"confirm": "yes"}).status_code == 404
    assert Application.objects.filter(pk=theirs.pk).exists()


def test_erasing_frees_the_persons_training_place_for_the_first_person_waiting(
    client: Client, world: World
) -> None:
    from alongside.volunteers.models import RegistrationStatus, TrainingRegistration
    from alongside.volunteers.tests.factories import make_training

    application = make_application(user=world.volunteer, group=world.norcal, stage=Stage.TRAINING)
    waiting = make_application(group=world.norcal, stage=Stage.TRAINING)
    training = make_training(group=world.norcal, capacity=1)
    TrainingRegistration.objects.create(
        training=training, application=application, status=RegistrationStatus.REGISTERED
    )
    queued = TrainingRegistration.objects.create(
        training=training, application=waiting, status=RegistrationStatus.WAITLISTED
    )
    sign_in(client, world.core)

    client.post(_url(application.pk), {"confirm": "yes"})

    assert not Application.objects.filter(pk=application.pk).exists()
    queued.refresh_from_db()
    assert queued.status == RegistrationStatus.REGISTERED
