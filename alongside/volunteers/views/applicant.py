"""The applicant's and volunteer's own screens: applying, the principles gate, their page,
their presence window, withdrawing, report-backs, and their data (export, deletion request).

Each person sees only their own application: lookups go through `volunteers.access`, which
answers 404 alike for what does not exist and for what is someone else's. A person reading
their own encrypted data is not audited (it would bury the reads that matter); the export is.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.models import User
from alongside.lib.access import signed_in
from alongside.movement.models import GroupKind, Page
from alongside.volunteers.access import current_application
from alongside.volunteers.actions import applying
from alongside.volunteers.actions.stages import ALLOWED
from alongside.volunteers.forms.applicant import (
    MULTI_VALUE_FIELDS,
    ApplicationForm,
    PresenceWindowForm,
    PrinciplesAgreementForm,
    ReportBackForm,
)
from alongside.volunteers.models import (
    CLOSED_STAGES,
    Application,
    PrinciplesAgreement,
    Qualification,
    Stage,
    TrainingRegistration,
)
from alongside.volunteers.principles import needs_to_agree, principles_for
from alongside.volunteers.views import GET_POST, signed_in_user

# What comes next, for the person, at each stage.
NEXT_STEPS = {
    Stage.DRAFT: gettext_lazy(
        "Your application is a draft. Finish it and send it when you are ready."
    ),
    Stage.RECEIVED: gettext_lazy(
        "The group has your application. A core member will write to you to arrange an interview."
    ),
    Stage.INTERVIEW: gettext_lazy("Next: an interview with a core member of the group."),
    Stage.REFERENCES: gettext_lazy("The group is asking your references about you."),
    Stage.TRAINING: gettext_lazy(
        "Next: the training. Register for a session below when one suits you."
    ),
    Stage.READY: gettext_lazy(
        "You are ready to go. The group will help you plan your time in the field."
    ),
    Stage.IN_FIELD: gettext_lazy("You are in the field. Keep your presence window up to date."),
    Stage.RETURNED: gettext_lazy(
        "Welcome back. Record the talks and events you give at home: they are the movement's "
        "outreach."
    ),
    Stage.WITHDRAWN: gettext_lazy(
        "You withdrew this application. You can apply again whenever you like."
    ),
    Stage.DECLINED: gettext_lazy("The group decided not to go on with this application."),
}


def _latest_application(user: User) -> Application | None:
    """The open application, else the most recent closed one (a returned volunteer still has
    a page: report-backs, export)."""
    return (
        current_application(user)
        or Application.objects.filter(user=user)
        .select_related("group")
        .order_by("-created_at", "-pk")
        .first()
    )


def _submitted_open_application(user: User) -> Application | None:
    return (
        Application.objects.filter(user=user)
        .submitted()
        .active()
        .select_related("group")
        .order_by("-created_at")
        .first()
    )


def _draft(user: User) -> Application | None:
    return (
        Application.objects.filter(user=user, stage=Stage.DRAFT)
        .select_related("group")
        .order_by("-created_at")
        .first()
    )


# --- my page --------------------------------------------------------------------------------


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My page: where the application stands and what comes next, or a call to apply."""
    user = signed_in_user(request)
    application = _latest_application(user)
    context: dict[str, Any] = {"application": application, "documents": _documents()}
    if application is not None:
        context.update(
            next_step=NEXT_STEPS.get(Stage(application.stage), ""),
            history=list(application.stage_changes.all()),
            registrations=list(
                TrainingRegistration.objects.filter(application__user=user)
                .select_related("training")
                .order_by("training__starts_at")
            ),
            qualifications=list(
                Qualification.objects.filter(user=user)
                .select_related("kind")
                .order_by("-granted_on")
            ),
            to_agree=needs_to_agree(user, application.group),
            can_withdraw=Stage.WITHDRAWN in ALLOWED[application.stage],
            is_open=application.stage not in CLOSED_STAGES,
        )
    return render(request, "volunteers/applicant_home.html", context)


def _documents() -> list[Page]:
    """The movement's code of conduct and safe-space policy, where the field team wrote them."""
    pages = Page.objects.filter(
        group__kind=GroupKind.FIELD,
        group__is_listed=True,
        is_published=True,
        slug__in=["code-of-conduct", "safe-space"],
    ).select_related("group")
    return sorted(pages, key=lambda page: page.slug)


# --- apply ----------------------------------------------------------------------------------


@signed_in
@GET_POST
def apply(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    existing = _submitted_open_application(user)
    if existing is not None:
        # One open application at a time: a second visit shows the one in progress.
        return render(request, "volunteers/applicant_existing.html", {"application": existing})
    draft = _draft(user)
    if request.method == "GET":
        values = applying.read_draft(draft)
        if request.GET.get("country"):
            values["country"] = request.GET["country"].upper()
        return _apply_page(request, _unbound_form(user, values), draft)

    values = applying.draft_values(request.POST)
    action = request.POST.get("action", "submit")
    if action == "suggest":
        return _apply_page(request, _unbound_form(user, values, suggest=True), draft)
    if action == "draft":
        saved = applying.save_draft(user=user, application=draft, values=values, request=request)
        if saved is None:
            messages.error(request, _("No support group takes applications at the moment."))
            return _apply_page(request, _unbound_form(user, values), draft, status=400)
        messages.success(request, _("Your draft is saved. Come back to it whenever you like."))
        return redirect("volunteers:apply")

    form = ApplicationForm(request.POST, own_email=user.email)
    if not form.is_valid():
        # Nothing typed is lost: it stays on the page, and in the draft for another day.
        draft = applying.save_draft(user=user, application=draft, values=values, request=request)
        return _apply_page(request, form, draft, status=400)
    if (
        Application.objects.filter(user=user, group=form.cleaned_data["group"])
        .active()
        .exclude(pk=draft.pk if draft else 0)
        .exists()
    ):
        existing = Application.objects.filter(user=user, group=form.cleaned_data["group"]).first()
        return render(request, "volunteers/applicant_existing.html", {"application": existing})
    applying.submit_application(
        user=user, application=draft, data=form.cleaned_data, request=request
    )
    messages.success(request, _("Your application is sent. One more step: the principles."))
    return redirect("volunteers:principles")


def _unbound_form(user: User, values: dict[str, Any], *, suggest: bool = False) -> ApplicationForm:
    """A form showing `values` as typed, without error messages (a draft is not judged)."""
    initial = {
        key: (value if key in MULTI_VALUE_FIELDS or not isinstance(value, list) else value[-1])
        for key, value in values.items()
    }
    if suggest or not initial.get("group"):
        suggested = applying.suggest_group(str(initial.get("country") or ""))
        if suggested is not None and (suggest or initial.get("country")):
            initial["group"] = str(suggested.pk)
    return ApplicationForm(initial=initial, own_email=user.email)


def _apply_page(
    request: HttpRequest, form: ApplicationForm, draft: Application | None, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "volunteers/applicant_apply.html",
        {
            "form": form,
            "draft": draft,
            "draft_saved_at": _draft_timestamp(draft),
            "email": signed_in_user(request).email,
        },
        status=status,
    )


def _draft_timestamp(draft: Application | None) -> str:
    # The browser's copy (static/volunteers/draft.js) yields to a newer server draft.
    return str(applying.read_draft(draft).get(applying.SAVED_AT, ""))


# --- principles -----------------------------------------------------------------------------


@signed_in
@GET_POST
def principles(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    application = current_application(user)
    if application is None or application.stage == Stage.DRAFT:
        return redirect("volunteers:apply")
    version = principles_for(application.group)
    if version is None:
        messages.info(request, _("There are no principles to agree to yet."))
        return redirect("volunteers:home")
    principle_list = list(version.principles.all())
    agreement = PrinciplesAgreement.objects.filter(user=user, version=version).first()
    form = PrinciplesAgreementForm(
        request.POST if request.method == "POST" else None, principles=principle_list
    )
    if request.method == "POST" and agreement is None and form.is_valid():
        applying.agree_to_principles(user=user, version=version, request=request)
        messages.success(request, _("Thank you. Your agreement is recorded."))
        return redirect("volunteers:home")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "volunteers/applicant_principles.html",
        {"version": version, "form": form, "agreement": agreement, "application": application},
        status=status,
    )


# --- presence window, withdrawing -----------------------------------------------------------


def _open_submitted(user: User) -> Application:
    application = _submitted_open_application(user)
    if application is None:
        raise Http404
    return application


@signed_in
@require_http_methods(["POST"])
def stay_in_touch(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    # The application my page shows the choice for: a returned volunteer may still choose
    # before the purge.
    application = _latest_application(user)
    if application is None:
        raise Http404
    stay = request.POST.get("stay") == "yes"
    applying.set_stay_in_touch(application=application, actor=user, stay=stay, request=request)
    if stay:
        messages.success(request, _("The group will keep your data after you return."))
    else:
        messages.success(
            request, _("Your data will be deleted after the group's retention period.")
        )
    return redirect("volunteers:home")


@signed_in
@GET_POST
def presence(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    application = _open_submitted(user)
    current = application.arrival_on
    if request.method == "POST":
        form = PresenceWindowForm(request.POST, current_arrival=current)
        if form.is_valid():
            applying.update_presence_window(
                application=application, actor=user, request=request, **form.cleaned_data
            )
            messages.success(request, _("Your presence window is saved."))
            return redirect("volunteers:home")
        status = 400
    else:
        form = PresenceWindowForm(
            initial={
                "arrival_on": application.arrival_on,
                "departure_on": application.departure_on,
                "dates_flexible": application.dates_flexible,
            },
            current_arrival=current,
        )
        status = 200
    return render(
        request,
        "volunteers/applicant_presence.html",
        {"form": form, "application": application},
        status=status,
    )


@signed_in
@GET_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    application = _open_submitted(user)
    if Stage.WITHDRAWN not in ALLOWED[application.stage]:
        raise Http404
    if request.method == "POST":
        applying.withdraw_application(application=application, actor=user, request=request)
        messages.success(request, _("Your application is withdrawn."))
        return redirect("volunteers:home")
    return render(request, "volunteers/applicant_withdraw.html", {"application": application})


# --- report-back ----------------------------------------------------------------------------


@signed_in
@GET_POST
def report_back(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    application = (
        Application.objects.filter(user=user, stage=Stage.RETURNED)
        .select_related("group")
        .order_by("-returned_on", "-pk")
        .first()
    )
    if application is None:
        raise Http404
    form = ReportBackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        applying.add_report_back(
            application=application, actor=user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("Thank you. The talk or event is recorded."))
        return redirect("volunteers:report_back")
    return render(
        request,
        "volunteers/applicant_report_back.html",
        {"form": form, "application": application, "reports": application.report_backs.all()},
        status=400 if form.is_bound else 200,
    )


# --- the person's data ----------------------------------------------------------------------


@signed_in
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    data = applying.export_personal_data(user=signed_in_user(request), request=request)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="alongside-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@signed_in
@GET_POST
def request_deletion(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        applying.request_deletion(user=signed_in_user(request), request=request)
        messages.success(
            request,
            _(
                "Your request is recorded. The group's core members will delete your data and "
                "write to you when it is done."
            ),
        )
        return redirect("volunteers:home")
    return render(request, "volunteers/applicant_delete.html")
