"""Erasing a person's application when they ask for it (from their page, "ask for deletion")."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.accounts.models import User
from alongside.lib.access import core_only
from alongside.movement.models import Group
from alongside.volunteers.access import get_application_for_group
from alongside.volunteers.actions.retention import erase_application


@core_only
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, group: Group, application_id: int) -> HttpResponse:
    application = get_application_for_group(group, application_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        actor = request.user
        assert isinstance(actor, User)
        erase_application(actor=actor, application=application, request=request)
        messages.success(
            request,
            _("Application #%(number)s is erased; only anonymous counts remain.")
            % {"number": application_id},
        )
        return redirect("pipeline:board", group_slug=group.slug)
    return render(
        request,
        "volunteers/screening_erase.html",
        {"group": group, "section": "pipeline", "application": application},
    )
