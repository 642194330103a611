"""The applicant's own changes: drafts, submitting, agreeing to the principles, the presence
window, report-backs, export and the request to be deleted."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from alongside.accounts.models import User
from alongside.lib import audit
from alongside.lib.changes import save_changes
from alongside.lib.email import absolute_url, send_notification
from alongside.lib.i18n import localized
from alongside.lib.tasks import enqueue_on_commit
from alongside.movement.models import Group, GroupKind, Membership, PrinciplesVersion
from alongside.movement.models import Role as GroupRole
from alongside.volunteers.actions.stages import change_stage
from alongside.volunteers.models import (
    CLOSED_STAGES,
    Application,
    CampaignPeriod,
    PrinciplesAgreement,
    Qualification,
    Reference,
    ReportBack,
    Stage,
    TrainingRegistration,
)

# Raw form values never worth keeping in a draft.
_NOT_DRAFTED = frozenset({"csrfmiddlewaretoken", "action"})
# When the draft was saved (milliseconds since the epoch, as browsers count): the copy a
# browser keeps while offline is restored only when it is newer.
SAVED_AT = "_saved_at"


# --- groups and principles ------------------------------------------------------------------


def suggest_group(country: str) -> Group | None:
    """The listed support group that serves `country`, else the general group (there must
    always be a route for a candidate from anywhere)."""
    groups = list(Group.objects.listed().filter(kind=GroupKind.SUPPORT))
    # Groups are few; JSON containment is not portable to SQLite, so match in Python.
    for group in groups:
        if country and country in (group.countries or []):
            return group
    return next((group for group in groups if group.is_general), None)


@transaction.atomic
def agree_to_principles(
    *, user: User, version: PrinciplesVersion, request: HttpRequest | None = None
) -> PrinciplesAgreement:
    agreement, created = PrinciplesAgreement.objects.get_or_create(user=user, version=version)
    if created:
        audit.record(
            actor=user,
            action="agree",
            target=agreement,
            request=request,
            detail={"version": version.number, "principles": version.principles.count()},
        )
    return agreement


# --- drafts and submitting ------------------------------------------------------------------


def draft_values(data: Any) -> dict[str, Any]:
    """The raw values of a form as typed (lists for fields of several values), to keep in a
    draft whether or not they are valid."""
    from alongside.volunteers.forms.applicant import MULTI_VALUE_FIELDS

    values: dict[str, Any] = {}
    for key in data:
        if key in _NOT_DRAFTED or key == SAVED_AT:
            continue
        values[key] = data.getlist(key) if key in MULTI_VALUE_FIELDS else data.get(key, "")
    return values


def read_draft(application: Application | None) -> dict[str, Any]:
    if application is None or not application.draft:
        return {}
    try:
        values = json.loads(application.draft)
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def is_id(value: str) -> bool:
    """Is `value` a plausible database id as typed in a form? `str.isdigit` accepts "²",
    which `int()` refuses, and a 25-digit number overflows the database's integer."""
    return 0 < len(value) <= 18 and value.isascii() and value.isdecimal()


def draft_group(values: Mapping[str, Any], fallback: Application | None) -> Group | None:
    """Which group a draft belongs to: the one chosen, else the one it had, else the one
    suggested for the country typed."""
    chosen = str(values.get("group") or "")
    if is_id(chosen):
        group = Group.objects.listed().filter(kind=GroupKind.SUPPORT, pk=int(chosen)).first()
        if group is not None:
            return group
    if fallback is not None:
        return fallback.group
    return suggest_group(str(values.get("country") or ""))


@transaction.atomic
def save_draft(
    *,
    user: User,
    application: Application | None,
    values: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> Application | None:
    """Keep what the person typed, valid or not, encrypted, in their draft. Returns None when
    there is no group at all to file it under (no support group is listed)."""
    group = draft_group(values, application)
    if group is None:
        return None
    stamped = json.dumps({**values, SAVED_AT: int(timezone.now().timestamp() * 1000)})
    if application is None:
        application = Application.objects.create(
            user=user, group=group, stage=Stage.DRAFT, draft=stamped
        )
    else:
        # Only while it is still a draft: a page left open after submitting (another tab, a
        # late autosave) must not write over the application that was sent.
        written = Application.objects.filter(pk=application.pk, stage=Stage.DRAFT).update(
            group=group, draft=stamped
        )
        if not written:
            return Application.objects.filter(pk=application.pk).first()
        application.group = group
        application.draft = stamped
    audit.record(
        actor=user,
        action="draft",
        target=application,
        request=request,
        detail={"fields": ["draft"]},
    )
    return application


@transaction.atomic
def submit_application(
    *,
    user: User,
    application: Application | None,
    data: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> Application:
    """Turn a validated application form into an application at `received`. Submitting twice
    (a double click, a second tab) sends it once: the second time returns the application the
    first one sent."""
    group = data["group"]
    if application is not None:
        locked = Application.objects.select_for_update().filter(pk=application.pk, user=user)
        application = locked.first()
        if application is not None and application.stage != Stage.DRAFT:
            return application
    fields = [
        "full_name", "country", "languages", "phone", "motivation", "experience", "arrival_on",
        "departure_on", "dates_flexible", "emergency_contact_name", "emergency_contact_phone",
        "stay_in_touch",
    ]  # fmt: skip
    creating = application is None
    if application is None:
        application = Application(user=user, group=group, stage=Stage.DRAFT)
    for name in fields:
        setattr(application, name, data[name])
    application.group = group
    application.campaign_period = _campaign_period(group, data["arrival_on"])
    application.draft = ""
    try:
        with transaction.atomic():
            if creating:
                application.save()
            else:
                application.save(update_fields=[*fields, "group", "campaign_period", "draft"])
    except IntegrityError:
        # Sent at the same moment from elsewhere (two clicks with no draft saved yet, two
        # tabs): the unique open application per group lets one through; show that one.
        existing = _open_application(user, group)
        if existing is None:
            raise
        return existing
    for position in (1, 2):
        Reference.objects.update_or_create(
            application=application,
            position=position,
            defaults={
                "name": data[f"reference_{position}_name"],
                "email": data[f"reference_{position}_email"],
            },
        )
    audit.record(
        actor=user,
        action="submit",
        target=application,
        request=request,
        detail={"fields": [*fields, "references"]},
    )
    return change_stage(
        application=application, to_stage=Stage.RECEIVED, actor=user, request=request
    )


def _campaign_period(group: Group, arrival: dt.date | None) -> CampaignPeriod | None:
    """The group's recruitment round the volunteer arrives in, for the board's progress."""
    if arrival is None:
        return None
    return (
        CampaignPeriod.objects.filter(group=group, starts_on__lte=arrival, ends_on__gte=arrival)
        .order_by("starts_on")
        .first()
    )


def _open_application(user: User, group: Group) -> Application | None:
    return (
        Application.objects.filter(user=user, group=group)
        .exclude(stage__in=CLOSED_STAGES)
        .order_by("-created_at", "-pk")
        .first()
    )


# --- the volunteer's page -------------------------------------------------------------------


@transaction.atomic
def set_stay_in_touch(
    *, application: Application, actor: User, stay: bool, request: HttpRequest | None = None
) -> Application:
    """The volunteer's own choice whether the group keeps their data after they return (see
    actions/retention): it may be changed at any time, and only by them."""
    save_changes(application, {"stay_in_touch": stay}, actor=actor, request=request)
    return application


@transaction.atomic
def update_presence_window(
    *,
    application: Application,
    actor: User,
    arrival_on: dt.date,
    departure_on: dt.date,
    dates_flexible: bool,
    request: HttpRequest | None = None,
) -> Application:
    window = {
        "arrival_on": arrival_on,
        "departure_on": departure_on,
        "dates_flexible": dates_flexible,
    }
    save_changes(application, window, actor=actor, request=request)
    return application


@transaction.atomic
def withdraw_application(
    *, application: Application, actor: User, request: HttpRequest | None = None
) -> Application:
    return change_stage(
        application=application, to_stage=Stage.WITHDRAWN, actor=actor, request=request
    )


@transaction.atomic
def add_report_back(
    *,
    application: Application,
    actor: User,
    data: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> ReportBack:
    report = ReportBack.objects.create(
        application=application,
        held_on=data["held_on"],
        audience=data["audience"],
        place=data["place"],
        size=data["size"],
    )
    audit.record(actor=actor, action="create", target=report, request=request)
    return report


def export_personal_data(*, user: User, request: HttpRequest | None = None) -> dict[str, Any]:
    """Everything the pipeline holds about `user`, decrypted, for them to take away.

    References list only the names and addresses the person gave: what a referee answered
    belongs to the referee, who wrote it in confidence to the group."""
    applications = (
        Application.objects.filter(user=user)
        .select_related("group")
        .prefetch_related("references", "stage_changes", "report_backs")
        .order_by("created_at")
    )
    registrations = TrainingRegistration.objects.filter(application__user=user).select_related(
        "training"
    )
    qualifications = Qualification.objects.filter(user=user).select_related("kind")
    agreements = PrinciplesAgreement.objects.filter(user=user).select_related("version__group")
    export = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
        },
        "applications": [_application_export(a) for a in applications],
        "principles_agreements": [
            {
                "group": a.version.group.slug,
                "version": a.version.number,
                "agreed_at": a.agreed_at.isoformat(),
            }
            for a in agreements
        ],
        "training_registrations": [
            {
                "training": r.training.title_en,
                "starts_at": r.training.starts_at.isoformat(),
                "status": r.status,
                "attended": r.attended,
            }
            for r in registrations
        ],
        "qualifications": [
            {
                "kind": q.kind.name_en,
                "granted_on": q.granted_on.isoformat(),
                "expires_on": q.expires_on.isoformat() if q.expires_on else None,
            }
            for q in qualifications
        ],
    }
    audit.record(
        actor=user,
        action="export",
        target=user,
        request=request,
        detail={"applications": len(export["applications"])},
    )
    return export


def _application_export(application: Application) -> dict[str, Any]:
    def iso(value: dt.date | dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "group": application.group.slug,
        "stage": application.stage,
        "full_name": application.full_name,
        "country": application.country,
        "languages": application.languages,
        "phone": application.phone,
        "motivation": application.motivation,
        "experience": application.experience,
        "arrival_on": iso(application.arrival_on),
        "departure_on": iso(application.departure_on),
        "dates_flexible": application.dates_flexible,
        "emergency_contact_name": application.emergency_contact_name,
        "emergency_contact_phone": application.emergency_contact_phone,
        "stay_in_touch": application.stay_in_touch,
        "draft": read_draft(application),
        "created_at": iso(application.created_at),
        "submitted_at": iso(application.submitted_at),
        "returned_on": iso(application.returned_on),
        "references": [
            {"position": r.position, "name": r.name, "email": r.email}
            for r in application.references.all()
        ],
        "stage_history": [
            {"from": c.from_stage, "to": c.to_stage, "at": c.changed_at.isoformat()}
            for c in application.stage_changes.all()
        ],
        "report_backs": [
            {
                "held_on": r.held_on.isoformat(),
                "audience": r.audience,
                "place": r.place,
                "size": r.size,
            }
            for r in application.report_backs.all()
        ],
    }


@transaction.atomic
def request_deletion(*, user: User, request: HttpRequest | None = None) -> int:
    """Record that the person asked for their data to be deleted and tell the core members of
    their groups, who carry it out under the retention rules. Returns the number of groups."""
    group_ids = sorted(set(Application.objects.filter(user=user).values_list("group", flat=True)))
    audit.record(
        actor=user,
        action="deletion_requested",
        target=user,
        request=request,
        detail={"groups": len(group_ids)},
    )
    for group_id in group_ids:
        enqueue_on_commit(notify_core_of_deletion_request, group_id)
    return len(group_ids)


@task()
def notify_core_of_deletion_request(group_id: int) -> int:
    """Tell the group's core members that someone asked to be deleted: a link, no name (the
    request is personal data too, and mail passes through servers nobody here controls)."""
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        return 0
    members = (
        Membership.objects.filter(group=group, role=GroupRole.CORE)
        .select_related("user")
        .order_by("user__email")
    )
    sent = 0
    for membership in members:
        language = membership.user.language or "en"
        with translation.override(language):
            path = reverse("movement:dashboard", kwargs={"group_slug": group.slug})
            link = absolute_url(path)
            group_name = localized(group, "name", language)
        sent += send_notification(
            to=[membership.user.email],
            template="volunteers/email/applicant_deletion_requested",
            context={"first_name": membership.user.first_name, "group_name": group_name,
                     "link": link},
            language=language,
        )  # fmt: skip
    return sent
