"""Trainings: the group's screens to run sessions (core members only) and the volunteer's
screen to register for one."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.lib.access import core_only, signed_in
from alongside.movement.models import Group
from alongside.volunteers.access import (
    current_application,
    get_open_training,
    get_training_for_group,
)
from alongside.volunteers.actions import training as actions
from alongside.volunteers.forms.training import AttendanceForm, TrainingForm
from alongside.volunteers.models import (
    RegistrationStatus,
    Training,
    TrainingRegistration,
)
from alongside.volunteers.views import GET_POST, render_in_group, signed_in_user

TRAININGS_PER_PAGE = 25


def _with_counts(trainings: QuerySet[Training]) -> QuerySet[Training]:
    return trainings.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


def _to_training(group: Group, training: Training) -> HttpResponseRedirect:
    return redirect("pipeline:training", group_slug=group.slug, training_id=training.pk)


def _manage(request: HttpRequest, template: str, group: Group, **context: Any) -> HttpResponse:
    return render_in_group(request, f"training_{template}", group, section="trainings", **context)


# --- the group's screens -------------------------------------------------------------------


@core_only
@require_GET
def training_list(request: HttpRequest, group: Group) -> HttpResponse:
    past = request.GET.get("when") == "past"
    now = timezone.now()
    trainings = _with_counts(Training.objects.filter(group=group)).select_related("qualification")
    if past:
        trainings = trainings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    else:
        trainings = trainings.filter(starts_at__gte=now).order_by("starts_at", "pk")
    page = Paginator(trainings, TRAININGS_PER_PAGE).get_page(request.GET.get("page"))
    return _manage(request, "list", group, page=page, past=past)


@core_only
@GET_POST
def training_new(request: HttpRequest, group: Group) -> HttpResponse:
    return _training_form(request, group, training=None)


@core_only
@GET_POST
def training_edit(request: HttpRequest, group: Group, training_id: int) -> HttpResponse:
    return _training_form(request, group, training=get_training_for_group(group, training_id))


def _training_form(
    request: HttpRequest, group: Group, *, training: Training | None
) -> HttpResponse:
    instance = copy.copy(training) if training else Training(group=group)
    data = request.POST if request.method == "POST" else None
    form = TrainingForm(data, instance=instance, group=group)
    if training and data is None:
        form.initial["trainers"] = list(training.trainers.values_list("pk", flat=True))
    if data is not None and form.is_valid():
        try:
            saved = actions.save_training(
                actor=signed_in_user(request),
                group=group,
                training=training,
                values=form.cleaned_data,
                trainers=form.cleaned_data["trainers"],
                request=request,
            )
        except actions.TooFewPlaces as refused:
            form.add_error("capacity", refused.message)
        else:
            messages.success(request, _("The training is saved."))
            return _to_training(group, saved)
    return _manage(request, "form", group, form=form, training=training)


@core_only
@require_GET
def training_detail(request: HttpRequest, group: Group, training_id: int) -> HttpResponse:
    training = get_training_for_group(group, training_id)
    registrations = list(
        training.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("application__user")
        .order_by("registered_at", "pk")
    )
    registered = [r for r in registrations if r.status == RegistrationStatus.REGISTERED]
    return _manage(
        request,
        "detail",
        group,
        training=training,
        trainers=training.trainers.order_by("name"),
        registered=registered,
        waitlisted=[r for r in registrations if r.status == RegistrationStatus.WAITLISTED],
        has_begun=actions.has_begun(training),
        attended=sum(1 for r in registered if r.attended),
    )


@core_only
@GET_POST
def training_attendance(request: HttpRequest, group: Group, training_id: int) -> HttpResponse:
    training = get_training_for_group(group, training_id)
    registrations = list(
        training.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("application__user")
        .order_by("registered_at", "pk")
    )
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(data, registrations=registrations)
    if data is not None and form.is_valid():
        try:
            came = actions.record_attendance(
                training=training,
                attended=form.attended_ids(),
                actor=signed_in_user(request),
                request=request,
            )
        except actions.TrainingError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Attendance is saved: %(came)d of %(count)d came.")
                % {"came": came, "count": len(registrations)},
            )
        return _to_training(group, training)
    return _manage(
        request, "attendance", group, training=training, form=form,
        has_begun=actions.has_begun(training),
    )  # fmt: skip


@core_only
@require_POST
def training_grant(request: HttpRequest, group: Group, training_id: int) -> HttpResponse:
    training = get_training_for_group(group, training_id)
    try:
        granted = actions.grant_qualifications(
            training=training, actor=signed_in_user(request), request=request
        )
    except actions.TrainingError as refused:
        messages.error(request, refused.message)
    else:
        if granted:
            messages.success(request, _("Qualifications granted: %(count)d.") % {"count": granted})
        else:
            messages.info(request, _("Everyone who attended already holds the qualification."))
    return _to_training(group, training)


# --- the volunteer's screen ----------------------------------------------------------------


@signed_in
@require_GET
def my_trainings(request: HttpRequest) -> HttpResponse:
    """The upcoming trainings of the person's group, with their own registrations."""
    application = current_application(request.user)
    trainings: Any = []
    may_register = application is not None and application.stage in actions.REGISTERING_STAGES
    must_agree = False
    if application is not None and may_register:
        own = TrainingRegistration.objects.filter(application=application).exclude(
            status=RegistrationStatus.CANCELLED
        )
        trainings = (
            _with_counts(Training.objects.filter(group=application.group_id))
            .filter(starts_at__gt=timezone.now())
            .select_related("qualification")
            .prefetch_related(Prefetch("registrations", queryset=own, to_attr="mine"))
            .order_by("starts_at", "pk")
        )
        must_agree = actions.must_agree_first(signed_in_user(request), application.group)
    return render(
        request,
        "volunteers/training_mine.html",
        {
            "application": application,
            "may_register": may_register,
            "must_agree": must_agree,
            "trainings": trainings,
        },
    )


@signed_in
@require_POST
def register(request: HttpRequest, training_id: int) -> HttpResponse:
    training, application = get_open_training(request.user, training_id)
    try:
        result = actions.register_for_training(
            training=training,
            application=application,
            actor=signed_in_user(request),
            request=request,
        )
    except actions.TrainingError as refused:
        if actions.must_agree_first(signed_in_user(request), training.group):
            messages.error(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    refused.message,
                    reverse("volunteers:principles"),
                    _("Read the principles"),
                ),
            )
        else:
            messages.error(request, refused.message)
        return redirect("volunteers:trainings")
    status = result.registration.status
    if not result.created:
        messages.info(request, _("You are already registered for this training."))
    elif status == RegistrationStatus.WAITLISTED:
        messages.warning(
            request,
            _(
                "This training is full: you are on the waiting list. If a place frees up, "
                "it is yours in turn and we will email you."
            ),
        )
    else:
        messages.success(request, _("You are registered for the training."))
    return redirect("volunteers:trainings")


@signed_in
@require_POST
def cancel(request: HttpRequest, training_id: int) -> HttpResponse:
    training, application = get_open_training(request.user, training_id)
    registration = (
        TrainingRegistration.objects.filter(training=training, application=application)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is None:
        raise Http404
    try:
        actions.cancel_registration(
            registration=registration, actor=signed_in_user(request), request=request
        )
    except actions.TrainingError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("volunteers:trainings")
