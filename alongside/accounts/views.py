"""A signed-in person's own page. Everything else about accounts is allauth's."""

from __future__ import annotations

import copy
from itertools import groupby

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts import actions
from alongside.accounts.forms import ProfileForm
from alongside.accounts.models import User
from alongside.decisions.waiting import waiting_for
from alongside.lib.access import (
    communities_for_partner,
    coordinated_teams,
    signed_in,
    used_second_factor,
)
from alongside.movement.models import Membership, Role
from alongside.volunteers.models import Application, Stage

# The home page lists this many decisions waiting for an answer, the soonest deadline first.
DECISIONS_SHOWN = 10


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """The person's groups and roles, the communities they speak for, and how safe their account
    is (second factor, open sessions)."""
    user = request.user
    assert isinstance(user, User)
    return render(
        request, "accounts/home.html", _home_context(request, user, ProfileForm(instance=user))
    )


@signed_in
@require_POST
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    # The form works on a copy: an invalid form must not change the person the page shows.
    form = ProfileForm(request.POST, instance=copy.copy(user))
    if not form.is_valid():
        return render(request, "accounts/home.html", _home_context(request, user, form), status=400)
    actions.update_profile(
        user=user,
        request=request,
        name=form.cleaned_data["name"],
        language=form.cleaned_data["language"],
        time_zone=form.cleaned_data["time_zone"],
    )
    messages.success(request, _("Your profile was saved."))
    return redirect("accounts:home")


def _home_context(request: HttpRequest, user: User, form: ProfileForm) -> dict[str, object]:
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("group")
        .order_by("group__name_en", "role")
    )
    groups = [
        {
            "group": group,
            "roles": [m.get_role_display() for m in rows],
            "is_core": any(m.role == Role.CORE for m in rows),
        }
        for group, rows in ((g, list(rs)) for g, rs in groupby(memberships, key=lambda m: m.group))
    ]
    authenticator_types = set(
        Authenticator.objects.filter(user=user).values_list("type", flat=True)
    )
    return {
        "groups": groups,
        "communities": communities_for_partner(user).select_related("group"),
        "field_ready": Application.objects.filter(
            user=user, stage__in=(Stage.READY, Stage.IN_FIELD)
        ).exists(),
        "field_teams": coordinated_teams(user),
        "has_totp": Authenticator.Type.TOTP in authenticator_types,
        "has_passkey": Authenticator.Type.WEBAUTHN in authenticator_types,
        "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in authenticator_types,
        "used_second_factor": used_second_factor(request),
        "session_count": len(UserSession.objects.purge_and_list(user)),
        "decisions_waiting": list(waiting_for(user)[:DECISIONS_SHOWN]),
        "form": form,
    }
