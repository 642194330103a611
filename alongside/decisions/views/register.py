"""Stub: replaced by the helper that owns this module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from alongside.lib.access import group_member


@group_member
def register(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def register_csv(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def register_json(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def add_action(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def action_done(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")
