"""The applicant's and volunteer's own screens: applying, the principles gate, their page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alongside.lib.access import signed_in
from alongside.volunteers.access import current_application


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My page: the person's application and where it stands, or a call to apply."""
    application = current_application(request.user)
    return render(request, "volunteers/applicant_home.html", {"application": application})
