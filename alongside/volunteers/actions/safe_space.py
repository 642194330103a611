"""Safe-space concerns: a volunteer or applicant tells their group, confidentially, about
something that made a space unsafe for them.

Who reads a concern: the group's designated safe-space contacts, or every core member when the
group has designated nobody. Contacts are core members (reading needs the core role and its
second factor, like every management screen): a designated person who stops being core stops
reading, and when no designated person is left the concern goes to the whole core again, so a
concern is never addressed to nobody. A concern may be about a core member: once contacts are
designated, only they may change the list, so that the others cannot add themselves to read it.

The text is encrypted at rest; every read is audited; the emails carry a link, never the text.
A person may stay anonymous to the group: then `raised_by` is empty and the audit entry's actor
is "anonymous" too, and nobody can answer them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from alongside.accounts.models import User
from alongside.lib import audit
from alongside.lib.tasks import enqueue_on_commit
from alongside.movement.models import Group, Role
from alongside.volunteers.models import SafeSpaceConcern, SafeSpaceContact
from alongside.volunteers.tasks import notify_safe_space_readers

# Generous for a person in distress, tight enough that a script cannot flood a group's core.
CONCERNS_PER_DAY = 10


def groups_to_raise_with(user: Any) -> QuerySet[Group]:
    """The groups a person may raise a concern with: those they applied to or belong to."""
    if not getattr(user, "is_authenticated", False):
        return Group.objects.none()
    return (
        Group.objects.filter(Q(applications__user=user) | Q(memberships__user=user))
        .distinct()
        .order_by("name_en")
    )


def core_members(group: Group) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__group=group, memberships__role=Role.CORE, is_active=True)
        .distinct()
        .order_by("name", "email")
    )


def designated_contacts(group: Group) -> QuerySet[User]:
    """The designated contacts who can still read concerns (those who still hold the core role)."""
    return core_members(group).filter(
        pk__in=SafeSpaceContact.objects.filter(group=group).values("user")
    )


def concern_readers(group: Group) -> QuerySet[User]:
    """Who receives and may read the group's concerns."""
    designated = designated_contacts(group)
    return designated if designated.exists() else core_members(group)


def may_read_concerns(user: Any, group: Group) -> bool:
    return bool(getattr(user, "pk", None)) and concern_readers(group).filter(pk=user.pk).exists()


@transaction.atomic
def raise_concern(
    *,
    user: User,
    group: Group,
    body: str,
    anonymous: bool,
    request: HttpRequest | None = None,
) -> SafeSpaceConcern:
    """Store the concern encrypted and tell its readers that there is one (a link only)."""
    concern = SafeSpaceConcern.objects.create(
        group=group, raised_by=None if anonymous else user, body=body
    )
    # The person chose not to be named: the audit log must not name them either.
    audit.record(
        actor=AnonymousUser() if anonymous else user,
        action="create",
        target=concern,
        request=request,
        detail={"group": group.slug, "anonymous": anonymous},
    )
    enqueue_on_commit(notify_safe_space_readers, concern.pk)
    return concern


def open_concern(
    *, actor: User, concern: SafeSpaceConcern, request: HttpRequest | None = None
) -> None:
    """Record that `actor` read the concern's text."""
    audit.record(actor=actor, action="read", target=concern, request=request)


@transaction.atomic
def mark_concern_handled(
    *,
    actor: User,
    concern: SafeSpaceConcern,
    handled: bool = True,
    request: HttpRequest | None = None,
) -> bool:
    """Mark the concern handled (or open again); False when it already was."""
    if handled == concern.is_handled:
        return False
    concern.handled_at = timezone.now() if handled else None
    concern.handled_by = actor if handled else None
    concern.save(update_fields=["handled_at", "handled_by"])
    audit.record(
        actor=actor,
        action="update",
        target=concern,
        request=request,
        detail={"fields": ["handled_at", "handled_by"], "handled": handled},
    )
    return True


def may_change_contacts(user: Any, group: Group) -> bool:
    """Any core member while nobody is designated; afterwards the designated contacts only:
    those who read the concerns."""
    return may_read_concerns(user, group)


@transaction.atomic
def designate_contact(
    *, actor: User, group: Group, user: User, request: HttpRequest | None = None
) -> SafeSpaceContact:
    contact, created = SafeSpaceContact.objects.get_or_create(group=group, user=user)
    if created:
        audit.record(
            actor=actor,
            action="create",
            target=contact,
            request=request,
            detail={"group": group.slug, "user": user.pk},
        )
    return contact


@transaction.atomic
def remove_contact(
    *, actor: User, group: Group, user: User, request: HttpRequest | None = None
) -> bool:
    contact = SafeSpaceContact.objects.filter(group=group, user=user).first()
    if contact is None:
        return False
    audit.record(
        actor=actor,
        action="delete",
        target=contact,
        request=request,
        detail={"group": group.slug, "user": user.pk},
    )
    contact.delete()
    return True
