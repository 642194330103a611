"""What a visitor can change: sending a message to a group."""

from __future__ import annotations

from django.db import transaction

from alongside.lib import audit
from alongside.lib.tasks import enqueue_on_commit
from alongside.movement.models import ContactMessage, Group
from alongside.public.tasks import notify_core_of_contact_message


@transaction.atomic
def send_contact_message(
    *, group: Group, sender_name: str, sender_email: str, body: str, language: str
) -> ContactMessage:
    """Keep a visitor's message for the group's inbox and tell the group's core members that it
    arrived. Who wrote and what they wrote stay in the (encrypted) row: the notification only
    links to the inbox."""
    message = ContactMessage.objects.create(
        group=group,
        sender_name=sender_name,
        sender_email=sender_email,
        body=body,
        language=language,
    )
    audit.record(actor=None, action="create", target=message)
    enqueue_on_commit(notify_core_of_contact_message, message.pk)
    return message
