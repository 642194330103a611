"""Background work of the public site: telling a group that a contact message arrived."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from alongside.accounts.models import User
from alongside.lib.email import send_notification
from alongside.lib.i18n import localized
from alongside.movement.models import ContactMessage, Role

# Long enough to outlive any retry of the same task by a worker.
_NOTIFIED_FOR_SECONDS = 30 * 24 * 3600


@task()
def notify_core_of_contact_message(message_id: int) -> int:
    """Email each core member of the message's group, in their language, that a message
    arrived, with a link to the inbox and nothing else: no content, no sender (DESIGN
    invariant 2). Returns how many emails were sent.

    Enqueued once per message. A claim in the shared cache makes a second run (a retry, or two
    workers picking up the same task) send nothing, so the end state is the same."""
    message = ContactMessage.objects.select_related("group").filter(pk=message_id).first()
    if message is None:
        return 0
    claim = f"public:contact-notified:{message.row_key}"
    if not cache.add(claim, True, timeout=_NOTIFIED_FOR_SECONDS):
        return 0
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
                context={"group_name": group_name, "inbox_url": f"{settings.SITE_URL}{inbox}"},
                language=language,
            )
    except Exception:
        # Let a retry send what this run could not.
        cache.delete(claim)
        raise
    return sent
