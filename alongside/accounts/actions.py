"""Changes to accounts that matter for safety. Views, allauth's signal receivers, admin actions
and tests call these; nothing else changes a person's security stamp or profile."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest

from alongside.accounts.models import User
from alongside.lib import audit
from alongside.lib.changes import save_changes


def end_other_sessions(
    *,
    user: User,
    request: HttpRequest | None,
    action: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """After the password or a second factor changed, sign out every session of `user` except
    the one that made the change. Whoever stole a password or a phone and kept a session open
    loses it the moment the owner notices and changes it."""
    with transaction.atomic():
        user.rotate_security_stamp()
        audit.record(actor=user, action=action, target=user, request=request, detail=detail)
    current_key: str | None = None
    if request is not None and _is_signed_in_as(request, user):
        if request.user is not user:
            request.user.security_stamp = user.security_stamp  # type: ignore[union-attr]
        # A new session key and hash: the person who made the change stays signed in.
        update_session_auth_hash(request, user)
        current_key = request.session.session_key
    # The new stamp already makes other sessions invalid; deleting them also empties the
    # person's list of open sessions and frees the session store.
    for session in UserSession.objects.filter(user=user).exclude(session_key=current_key or ""):
        session.end()


def record_second_factor_added(
    *, user: User, request: HttpRequest | None, authenticator: Authenticator
) -> None:
    """Adding an authenticator app or a passkey proves the person holds it (they just typed its
    code or touched it), so it counts as a second factor used in this session."""
    end_other_sessions(
        user=user,
        request=request,
        action="second_factor_added",
        detail={"type": authenticator.type},
    )
    if (
        request is not None
        and authenticator.type != Authenticator.Type.RECOVERY_CODES
        and _is_signed_in_as(request, user)
    ):
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, added=True
        )


def update_profile(
    *,
    user: User,
    request: HttpRequest | None,
    name: str,
    language: str,
    time_zone: str | None = None,
) -> User:
    """Change how a person is called, the language of the emails they get and the clock times
    are shown on (None: leave it as it is)."""
    values = {"name": name, "language": language}
    if time_zone is not None:
        values["time_zone"] = time_zone
    with transaction.atomic():
        save_changes(user, values, actor=user, request=request)
    return user


def _is_signed_in_as(request: HttpRequest, user: User) -> bool:
    current = getattr(request, "user", None)
    return bool(current is not None and current.is_authenticated and current.pk == user.pk)
