"""Notification emails. They carry a link and at most a first name, never the content or the
personal data that the link leads to (DESIGN invariant 2): mail passes through servers nobody
here controls, and sits in inboxes that border officers can search."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


class NotificationNotSent(Exception):
    """At least one recipient's message could not be sent. Carries no address: the exception
    ends up in logs and in the task queue's stored traceback, where an address must not."""


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_notification(
    *,
    to: Iterable[str],
    template: str,
    context: Mapping[str, Any],
    language: str = "en",
) -> int:
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language` and send one
    message to each address (never one message to many, which would reveal the others).

    Each recipient is tried whatever happened to the others; when any failed, raises
    `NotificationNotSent` afterwards, so that a task's retry sends what is missing. The mail
    backend's own error names the refused address, so it is neither logged nor chained."""
    sent = 0
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", dict(context)).split())
        body = render_to_string(f"{template}_body.txt", dict(context))
    failed = 0
    for address in to:
        message = EmailMultiAlternatives(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        try:
            sent += message.send()
        except Exception as error:
            failed += 1
            log.warning("could not send %s to one recipient (%s)", template, type(error).__name__)
    if failed:
        # Raised outside the handler and `from None`: no backend error rides along.
        raise NotificationNotSent(f"{template}: {failed} of {sent + failed} not sent") from None
    return sent
