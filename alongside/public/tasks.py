"""Background work of the public site: telling a group that a contact message arrived."""

from __future__ import annotations

from itertools import groupby

from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from alongside.accounts.models import User
from alongside.lib.email import absolute_url, send_notification
from alongside.lib.i18n import localized
from alongside.movement.models import ContactMessage, Role


@task()
def notify_core_of_contact_message(message_id: int) -> int:
    """Email each core member of the message's group, in their language, that a message
    arrived, with a link to the inbox and nothing else: no content, no sender (DESIGN
    invariant 2). Returns how many emails were sent.

    Enqueued once per message. The message is claimed with a conditional UPDATE of
    `notified_at`, so a second run (a retry, or two workers picking up the same task) finds it
    claimed and sends nothing: the end state is the same."""
    claimed = ContactMessage.objects.filter(pk=message_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    message = ContactMessage.objects.select_related("group").get(pk=message_id)
    group = message.group
    recipients = (
        User.objects.filter(is_active=True, memberships__group=group, memberships__role=Role.CORE)
        .distinct()
        .order_by("language", "pk")
    )
    sent = 0
    try:
        for language, people in groupby(recipients, key=lambda user: user.language):
            with translation.override(language):
                inbox = reverse("movement:inbox", kwargs={"group_slug": group.slug})
                group_name = localized(group, "name", language)
            sent += send_notification(
                to=[person.email for person in people],
                template="public/email/contact_message",
                context={"group_name": group_name, "inbox_url": absolute_url(inbox)},
                language=language,
            )
    except Exception:
        # Let a retry send what this run could not.
        ContactMessage.objects.filter(pk=message_id).update(notified_at=None)
        raise
    return sent
