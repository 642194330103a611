"""The field coordinators' invitation screens: the team's invitations, one entered on a
community's behalf, changes and cancellations, and the team's rules per kind of activity."""

from __future__ import annotations

import copy
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from alongside.field.access.invitations import get_invitation_for_team, get_shift_of_invitation
from alongside.field.actions import invitations as actions
from alongside.field.forms.invitations import (
    ActivityRulesForm,
    CommunityChoiceField,
    CoordinatorInvitationForm,
    FieldSettingsForm,
)
from alongside.field.models import ActivityKind, Invitation, InvitationStatus
from alongside.field.rules import rules_by_team_and_kind, rules_for
from alongside.field.rules import settings_for as field_settings_for
from alongside.field.views import invitation_pages as pages
from alongside.lib.access import field_coordinator
from alongside.movement.models import Group, PartnerCommunity

INVITATIONS_PER_PAGE = 25
GET_POST = require_http_methods(["GET", "POST"])


class InvitationFilter(forms.Form):
    community = CommunityChoiceField(
        label=gettext_lazy("Community"),
        queryset=PartnerCommunity.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of activity"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args: Any, team: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CommunityChoiceField, self.fields["community"]).queryset = _communities(team)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("All")),
            *ActivityKind.choices,
        ]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("All")),
            *InvitationStatus.choices,
        ]


def _communities(team: Group) -> Any:
    return PartnerCommunity.objects.filter(group=team, is_active=True).order_by("name_en")


def _page(
    request: HttpRequest, template: str, team: Group, status: int = 200, **context: Any
) -> HttpResponse:
    return render(request, f"field/{template}.html", {"team": team, **context}, status=status)


@field_coordinator
@require_GET
def invitation_list(request: HttpRequest, team: Group) -> HttpResponse:
    filters = InvitationFilter(request.GET or None, team=team)
    invitations = pages.with_summary(Invitation.objects.of_team(team))
    chosen: dict[str, str] = {}
    if filters.is_bound and filters.is_valid():
        if filters.cleaned_data["community"]:
            invitations = invitations.filter(community=filters.cleaned_data["community"])
        for name in ("kind", "status"):
            if filters.cleaned_data[name]:
                invitations = invitations.filter(**{name: filters.cleaned_data[name]})
        chosen = {k: request.GET[k] for k in ("community", "kind", "status") if request.GET.get(k)}
    invitations = invitations.order_by("-starts_on", "-pk")
    page = Paginator(invitations, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return _page(
        request, "invitation_list", team, page=page, filters=filters, query=urlencode(chosen)
    )


@field_coordinator
@GET_POST
def invitation_new(request: HttpRequest, team: Group) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = CoordinatorInvitationForm(data, communities=_communities(team))
    if data is None:
        kind = request.GET.get("kind", ActivityKind.DEMONSTRATION)
        rules = rules_for(team, kind if kind in ActivityKind.values else ActivityKind.OTHER)
        form.initial.update(
            signup_cutoff_hours=rules.signup_cutoff_hours,
            checkin_every_hours=rules.checkin_every_hours,
            kind=rules.kind,
        )
    if data is not None and form.is_valid():
        invitation = actions.create_invitation(
            actor=request.user,
            community=form.cleaned_data["community"],
            values={**form.values(), "language": request.LANGUAGE_CODE or "en"},
            invited_via=form.cleaned_data["invited_via"],
            invited_by=form.cleaned_data.get("invited_by", "").strip(),
            request=request,
        )
        messages.success(request, _("The invitation is saved and its dates are laid out."))
        return redirect(
            "coordinate:invitation_detail", team_slug=team.slug, invitation_id=invitation.pk
        )
    status = 400 if form.errors else 200
    return _page(request, "invitation_form", team, status=status, form=form)


def _back(team: Group, invitation: Invitation) -> str:
    return reverse(
        "coordinate:invitation_detail",
        kwargs={"team_slug": team.slug, "invitation_id": invitation.pk},
    )


def _told() -> str:
    return _(
        "Everyone signed up, offered a place or waiting is told, and so are the other field "
        "coordinators."
    )


@field_coordinator
@require_GET
def invitation_detail(request: HttpRequest, team: Group, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_team(team, invitation_id)
    return pages.detail_page(
        request,
        invitation,
        template="field/invitation_detail.html",
        with_source=True,
        context={"team": team},
    )


@field_coordinator
@GET_POST
def invitation_edit(request: HttpRequest, team: Group, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_team(team, invitation_id)
    return pages.edit_page(
        request,
        invitation,
        form_class=CoordinatorInvitationForm,
        communities=_communities(team),
        back=_back(team, invitation),
        message=_("The changes are saved; the people concerned are told."),
        template="field/invitation_form.html",
        with_source=True,
        context={"team": team},
    )


@field_coordinator
@GET_POST
def invitation_cancel(request: HttpRequest, team: Group, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_team(team, invitation_id)
    return pages.cancel_page(
        request,
        invitation,
        back=_back(team, invitation),
        message=_("The invitation is cancelled; the people concerned are told."),
        told=_told(),
        context={"team": team},
    )


@field_coordinator
@GET_POST
def invitation_cancel_shift(
    request: HttpRequest, team: Group, invitation_id: int, shift_id: int
) -> HttpResponse:
    invitation = get_invitation_for_team(team, invitation_id)
    shift = get_shift_of_invitation(invitation, shift_id)
    return pages.cancel_shift_page(
        request,
        invitation,
        shift,
        back=_back(team, invitation),
        message=_("This date is cancelled; the people concerned are told."),
        told=_told(),
        context={"team": team},
    )


# --- team rules ------------------------------------------------------------------------------


@field_coordinator
@GET_POST
def rules_edit(request: HttpRequest, team: Group) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    current = rules_by_team_and_kind([team])
    kinds = [
        (
            kind,
            label,
            ActivityRulesForm(data, instance=copy.copy(current[(team.pk, kind)]), prefix=kind),
        )
        for kind, label in ActivityKind.choices
    ]
    timings = FieldSettingsForm(
        data, instance=copy.copy(field_settings_for(team)), prefix="settings"
    )
    if data is not None and timings.is_valid() and all(f.is_valid() for _k, _l, f in kinds):
        changed = actions.save_team_rules(
            team=team,
            rules={kind: form.cleaned_data for kind, _label, form in kinds},
            settings_values=timings.cleaned_data,
            actor=request.user,
            request=request,
        )
        if changed:
            messages.success(request, _("The team rules are saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("coordinate:rules_edit", team_slug=team.slug)
    invalid = data is not None
    return _page(
        request, "rules_edit", team, status=400 if invalid else 200, kinds=kinds, timings=timings,
        invalid=invalid,
    )  # fmt: skip
