"""Stub: replaced by the helper that owns this module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from alongside.lib.access import group_member


@group_member
def rule(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def mandates(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def mandate(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def ratifications(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def absences(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def delete_absence(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")
