"""Safety in the field: a volunteer's check-in (one tap from the shift page), the page of an
escalation where someone takes it in hand, and the quick incident note.

All `signed_in`: each lookup in `alongside.field.access.safety` answers 404 to anyone who is not
on the shift, coordinating it or (for an escalation that reached them) in the volunteer's
support group's core. A person who holds a core or documenter role anywhere must have used their
second factor in the session before seeing someone else's safety record."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from alongside.accounts.models import User
from alongside.field import checkins as panel
from alongside.field.access.safety import (
    get_escalation_for_user,
    get_shift_for_incident,
    get_signup_for_checkin,
)
from alongside.field.actions import checkins as actions
from alongside.field.actions import incidents as incident_actions
from alongside.field.models import CheckIn, EscalationLevel, IncidentKind, Shift
from alongside.lib.access import is_privileged, second_factor_redirect, signed_in
from alongside.lib.timezones import zone_label

GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _second_factor(request: HttpRequest) -> HttpResponse | None:
    return second_factor_redirect(request) if is_privileged(request.user) else None


# --- check-ins -------------------------------------------------------------------------------


@signed_in
@GET_POST
@never_cache
def checkin(request: HttpRequest, shift_id: int) -> HttpResponse:
    """GET: the check-in panel on a page of its own (a bookmark for the day). POST: one tap,
    then back to the page the panel was on (the shift page by default)."""
    user = _user(request)
    signup = get_signup_for_checkin(user, shift_id)
    if request.method == "POST":
        try:
            given = actions.check_in(
                signup=signup,
                answer=request.POST.get("answer", ""),
                note=request.POST.get("note", ""),
                actor=user,
                request=request,
            )
        except actions.CheckInError as error:
            context = panel.panel_context(
                signup, note=request.POST.get("note", ""), error=str(error.message)
            )
            return _checkin_page(request, signup.shift, context, status=400)
        if given.answer == "help":
            messages.warning(
                request,
                _("Your call for help was sent to the field coordinators and your team."),
            )
        else:
            messages.success(request, _("Thank you: your check-in was recorded."))
        return redirect(_back(request, signup.shift))
    return _checkin_page(request, signup.shift, panel.panel_context(signup))


def _back(request: HttpRequest, shift: Shift) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("field:shift", kwargs={"shift_id": shift.pk})


def _checkin_page(
    request: HttpRequest, shift: Shift, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(request, "field/safety_checkin.html", {"shift": shift, **context}, status=status)


# --- escalations -----------------------------------------------------------------------------


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What is being done (optional)"),
        help_text=gettext_lazy(
            "A few words for the others who were told, e.g. “I called her, all fine”."
        ),
        max_length=actions.ACKNOWLEDGEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


@signed_in
@GET_POST
@never_cache
def escalation(request: HttpRequest, escalation_id: int) -> HttpResponse:
    user = _user(request)
    found = get_escalation_for_user(user, escalation_id)
    redirect_to = _second_factor(request)
    if redirect_to is not None:
        return redirect_to
    status = 200
    form = AcknowledgeForm()
    # The volunteer sees the alert about themself but cannot call it off (see the action).
    may_acknowledge = found.checkin.signup.user_id != user.pk
    if request.method == "POST" and not may_acknowledge:
        raise Http404
    if request.method == "POST":
        form = AcknowledgeForm(request.POST)
        if form.is_valid() and found.acknowledged_at is None:
            actions.acknowledge_escalation(
                escalation=found, actor=user, note=form.cleaned_data["note"], request=request
            )
            messages.success(request, _("Acknowledged: it goes no further. Thank you."))
            return redirect("safety:escalation", escalation_id=found.pk)
        if form.is_valid():
            messages.info(request, _("Someone acknowledged it already."))
            return redirect("safety:escalation", escalation_id=found.pk)
        status = 400
    checkin_row = found.checkin
    signup = checkin_row.signup
    last = (
        CheckIn.objects.filter(signup=signup, answered_at__isnull=False)
        .order_by("-answered_at")
        .first()
    )
    # The latest answer, when it came after the alert was raised.
    answered = last.answered_at if last is not None else None
    since = last if answered is not None and answered > found.raised_at else None
    note = actions.open_checkin_note(actor=user, checkin=checkin_row, request=request)
    acknowledgement = actions.open_acknowledgement(actor=user, escalation=found, request=request)
    levels = [(value, label, value <= found.level) for value, label in EscalationLevel.choices]
    return render(
        request,
        "field/safety_escalation.html",
        {
            "escalation": found,
            "checkin": checkin_row,
            "signup": signup,
            "shift": signup.shift,
            "volunteer_first_name": signup.user.first_name,
            "since": since,
            "last": last,
            "note": note,
            "acknowledgement": acknowledgement,
            "levels": levels,
            "form": form,
            "may_acknowledge": may_acknowledge,
        },
        status=status,
    )


# --- incident notes --------------------------------------------------------------------------


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What happened"),
        choices=IncidentKind.choices,
        widget=forms.RadioSelect(attrs={"class": "big-choice"}),
    )
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        help_text=gettext_lazy("What you saw, in a few words. Stored encrypted."),
        max_length=incident_actions.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].help_text = _("On your clock (%(zone)s).") % {
            "zone": zone_label()
        }


@signed_in
@GET_POST
@never_cache
def incident_new(request: HttpRequest, shift_id: int) -> HttpResponse:
    user = _user(request)
    shift = get_shift_for_incident(user, shift_id)
    redirect_to = _second_factor(request)
    if redirect_to is not None:
        return redirect_to
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                incident_actions.record_incident(
                    shift=shift,
                    kind=form.cleaned_data["kind"],
                    occurred_at=form.cleaned_data["occurred_at"],
                    note=form.cleaned_data["note"],
                    actor=user,
                    request=request,
                )
            except incident_actions.IncidentError as error:
                form.add_error(error.field, str(error.message))
            else:
                messages.success(request, _("The incident was noted. Thank you; stay safe."))
                return redirect("safety:incident_new", shift_id=shift.pk)
        return _incident_page(request, shift, form, status=400)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return _incident_page(request, shift, IncidentForm(initial={"occurred_at": now}))


def _incident_page(
    request: HttpRequest, shift: Shift, form: IncidentForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request, "field/safety_incident.html", {"shift": shift, "form": form}, status=status
    )
