"""Stub: replaced by the helper that owns this module."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from alongside.lib.access import signed_in


@signed_in
def new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@signed_in
def detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@signed_in
def respond(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
