"""Notices sent by tasks go out once, however often the task runs (a retry, a second worker),
and a notice that could not be sent is sent by the next run."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

from alongside.accounts.models import User
from alongside.lib.email import NotificationNotSent
from alongside.lib.models import SentNotice
from alongside.volunteers.actions.stages import change_stage
from alongside.volunteers.models import RegistrationStatus, Stage, TrainingRegistration
from alongside.volunteers.tasks import notify_applicant_of_stage, notify_training_promoted
from alongside.volunteers.tests.factories import make_application, make_training
from conftest import World


class RefusingEveryone(EmailBackend):
    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no") for m in messages})


def _promoted(world: World) -> TrainingRegistration:
    return TrainingRegistration.objects.create(
        training=make_training(group=world.norcal),
        application=make_application(group=world.norcal, stage=Stage.TRAINING),
        status=RegistrationStatus.REGISTERED,
    )


def test_a_stage_notice_run_twice_sends_one_email(world: World, mailoutbox: list[Any]) -> None:
    application = make_application(group=world.norcal, stage=Stage.RECEIVED)
    change_stage(application=application, to_stage=Stage.INTERVIEW, actor=world.core, notify=False)
    assert notify_applicant_of_stage.call(application.pk, Stage.INTERVIEW) == 1
    assert notify_applicant_of_stage.call(application.pk, Stage.INTERVIEW) == 0
    assert [m.to for m in mailoutbox] == [[application.user.email]]


def test_coming_back_to_a_stage_earns_a_new_notice(world: World, mailoutbox: list[Any]) -> None:
    application = make_application(group=world.norcal, stage=Stage.RECEIVED)
    core: User = world.core
    for to_stage in (Stage.INTERVIEW, Stage.REFERENCES, Stage.INTERVIEW):
        change_stage(application=application, to_stage=to_stage, actor=core, notify=False)
        assert notify_applicant_of_stage.call(application.pk, to_stage) == 1
    assert len(mailoutbox) == 3


def test_a_stage_notice_that_failed_is_sent_by_the_retry(
    world: World, mailoutbox: list[Any], settings: Any
) -> None:
    application = make_application(group=world.norcal, stage=Stage.RECEIVED)
    change_stage(application=application, to_stage=Stage.INTERVIEW, actor=world.core, notify=False)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEveryone"
    with pytest.raises(NotificationNotSent):
        notify_applicant_of_stage.call(application.pk, Stage.INTERVIEW)
    assert not SentNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify_applicant_of_stage.call(application.pk, Stage.INTERVIEW) == 1
    assert len(mailoutbox) == 1


def test_a_promotion_notice_run_twice_sends_one_email(world: World, mailoutbox: list[Any]) -> None:
    registration = _promoted(world)
    assert notify_training_promoted.call(registration.pk) == 1
    assert notify_training_promoted.call(registration.pk) == 0
    assert [m.to for m in mailoutbox] == [[registration.application.user.email]]


def test_a_promotion_notice_that_failed_is_sent_by_the_retry(
    world: World, mailoutbox: list[Any], settings: Any
) -> None:
    registration = _promoted(world)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEveryone"
    with pytest.raises(NotificationNotSent):
        notify_training_promoted.call(registration.pk)
    assert not SentNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify_training_promoted.call(registration.pk) == 1
    assert len(mailoutbox) == 1
