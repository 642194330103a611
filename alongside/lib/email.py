"""Notification emails. They carry a link and at most a first name, never the content or the
personal data that the link leads to (DESIGN invariant 2): mail passes through servers nobody
here controls, and sits in inboxes that border officers can search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


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
    message to each address (never one message to many, which would reveal the others)."""
    sent = 0
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", dict(context)).split())
        body = render_to_string(f"{template}_body.txt", dict(context))
    for address in to:
        message = EmailMultiAlternatives(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        sent += message.send()
    return sent
