"""Reactions to account events sent by django-allauth. Each one only calls an action."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.dispatch import receiver
from django.http import HttpRequest

from alongside.accounts import actions
from alongside.accounts.models import User


@receiver(password_changed, dispatch_uid="alongside.accounts.password_changed")
def _password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    actions.end_other_sessions(user=user, request=request, action="password_changed")


@receiver(password_set, dispatch_uid="alongside.accounts.password_set")
def _password_set(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    actions.end_other_sessions(user=user, request=request, action="password_set")


@receiver(password_reset, dispatch_uid="alongside.accounts.password_reset")
def _password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    actions.end_other_sessions(user=user, request=request, action="password_reset")


@receiver(authenticator_added, dispatch_uid="alongside.accounts.authenticator_added")
def _authenticator_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    actions.record_second_factor_added(user=user, request=request, authenticator=authenticator)


@receiver(authenticator_removed, dispatch_uid="alongside.accounts.authenticator_removed")
def _authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    actions.end_other_sessions(
        user=user,
        request=request,
        action="second_factor_removed",
        detail={"type": authenticator.type},
    )


@receiver(authenticator_reset, dispatch_uid="alongside.accounts.authenticator_reset")
def _authenticator_reset(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    actions.end_other_sessions(
        user=user,
        request=request,
        action="second_factor_reset",
        detail={"type": authenticator.type},
    )
