from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alongside.lib.access import signed_in


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """A signed-in person's own page: their groups and roles, and where to go next."""
    return render(request, "accounts/home.html", {})
