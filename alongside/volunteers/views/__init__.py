"""The pipeline's screens. What they share is here: the method check, the signed-in person
and the page of one of a group's screens."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from alongside.accounts.models import User
from alongside.movement.models import Group

GET_POST = require_http_methods(["GET", "POST"])


def signed_in_user(request: HttpRequest) -> User:
    """The person making the request; the access decorators have already turned anonymous
    visitors away."""
    return cast(User, request.user)


def render_in_group(
    request: HttpRequest,
    template: str,
    group: Group,
    *,
    section: str = "pipeline",
    **context: Any,
) -> HttpResponse:
    """`volunteers/<template>.html`, a screen of `group` under the navigation's `section`."""
    return render(
        request, f"volunteers/{template}.html", {"group": group, "section": section, **context}
    )
