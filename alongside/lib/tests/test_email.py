from __future__ import annotations

import logging
import smtplib
import traceback
from collections.abc import Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

from alongside.lib.email import NotificationNotSent, send_notification

REFUSED = "refused@example.org"


class RefusingBackend(EmailBackend):
    """Delivers like the test backend, except to one address, which the server refuses the
    way smtplib does: with the address in the exception."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"no such user")})
        return super().send_messages(messages)


def _send(to: list[str]) -> int:
    return send_notification(
        to=to,
        template="volunteers/email/training_promoted",
        context={"first_name": "Sam", "group_name": "Group", "link": "https://x.test/"},
    )


def test_every_recipient_gets_their_own_message() -> None:
    assert _send(["one@example.org", "two@example.org"]) == 2
    assert [message.to for message in mail.outbox] == [["one@example.org"], ["two@example.org"]]


def test_a_refused_recipient_does_not_stop_the_others(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with pytest.raises(NotificationNotSent):
        _send([REFUSED, "other@example.org"])
    assert [message.to for message in mail.outbox] == [["other@example.org"]]


def test_a_send_error_carries_no_address_into_the_exception_or_the_log(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(NotificationNotSent) as raised:
        _send(["other@example.org", REFUSED])
    error = raised.value
    assert REFUSED not in str(error)
    assert REFUSED not in repr(error)
    assert error.__cause__ is None
    assert error.__context__ is None
    # What django-tasks stores of a failed task: the formatted traceback.
    assert REFUSED not in "".join(traceback.format_exception(error))
    assert "could not send" in caplog.text
    assert REFUSED not in caplog.text
    assert "example.org" not in caplog.text
