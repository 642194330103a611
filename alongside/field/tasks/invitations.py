"""Background work of invitations: laying out recurring shifts ahead, and the notices of
changes and cancellations."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from alongside.accounts.models import User
from alongside.field import recurrence
from alongside.field.actions.invitations import extend_shifts
from alongside.field.models import Invitation, InvitationStatus, Recurrence
from alongside.lib.email import absolute_url, send_notification
from alongside.lib.notices import send_once
from alongside.movement.models import Membership, PartnerContact, Role


@task()
def extend_recurring_shifts() -> int:
    """Daily: lay out the shifts of invitations up to the horizon (recurring ones, and one-off
    ones asked for further ahead than the horizon, as they come within it). Running it twice
    adds nothing: the dates laid out already are skipped."""
    today = recurrence.today()
    open_ones = (
        Invitation.objects.filter(status=InvitationStatus.ACTIVE)
        .exclude(ends_on__lt=today)
        .exclude(recurrence=Recurrence.ONCE, starts_on__lt=today)
        .order_by("pk")
    )
    return sum(extend_shifts(invitation=invitation) for invitation in open_ones)


@task()
def notify_invitation_change(
    invitation_id: int, user_ids: list[int], change: str, stamp: str
) -> int:
    """Tell each of `user_ids` that an invitation they are part of changed or was cancelled: a
    first name and a link to where they see it (the coordinators' page of the invitation, the
    partner's page of it, or the volunteer's field page). Not the place, date or community: the
    inbox may be read at a border. Each person's notice of one change (`stamp`) is sent once,
    however often the task runs."""
    invitation = Invitation.objects.select_related("community").filter(pk=invitation_id).first()
    if invitation is None:
        return 0
    team_id = invitation.community.group_id
    coordinators = set(
        Membership.objects.filter(group_id=team_id, role=Role.CORE).values_list(
            "user_id", flat=True
        )
    )
    partners = set(
        PartnerContact.objects.filter(community_id=invitation.community_id).values_list(
            "user_id", flat=True
        )
    )
    team_slug = invitation.community.group.slug
    sent = 0
    failed: Exception | None = None
    template = "field/email/invitation_" + ("cancelled" if change == "cancelled" else "changed")
    for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
        key = f"invitation-{change}:{invitation_id}:{user.pk}:{stamp}"
        if user.pk in coordinators:
            page = "coordinate:invitation_detail"
            kwargs: dict[str, Any] | None = {"team_slug": team_slug, "invitation_id": invitation_id}
        elif user.pk in partners:
            page, kwargs = "partner:invitation", {"invitation_id": invitation_id}
        else:
            page, kwargs = "field:home", None
        try:
            sent += send_once(key, partial(_send, user, template, page, kwargs))
        except Exception as error:  # the others are still told; this one on the retry
            failed = error
    if failed is not None:
        raise failed
    return sent


def _send(user: User, template: str, page: str, kwargs: dict[str, Any] | None) -> int:
    """One email: the person's first name and a link to `page`, in their language."""
    language = user.language or "en"
    with translation.override(language):
        path = reverse(page, kwargs=kwargs)
    return send_notification(
        to=[user.email],
        template=template,
        context={"first_name": user.first_name, "link": absolute_url(path)},
        language=language,
    )
