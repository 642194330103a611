"""Stub: replaced by the helper that owns this module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from alongside.lib.access import group_member


@group_member
def index(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def new(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def detail(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def edit(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def open_proposal(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def withdraw(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def deadlines(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def comment(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def answered(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def suggest(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def amendment(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")


@group_member
def versions(request: HttpRequest, group: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("todo")
