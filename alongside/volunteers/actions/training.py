"""Trainings: sessions a group runs, registration with a waiting list, attendance, and the
qualifications granted on completion.

Capacity must hold when many people register for the last place at the same moment. Every
change to a training's registrations first locks the training's row (`_lock`): on PostgreSQL a
row lock that makes the others wait; on SQLite the settings open every transaction IMMEDIATE,
so the write lock is taken at BEGIN and writers take turns. The count of places taken is read
after the lock, so it cannot be stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.lib import audit
from alongside.lib.changes import apply_changes
from alongside.lib.tasks import enqueue_on_commit
from alongside.movement.models import Group
from alongside.volunteers.models import (
    Application,
    Qualification,
    RegistrationStatus,
    Stage,
    Training,
    TrainingRegistration,
)
from alongside.volunteers.principles import needs_to_agree
from alongside.volunteers.tasks import notify_training_promoted

TRAINING_FIELDS = (
    "title_en",
    "title_ar",
    "qualification",
    "starts_at",
    "ends_at",
    "place",
    "is_online",
    "language",
    "capacity",
)
# Accepted applicants are at `training`; those who finished it (`ready`) may take another.
REGISTERING_STAGES = (Stage.TRAINING, Stage.READY)


class TrainingError(ValueError):
    """A change the training's state does not allow; `message` is for the person."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class TooFewPlaces(TrainingError):
    """The capacity would fall below the number of people already registered."""


@dataclass(frozen=True)
class RegistrationResult:
    registration: TrainingRegistration
    # False when the person was already registered or waiting: nothing changed.
    created: bool


# --- sessions ------------------------------------------------------------------------------


@transaction.atomic
def save_training(
    *,
    actor: User,
    group: Group,
    values: Mapping[str, Any],
    trainers: Iterable[User],
    training: Training | None = None,
    request: HttpRequest | None = None,
) -> Training:
    """Create a training of `group`, or change `training`. Raising the capacity moves people
    up from the waiting list; lowering it below the people registered is refused."""
    if training is None:
        obj = Training(group=group)
    elif training.group_id != group.pk:
        raise ValueError("The training belongs to another group.")
    else:
        obj = _lock(training)
    creating = obj.pk is None
    changed = [] if creating else apply_changes(obj, values, TRAINING_FIELDS)
    if creating:
        # Not through `apply_changes`: reading an unset foreign key of a new row raises.
        for name in TRAINING_FIELDS:
            setattr(obj, name, values[name])
    if not creating:
        taken = _registered(obj).count()
        if obj.capacity < taken:
            raise TooFewPlaces(
                _("%(count)d people are registered already; the training needs that many places.")
                % {"count": taken}
            )
    if creating or changed:
        obj.save()
    new_trainers = {user.pk for user in trainers}
    if creating or set(obj.trainers.values_list("pk", flat=True)) != new_trainers:
        obj.trainers.set(new_trainers)
        if not creating:
            changed.append("trainers")
    if creating or changed:
        audit.record(
            actor=actor,
            action="create" if creating else "update",
            target=obj,
            request=request,
            detail={"fields": sorted(changed)} if not creating else None,
        )
    if not creating and "capacity" in changed:
        _fill_places(obj, actor=actor, request=request)
    return obj


# --- registration --------------------------------------------------------------------------


def must_agree_first(user: User, group: Group) -> bool:
    """Has a newer version of the principles been published than the person agreed to?"""
    return needs_to_agree(user, group) is not None


def may_register(application: Application | None, training: Training) -> bool:
    return (
        application is not None
        and application.group_id == training.group_id
        and application.stage in REGISTERING_STAGES
    )


def register_for_training(
    *,
    training: Training,
    application: Application,
    actor: User,
    request: HttpRequest | None = None,
) -> RegistrationResult:
    """Register the applicant for `training`, or put them on its waiting list when it is full.

    N people racing for the last place get exactly one place between them: the training's row
    is locked before the places taken are counted (see the module's docstring)."""
    if not may_register(application, training):
        raise TrainingError(_("You cannot register for this training."))
    if must_agree_first(application.user, training.group):
        raise TrainingError(_("Please agree to the current principles before you register."))
    with transaction.atomic():
        locked = _lock(training)
        if locked.starts_at <= timezone.now():
            raise TrainingError(_("This training has already started."))
        existing = locked.registrations.filter(application=application).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            return RegistrationResult(existing, created=False)
        full = _registered(locked).count() >= locked.capacity or _waiting(locked).exists()
        status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
        if existing is not None:
            # Registering again after cancelling: at the end of the queue, like anyone new.
            existing.status = status
            existing.registered_at = timezone.now()
            existing.attended = None
            existing.save(update_fields=["status", "registered_at", "attended"])
            registration = existing
        else:
            try:
                with transaction.atomic():
                    registration = TrainingRegistration.objects.create(
                        training=locked, application=application, status=status
                    )
            except IntegrityError:
                # The same person twice at once (a double tap): the lock makes this rare, the
                # unique constraint makes it harmless.
                registration = locked.registrations.get(application=application)
                return RegistrationResult(registration, created=False)
        audit.record(
            actor=actor,
            action="register",
            target=registration,
            request=request,
            detail={"status": status},
        )
    return RegistrationResult(registration, created=True)


def cancel_registration(
    *,
    registration: TrainingRegistration,
    actor: User | None,
    request: HttpRequest | None = None,
) -> TrainingRegistration:
    """Cancel a registration or a place on the waiting list. A place that frees up goes to the
    first person waiting, in the same transaction, and they are told by email."""
    with transaction.atomic():
        locked = _lock(registration.training)
        if locked.starts_at <= timezone.now():
            raise TrainingError(_("This training has already started."))
        current = TrainingRegistration.objects.get(pk=registration.pk)
        if current.status != RegistrationStatus.CANCELLED:
            previous = current.status
            current.status = RegistrationStatus.CANCELLED
            current.save(update_fields=["status"])
            audit.record(
                actor=actor,
                action="cancel",
                target=current,
                request=request,
                detail={"from": previous},
            )
            if previous == RegistrationStatus.REGISTERED:
                _fill_places(locked, actor=actor, request=request)
    registration.refresh_from_db()
    return registration


def release_training_places(
    *, application: Application, actor: User | None, request: HttpRequest | None = None
) -> int:
    """Give up the places and waiting-list spots `application` holds in trainings yet to
    start (the person withdrew, was declined or is being forgotten), so the people waiting
    move up. Returns how many were cancelled."""
    held = TrainingRegistration.objects.filter(
        application=application,
        training__starts_at__gt=timezone.now(),
        status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED),
    ).select_related("training")
    released = 0
    for registration in held:
        try:
            cancel_registration(registration=registration, actor=actor, request=request)
        except TrainingError:
            continue  # it started in the meantime: the place is used, nobody can move up
        released += 1
    return released


def _fill_places(training: Training, *, actor: User | None, request: HttpRequest | None) -> int:
    """Move people up from the waiting list, first come first served, while places are free.
    The caller holds the training's lock."""
    free = training.capacity - _registered(training).count()
    moved = 0
    for waiting in _waiting(training).order_by("registered_at", "pk")[: max(free, 0)]:
        waiting.status = RegistrationStatus.REGISTERED
        waiting.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="promote",
            target=waiting,
            request=request,
            detail={"from": RegistrationStatus.WAITLISTED},
        )
        enqueue_on_commit(notify_training_promoted, waiting.pk)
        moved += 1
    return moved


# --- the day itself ------------------------------------------------------------------------


def training_day(training: Training) -> dt.date:
    """The day a training is completed, which its qualifications are dated from (UTC dates
    until groups have time zones)."""
    return timezone.localdate(training.ends_at)


def has_begun(training: Training) -> bool:
    return timezone.localdate(training.starts_at) <= timezone.localdate()


@transaction.atomic
def record_attendance(
    *,
    training: Training,
    attended: Collection[int],
    actor: User,
    request: HttpRequest | None = None,
) -> int:
    """Mark who of the registered people came (the registrations whose ids are in `attended`)
    and who did not. Returns how many came."""
    locked = _lock(training)
    if not has_begun(locked):
        raise TrainingError(_("Attendance is taken on the day of the training."))
    came = 0
    changed = 0
    for registration in _registered(locked):
        present = registration.pk in attended
        came += present
        if registration.attended != present:
            registration.attended = present
            registration.save(update_fields=["attended"])
            changed += 1
    audit.record(
        actor=actor,
        action="attendance",
        target=locked,
        request=request,
        detail={"present": came, "changed": changed},
    )
    return came


@transaction.atomic
def grant_qualifications(
    *, training: Training, actor: User, request: HttpRequest | None = None
) -> int:
    """Give everyone who attended the qualification the training grants, dated on the day it
    was completed and expiring after the kind's validity. Granting again adds nothing: the
    training's lock makes two core members clicking at once take turns. Returns how many
    qualifications were new."""
    locked = _lock(training)
    if not has_begun(locked):
        raise TrainingError(_("Qualifications are granted once the training has taken place."))
    kind = locked.qualification
    granted_on = training_day(locked)
    expires_on = (
        granted_on + dt.timedelta(days=kind.valid_for_days) if kind.valid_for_days else None
    )
    attendees = _registered(locked).filter(attended=True).values_list("application__user_id")
    already = set(
        Qualification.objects.filter(training=locked, kind=kind).values_list("user_id", flat=True)
    )
    new = [
        Qualification(
            user_id=user_id,
            kind=kind,
            training=locked,
            granted_on=granted_on,
            expires_on=expires_on,
        )
        for (user_id,) in attendees.distinct()
        if user_id not in already
    ]
    Qualification.objects.bulk_create(new)
    audit.record(
        actor=actor,
        action="grant",
        target=locked,
        request=request,
        detail={"granted": len(new), "kind": kind.slug},
    )
    return len(new)


# --- helpers -------------------------------------------------------------------------------


def _lock(training: Training) -> Training:
    return Training.objects.select_for_update().get(pk=training.pk)


def _registered(training: Training) -> Any:
    return training.registrations.filter(status=RegistrationStatus.REGISTERED)


def _waiting(training: Training) -> Any:
    return training.registrations.filter(status=RegistrationStatus.WAITLISTED)
