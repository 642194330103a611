"""Background work of the pipeline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from alongside.lib.email import send_notification
from alongside.lib.i18n import localized
from alongside.lib.notices import claim_notice, release_notice
from alongside.volunteers.actions.retention import purge_expired_applications
from alongside.volunteers.models import Application, RegistrationStatus, TrainingRegistration


@task()
def notify_applicant_of_stage(application_id: int, stage: str) -> int:
    """Tell the applicant their application moved on: a first name and a link to their page.
    The stage itself is not named in the email (a border officer reading the inbox should not
    learn that the person is going to the field)."""
    application = (
        Application.objects.select_related("user", "group").filter(pk=application_id).first()
    )
    if application is None or application.stage != stage:
        return 0  # moved on again since: the newer step's notice covers it
    user = application.user
    language = user.language or "en"
    with translation.override(language):
        link = f"{settings.SITE_URL}{reverse('volunteers:home')}"
        group_name = localized(application.group, "name", language)
    return send_notification(
        to=[user.email],
        template="volunteers/email/stage_changed",
        context={"first_name": user.first_name, "group_name": group_name, "link": link},
        language=language,
    )


@task()
def purge_expired_applications_daily() -> int:
    """Daily: forget volunteers past their group's retention period (see actions/retention)."""
    return purge_expired_applications()


# --- trainings -----------------------------------------------------------------------------


def _training_notice(registration_id: int, template: str) -> int:
    """Email the person behind a registration: their first name, the group and a link to their
    trainings. Not the training's title, place or date: the inbox may be searched at a border."""
    registration = (
        TrainingRegistration.objects.select_related("application__user", "training__group")
        .filter(pk=registration_id, status=RegistrationStatus.REGISTERED)
        .first()
    )
    if registration is None:
        return 0  # cancelled since
    user = registration.application.user
    language = user.language or "en"
    with translation.override(language):
        link = f"{settings.SITE_URL}{reverse('volunteers:trainings')}"
        group_name = localized(registration.training.group, "name", language)
    return send_notification(
        to=[user.email],
        template=template,
        context={"first_name": user.first_name, "group_name": group_name, "link": link},
        language=language,
    )


@task()
def notify_training_promoted(registration_id: int) -> int:
    """A place freed up and the person moved up from the waiting list."""
    return _training_notice(registration_id, "volunteers/email/training_promoted")


@task()
def remind_training_registrants() -> int:
    """Daily: remind everyone registered for a training that starts tomorrow. Run twice, it
    sends nothing twice (each reminder's key is claimed before sending).

    "Tomorrow" is in UTC until groups have a time zone of their own."""
    start = dt.datetime.combine(
        timezone.now().astimezone(dt.UTC).date() + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
    )
    due = TrainingRegistration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        training__starts_at__gte=start,
        training__starts_at__lt=start + dt.timedelta(days=1),
    ).values_list("pk", flat=True)
    sent = 0
    for registration_id in due:
        # Keyed on the day too: a training moved to another day deserves a new reminder.
        key = f"training-reminder:{registration_id}:{start.date().isoformat()}"
        if not claim_notice(key):
            continue
        try:
            sent += _training_notice(registration_id, "volunteers/email/training_reminder")
        except Exception:
            release_notice(key)
            raise
    return sent
