"""Screening an application: owners and deadlines, the interview, references, notes and the
group's decision. Each action is atomic and audited (field names only, never values); stage
changes go through `change_stage`, which tells the applicant by a link-only email."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation

from alongside.accounts.models import User
from alongside.lib import audit
from alongside.lib.changes import save_changes
from alongside.lib.email import absolute_url, send_notification
from alongside.lib.i18n import localized
from alongside.volunteers.actions.stages import StageError, change_stage
from alongside.volunteers.models import Application, Reference, ScreeningNote, Stage

REFERENCE_LINK_DAYS = 14
# A request this recent is not repeated: a double-click must not send two emails, the second of
# which would kill the link in the first.
REFERENCE_RESEND_AFTER = dt.timedelta(minutes=5)
# References are asked for while the group is still screening, not once it has decided.
REFERENCE_STAGES = frozenset({Stage.RECEIVED, Stage.INTERVIEW, Stage.REFERENCES})


def hash_token(token: str) -> str:
    """What is stored of a reference link's token: a leaked table gives no working link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def assign_step(
    *,
    actor: User,
    application: Application,
    owner: User | None,
    due_on: dt.date | None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Give the current step an owner (a core member of the group) and a deadline."""
    step = {"owner": owner, "step_due_on": due_on}
    return save_changes(application, step, actor=actor, request=request)


@transaction.atomic
def schedule_interview(
    *,
    actor: User,
    application: Application,
    at: dt.datetime,
    request: HttpRequest | None = None,
) -> Application:
    """Set the interview's time; an application just received moves to the interview stage."""
    if application.stage == Stage.RECEIVED:
        application = change_stage(
            application=application, to_stage=Stage.INTERVIEW, actor=actor, request=request
        )
    application.interview_at = at
    application.save(update_fields=["interview_at"])
    audit.record(
        actor=actor,
        action="update",
        target=application,
        request=request,
        detail={"fields": ["interview_at"]},
    )
    return application


@transaction.atomic
def record_interview_outcome(
    *,
    actor: User,
    application: Application,
    outcome: str,
    request: HttpRequest | None = None,
) -> None:
    application.interview_outcome = outcome
    application.save(update_fields=["interview_outcome"])
    audit.record(
        actor=actor,
        action="update",
        target=application,
        request=request,
        detail={"fields": ["interview_outcome"]},
    )


def move_application(
    *,
    actor: User,
    application: Application,
    to_stage: str,
    request: HttpRequest | None = None,
) -> Application:
    """Move to one of the stages `ALLOWED` after the current one (raises `StageError`)."""
    return change_stage(application=application, to_stage=to_stage, actor=actor, request=request)


def accept_application(
    *, actor: User, application: Application, request: HttpRequest | None = None
) -> Application:
    """The group's yes: the applicant goes on to training."""
    return change_stage(
        application=application, to_stage=Stage.TRAINING, actor=actor, request=request
    )


@transaction.atomic
def decline_application(
    *,
    actor: User,
    application: Application,
    reason: str,
    request: HttpRequest | None = None,
) -> Application:
    """The group's no, with its reason (kept encrypted, for the group only)."""
    application = change_stage(
        application=application, to_stage=Stage.DECLINED, actor=actor, request=request
    )
    application.decision_reason = reason
    application.save(update_fields=["decision_reason"])
    audit.record(
        actor=actor,
        action="update",
        target=application,
        request=request,
        detail={"fields": ["decision_reason"]},
    )
    return application


@transaction.atomic
def add_screening_note(
    *,
    actor: User,
    application: Application,
    body: str,
    request: HttpRequest | None = None,
) -> ScreeningNote:
    note = ScreeningNote.objects.create(application=application, author=actor, body=body)
    audit.record(
        actor=actor,
        action="create",
        target=note,
        request=request,
        detail={"application": application.pk},
    )
    return note


# --- references ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ReferenceRequest:
    address: str
    referee_first_name: str
    applicant_first_name: str
    group_name: str
    link: str
    language: str


@transaction.atomic
def request_references(
    *, actor: User, application: Application, request: HttpRequest | None = None
) -> int:
    """Send every referee who has not answered yet a new one-time link to the reference form;
    returns how many were sent. Raises `StageError` unless the application is being screened.
    Referees asked in the last `REFERENCE_RESEND_AFTER` are skipped.

    Only the SHA-256 of each link's token is stored. The emails are sent straight after the
    commit rather than through the task queue, whose table would otherwise hold the working
    links in clear. A new request replaces an earlier link, which stops working."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.stage not in REFERENCE_STAGES:
        raise StageError(locked.stage)
    now = timezone.now()
    applicant = application.user
    language = applicant.language or "en"
    applicant_first_name = applicant.first_name or application.full_name.split(" ")[0]
    sent: list[_ReferenceRequest] = []
    references = (
        application.references.select_for_update()
        .filter(answered_at__isnull=True)
        .exclude(requested_at__gt=now - REFERENCE_RESEND_AFTER)
    )
    for reference in references:
        token = secrets.token_urlsafe(32)
        reference.token_hash = hash_token(token)
        reference.requested_at = now
        reference.expires_at = now + dt.timedelta(days=REFERENCE_LINK_DAYS)
        reference.save(update_fields=["token_hash", "requested_at", "expires_at"])
        with translation.override(language):
            path = reverse("volunteers:reference", kwargs={"token": token})
            group_name = localized(application.group, "name", language)
        sent.append(
            _ReferenceRequest(
                address=reference.email,
                referee_first_name=reference.name.split(" ")[0],
                applicant_first_name=applicant_first_name,
                group_name=group_name,
                link=absolute_url(path),
                language=language,
            )
        )
        audit.record(
            actor=actor,
            action="request",
            target=reference,
            request=request,
            detail={"application": application.pk},
        )
    for item in sent:
        # Robust: one referee's failed send neither stops the others nor fails the request.
        transaction.on_commit(_reference_sender(item), robust=True)
    return len(sent)


def _reference_sender(item: _ReferenceRequest) -> Callable[[], None]:
    """A plain function, not a `partial`: Django names a failed on_commit callback by its
    `__qualname__` when logging it."""

    def send_reference_request() -> None:
        _send_reference_request(item)

    return send_reference_request


def _send_reference_request(item: _ReferenceRequest) -> None:
    send_notification(
        to=[item.address],
        template="volunteers/email/reference_request",
        context={
            "first_name": item.referee_first_name,
            "applicant_first_name": item.applicant_first_name,
            "group_name": item.group_name,
            "link": item.link,
            "days": REFERENCE_LINK_DAYS,
        },
        language=item.language,
    )


def open_reference(token: str) -> Reference | None:
    """The reference whose link this is, while the link still works (unanswered, unexpired)."""
    if not token or len(token) > 200:
        return None
    return (
        Reference.objects.select_related("application__user", "application__group")
        .filter(
            token_hash=hash_token(token),
            answered_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def answer_reference(
    *,
    token: str,
    knows_applicant_for: str,
    recommends: bool,
    comments: str,
    request: HttpRequest | None = None,
) -> Reference | None:
    """Record a referee's answer once. The conditional UPDATE claims the link: of two
    submissions at the same moment only one finds it unanswered, the other gets None. The
    token's hash is dropped with the claim, so the link never works again."""
    reference = open_reference(token)
    if reference is None:
        return None
    now = timezone.now()
    claimed = Reference.objects.filter(
        pk=reference.pk,
        token_hash=hash_token(token),
        answered_at__isnull=True,
        expires_at__gt=now,
    ).update(answered_at=now, recommends=recommends, token_hash=None)
    if claimed != 1:
        return None
    # Encrypted fields are written through save(); the row is ours since the claim above.
    reference.knows_applicant_for = knows_applicant_for
    reference.comments = comments
    reference.save(update_fields=["knows_applicant_for", "comments"])
    audit.record(
        actor=AnonymousUser(),
        action="answer",
        target=reference,
        request=request,
        detail={"fields": ["knows_applicant_for", "recommends", "comments"]},
    )
    return reference
