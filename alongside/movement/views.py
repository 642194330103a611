from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alongside.lib.access import core_only
from alongside.movement.models import Group


@core_only
def dashboard(request: HttpRequest, group: Group) -> HttpResponse:
    return render(request, "movement/dashboard.html", {"group": group})


@core_only
def inbox(request: HttpRequest, group: Group) -> HttpResponse:
    return render(request, "movement/dashboard.html", {"group": group})
