"""The community partner's screens: their invitations, a new one, who is coming (first names
and languages only), changing and cancelling. Partners sign in without a second factor: they see
no one's personal data beyond a first name (docs/decisions/0009)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.field import recurrence
from alongside.field.access.invitations import (
    get_invitation_for_partner,
    get_shift_of_invitation,
    invitations_for_partner,
)
from alongside.field.actions import invitations as actions
from alongside.field.forms.invitations import InvitationForm
from alongside.field.models import Invitation, InvitationStatus, Recurrence
from alongside.field.views import invitation_pages as pages
from alongside.lib.access import communities_for_partner, partner_only

INVITATIONS_PER_PAGE = 20
GET_POST = require_http_methods(["GET", "POST"])


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, f"field/partner_{template}.html", context, status=status)


def _back(invitation: Invitation) -> str:
    return reverse("partner:invitation", kwargs={"invitation_id": invitation.pk})


def _told() -> str:
    return _("The volunteers signed up and the field team are told.")


# --- the screens -----------------------------------------------------------------------------


@partner_only
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    today = recurrence.today()
    current = Q(status=InvitationStatus.ACTIVE) & (
        Q(ends_on__isnull=True) & ~Q(recurrence=Recurrence.ONCE)
        | Q(ends_on__gte=today)
        | Q(starts_on__gte=today)
    )
    invitations = pages.with_summary(invitations_for_partner(request.user))
    if past:
        invitations = invitations.exclude(current).order_by("-starts_on", "-pk")
    else:
        invitations = invitations.filter(current).order_by("starts_on", "start_time", "pk")
    page = Paginator(invitations, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "home", page=page, past=past)


@partner_only
@GET_POST
def invitation_new(request: HttpRequest) -> HttpResponse:
    communities = communities_for_partner(request.user).order_by("name_en")
    data = request.POST if request.method == "POST" else None
    form = InvitationForm(data, communities=communities)
    if data is not None and form.is_valid():
        values = form.values()
        values["language"] = (request.LANGUAGE_CODE or "ar")[:8]
        invitation = actions.create_invitation(
            actor=request.user,
            community=form.cleaned_data["community"],
            values=values,
            request=request,
        )
        messages.success(request, _("Your invitation is sent to the field team."))
        return redirect("partner:invitation", invitation_id=invitation.pk)
    return _page(request, "form", status=400 if form.errors else 200, form=form)


@partner_only
@require_GET
def invitation_detail(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_partner(request.user, invitation_id)
    return pages.detail_page(request, invitation, template="field/partner_detail.html")


@partner_only
@GET_POST
def invitation_edit(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_partner(request.user, invitation_id)
    return pages.edit_page(
        request,
        invitation,
        form_class=InvitationForm,
        communities=communities_for_partner(request.user),
        back=_back(invitation),
        message=_("Your changes are saved; the team is told."),
        template="field/partner_form.html",
    )


@partner_only
@GET_POST
def invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_partner(request.user, invitation_id)
    return pages.cancel_page(
        request,
        invitation,
        back=_back(invitation),
        message=_("The invitation is cancelled; the team is told."),
        told=_told(),
    )


@partner_only
@GET_POST
def shift_cancel(request: HttpRequest, invitation_id: int, shift_id: int) -> HttpResponse:
    invitation = get_invitation_for_partner(request.user, invitation_id)
    shift = get_shift_of_invitation(invitation, shift_id)
    return pages.cancel_shift_page(
        request,
        invitation,
        shift,
        back=_back(invitation),
        message=_("This date is cancelled; the team is told."),
        told=_told(),
    )
