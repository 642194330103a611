"""Background work of the pipeline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial

from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from alongside.accounts.models import User
from alongside.lib.email import absolute_url, send_notification
from alongside.lib.i18n import localized
from alongside.lib.notices import claim_notice, release_notice, send_once
from alongside.volunteers.actions.retention import purge_expired_applications
from alongside.volunteers.models import (
    Application,
    RegistrationStatus,
    SafeSpaceConcern,
    TrainingRegistration,
)


@task()
def notify_applicant_of_stage(application_id: int, stage: str) -> int:
    """Tell the applicant their application moved on: a first name and a link to their page.
    The stage itself is not named in the email (a border officer reading the inbox should not
    learn that the person is going to the field).

    Sent once per stage change, however often the task runs (a retry, a second worker): the
    notice is keyed on the change that led to the stage."""
    application = (
        Application.objects.select_related("user", "group").filter(pk=application_id).first()
    )
    if application is None or application.stage != stage:
        return 0  # moved on again since: the newer step's notice covers it
    change = application.stage_changes.filter(to_stage=stage).order_by("-changed_at", "-pk").first()
    moment = str(change.pk) if change is not None else application.stage_changed_at.isoformat()
    key = f"stage-notice:{application.pk}:{stage}:{moment}"
    return send_once(key, partial(_stage_notice, application))


def _stage_notice(application: Application) -> int:
    user = application.user
    language = user.language or "en"
    with translation.override(language):
        link = absolute_url(reverse("volunteers:home"))
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


def _training_notice(registration_id: int, template: str, *, key_prefix: str = "") -> int:
    """Email the person behind a registration: their first name, the group and a link to their
    trainings. Not the training's title, place or date: the inbox may be searched at a border.

    With `key_prefix`, the notice is claimed first under a key naming the registration and
    when it was made (a new registration, after a cancellation, earns a new notice), so that a
    second run sends nothing."""
    registration = (
        TrainingRegistration.objects.select_related("application__user", "training__group")
        .filter(pk=registration_id, status=RegistrationStatus.REGISTERED)
        .first()
    )
    if registration is None:
        return 0  # cancelled since
    if not key_prefix:
        return _send_training_notice(registration, template)
    key = f"{key_prefix}:{registration.pk}:{registration.registered_at.isoformat()}"
    return send_once(key, partial(_send_training_notice, registration, template))


def _send_training_notice(registration: TrainingRegistration, template: str) -> int:
    user = registration.application.user
    language = user.language or "en"
    with translation.override(language):
        link = absolute_url(reverse("volunteers:trainings"))
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
    return _training_notice(
        registration_id, "volunteers/email/training_promoted", key_prefix="training-promoted"
    )


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
        sent += send_once(
            key, partial(_training_notice, registration_id, "volunteers/email/training_reminder")
        )
    return sent


# --- safe-space concerns -------------------------------------------------------------------


@task()
def notify_safe_space_readers(concern_id: int) -> int:
    """Tell each reader of the group's safe-space concerns that there is a new one: their first
    name, the group and a link. Never the text, nor who raised it. A retried run sends each
    reader one email (the key is claimed first)."""
    # The actions module enqueues this task, so it can only be imported here.
    from alongside.volunteers.actions.safe_space import concern_readers

    concern = SafeSpaceConcern.objects.select_related("group").filter(pk=concern_id).first()
    if concern is None:
        return 0
    group = concern.group
    sent = 0
    for reader in concern_readers(group):
        key = f"safespace:{concern.pk}:{reader.pk}"
        sent += send_once(key, partial(_safe_space_notice, concern, reader))
    return sent


def _safe_space_notice(concern: SafeSpaceConcern, reader: User) -> int:
    group = concern.group
    language = reader.language or "en"
    with translation.override(language):
        path = reverse(
            "pipeline:safespace_concern",
            kwargs={"group_slug": group.slug, "concern_id": concern.pk},
        )
        group_name = localized(group, "name", language)
    return send_notification(
        to=[reader.email],
        template="volunteers/email/safespace_concern",
        context={
            "first_name": reader.first_name,
            "group_name": group_name,
            "link": absolute_url(path),
        },
        language=language,
    )


# --- overdue steps -------------------------------------------------------------------------


@task()
def remind_owners_of_overdue_steps() -> int:
    """Hourly: tell the owner of each overdue step (submitted, open applications whose step was
    due before today) about it, once per application and due date, in one email per owner and
    day listing links to the applications. Returns the number of emails sent.

    A new due date (the step was reassigned or postponed) earns a new reminder. When an
    owner's email fails, their claims are released, so that the next run retries them, and the
    other owners still get theirs."""
    today = timezone.localdate()
    overdue = (
        Application.objects.submitted()
        .active()
        .filter(owner__isnull=False, owner__is_active=True, step_due_on__lt=today)
        .order_by("owner_id", "step_due_on", "pk")
        .values_list("pk", "owner_id", "step_due_on", "group__slug")
    )
    by_owner: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for application_id, owner_id, due_on, group_slug in overdue:
        assert due_on is not None  # filtered above; the column is nullable
        key = f"overdue:{application_id}:{due_on.isoformat()}"
        by_owner[owner_id].append((application_id, group_slug, key))
    owners = User.objects.in_bulk(list(by_owner))
    sent = 0
    failure: Exception | None = None
    for owner_id, items in by_owner.items():
        # At most one email per owner and day: what is still unsent waits for tomorrow.
        day_key = f"overdue-summary:{owner_id}:{today.isoformat()}"
        if not claim_notice(day_key):
            continue
        claimed = [item for item in items if claim_notice(item[2])]
        if not claimed:
            release_notice(day_key)
            continue
        try:
            sent += _overdue_summary(owners[owner_id], claimed)
        except Exception as error:
            for _application_id, _group_slug, key in claimed:
                release_notice(key)
            release_notice(day_key)
            failure = failure or error
    if failure is not None:
        raise failure
    return sent


def _overdue_summary(owner: User, items: list[tuple[int, str, str]]) -> int:
    """One email: the owner's first name, how many steps are overdue and a link to each
    application's screening page (addresses hold ids only)."""
    language = owner.language or "en"
    with translation.override(language):
        links = [
            absolute_url(
                reverse(
                    "pipeline:application",
                    kwargs={"group_slug": group_slug, "application_id": application_id},
                )
            )
            for application_id, group_slug, _key in items
        ]
    return send_notification(
        to=[owner.email],
        template="volunteers/email/reminders_overdue",
        context={"first_name": owner.first_name, "count": len(links), "links": links},
        language=language,
    )
