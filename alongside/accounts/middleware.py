"""Session rules for people who can see other people's data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.lib.access import is_privileged

LAST_SEEN_KEY = "alongside_last_seen"


class PrivilegedSessionMiddleware:
    """Sessions of privileged people (core members, documenters, admin staff) end after
    PRIVILEGED_SESSION_IDLE_SECONDS without a request: a phone left unlocked at a checkpoint
    should not keep a door open to volunteers' data.

    Two guards: the session store's own expiry (set on every response, so the idle window
    slides), and a last-seen time in the session checked on every request, which also covers a
    session that began before the person gained a privileged role."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle = settings.PRIVILEGED_SESSION_IDLE_SECONDS
        now = timezone.now().timestamp()
        if is_privileged(request.user):
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - float(last_seen) > idle:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out after %(minutes)d minutes without activity, "
                        "to protect the people whose data you can see. Please sign in again."
                    )
                    % {"minutes": idle // 60},
                )
        response = self.get_response(request)
        # Checked again after the view: the person may have just signed in on this request.
        user = getattr(request, "user", None)
        if is_privileged(user) and hasattr(request, "session"):
            request.session[LAST_SEEN_KEY] = now
            request.session.set_expiry(idle)
        return response
