"""Erasing a person's application when they ask for it (from their page, "ask for deletion")."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from alongside.lib.access import core_only
from alongside.movement.models import Group
from alongside.volunteers.access import get_application_for_group
from alongside.volunteers.actions.retention import erase_application
from alongside.volunteers.views import GET_POST, render_in_group, signed_in_user


@core_only
@GET_POST
def erase(request: HttpRequest, group: Group, application_id: int) -> HttpResponse:
    application = get_application_for_group(group, application_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        erase_application(actor=signed_in_user(request), application=application, request=request)
        messages.success(
            request,
            _("Application #%(number)s is erased; only anonymous counts remain.")
            % {"number": application_id},
        )
        return redirect("pipeline:board", group_slug=group.slug)
    return render_in_group(request, "screening_erase", group, application=application)
