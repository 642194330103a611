"""Session rules for people who can see other people's data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from alongside.lib.access import is_privileged


class PrivilegedSessionMiddleware:
    """Sessions of privileged people (core members, documenters, admin staff) end after
    PRIVILEGED_SESSION_IDLE_SECONDS without a request: a phone left unlocked at a checkpoint
    should not keep a door open to volunteers' data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_privileged(request.user):
            # set_expiry marks the session modified, so each request slides the idle window;
            # the session store refuses the session once it has passed.
            request.session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)
        return self.get_response(request)
