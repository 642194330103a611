"""Background work of the pipeline."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from alongside.lib.email import send_notification
from alongside.lib.i18n import localized
from alongside.volunteers.actions.retention import purge_expired_applications
from alongside.volunteers.models import Application


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
