"""The public site: what anyone can read, in English or Arabic, without JavaScript."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from alongside.lib.access import public


@public
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise: for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {})


def _error(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "error.html", {"status": status}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "error.html", {"status": 403, "csrf": True}, status=403)


# Placeholders until the public site lands; each renders the home template.
about = get_involved = faq = groups = home


@public
def principles(request: HttpRequest) -> HttpResponse:
    return home(request)


@public
def principles_version(request: HttpRequest, number: int) -> HttpResponse:
    return home(request)


@public
def group(request: HttpRequest, slug: str) -> HttpResponse:
    return home(request)


@public
def group_contact(request: HttpRequest, slug: str) -> HttpResponse:
    return home(request)
