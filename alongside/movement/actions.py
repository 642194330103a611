"""The only ways to change a group's profile, content, principles, people, partner communities
and inbox. Each action is atomic and writes the audit log: who changed what (field names,
never values), so that a group can always answer "who did this?" without the log itself
becoming a copy of the data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.lib.audit import record
from alongside.lib.changes import apply_changes, save_changes
from alongside.movement.models import (
    ContactMessage,
    FaqEntry,
    Group,
    Membership,
    Page,
    PartnerCommunity,
    PartnerContact,
    Principle,
    PrinciplesVersion,
    Role,
)

PROFILE_FIELDS = (
    "name_en",
    "name_ar",
    "region_en",
    "region_ar",
    "summary_en",
    "summary_ar",
    "description_en",
    "description_ar",
    "how_to_reach_en",
    "how_to_reach_ar",
    "public_email",
    "languages",
    "countries",
    "is_listed",
)
PAGE_FIELDS = (
    "slug",
    "title_en",
    "title_ar",
    "body_en",
    "body_ar",
    "position",
    "is_published",
)
FAQ_FIELDS = (
    "question_en",
    "question_ar",
    "answer_en",
    "answer_ar",
    "position",
    "is_published",
)
COMMUNITY_FIELDS = ("slug", "name_en", "name_ar", "locality_en", "locality_ar", "is_active")


class ActionRefused(Exception):
    """The change would break a rule of the movement; `message` says which, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AddressTaken(ActionRefused):
    def __init__(self) -> None:
        super().__init__(str(_("Another one in this group already uses this address.")))


class LastCoreMember(ActionRefused):
    def __init__(self) -> None:
        super().__init__(
            str(
                _(
                    "A group always needs at least one core member. Grant the core role to "
                    "someone else before removing this one."
                )
            )
        )


class PrinciplesConflict(ActionRefused):
    def __init__(self) -> None:
        super().__init__(
            str(
                _(
                    "Someone else published a version of the principles at the same moment. "
                    "Look at the newest version and publish again if yours is still needed."
                )
            )
        )


@dataclass(frozen=True)
class PrincipleText:
    title_en: str
    text_en: str
    title_ar: str = ""
    text_ar: str = ""


def _save_unique(obj: Any) -> None:
    """Save `obj`, turning a clash on a unique address (two people saving the same slug at
    once, past the form's check) into a message instead of an error page."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise AddressTaken from error


_Row = TypeVar("_Row", Membership, PartnerContact)


def _insert_once(model: type[_Row], **values: Any) -> _Row | None:
    """Create the `model` row of `values`; None when it exists already, also when someone else
    created it in the same instant (the end state is the one wanted)."""
    if model._default_manager.filter(**values).exists():
        return None
    row = model(**values)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None
    return row


_Content = TypeVar("_Content", Page, FaqEntry, PartnerCommunity)


def _save_group_object(
    model: type[_Content],
    existing: _Content | None,
    *,
    actor: User,
    group: Group,
    values: Mapping[str, Any],
    fields: Sequence[str],
    has_address: bool,
    before_save: Callable[[_Content], None] | None = None,
    request: HttpRequest | None = None,
) -> _Content:
    """Create a `model` of `group` from `values`, or change `existing`, and record who did.
    Saving nothing when nothing changed keeps the audit log to real changes. `has_address`:
    the object has a slug unique in the group, whose clash becomes `AddressTaken`."""
    creating = existing is None
    if existing is None:
        obj = model(group=group)
    elif existing.group_id != group.pk:
        raise ValueError(f"The {model.__name__} belongs to another group.")
    else:
        obj = existing
    changed = apply_changes(obj, values, fields)
    if creating or changed:
        if before_save is not None:
            before_save(obj)
        if has_address:
            _save_unique(obj)
        else:
            obj.save()
        record(
            actor=actor,
            action="create" if creating else "update",
            target=obj,
            request=request,
            detail={"fields": changed},
        )
    return obj


# --- profile and content -------------------------------------------------------------------


@transaction.atomic
def update_group_profile(
    *,
    actor: User,
    group: Group,
    values: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> list[str]:
    """Change what the public directory says about `group`; returns the changed field names."""
    return save_changes(group, values, actor=actor, request=request, allowed=PROFILE_FIELDS)


@transaction.atomic
def save_page(
    *,
    actor: User,
    group: Group,
    values: Mapping[str, Any],
    page: Page | None = None,
    request: HttpRequest | None = None,
) -> Page:
    """Create a page of `group`, or change `page` (which must belong to `group`)."""

    def stamp(changed_page: Page) -> None:
        # The public page says when it was last changed; the group sees by whom.
        changed_page.updated_at = timezone.now()
        changed_page.updated_by = actor

    return _save_group_object(
        Page,
        page,
        actor=actor,
        group=group,
        values=values,
        fields=PAGE_FIELDS,
        has_address=True,
        before_save=stamp,
        request=request,
    )


@transaction.atomic
def delete_page(*, actor: User, page: Page, request: HttpRequest | None = None) -> None:
    record(actor=actor, action="delete", target=page, request=request, detail={"slug": page.slug})
    page.delete()


@transaction.atomic
def save_faq_entry(
    *,
    actor: User,
    group: Group,
    values: Mapping[str, Any],
    entry: FaqEntry | None = None,
    request: HttpRequest | None = None,
) -> FaqEntry:
    """Create a question and answer of `group`, or change `entry` (which must belong to
    `group`)."""
    return _save_group_object(
        FaqEntry,
        entry,
        actor=actor,
        group=group,
        values=values,
        fields=FAQ_FIELDS,
        has_address=False,
        request=request,
    )


@transaction.atomic
def delete_faq_entry(*, actor: User, entry: FaqEntry, request: HttpRequest | None = None) -> None:
    record(actor=actor, action="delete", target=entry, request=request)
    entry.delete()


# --- principles ----------------------------------------------------------------------------


def publish_principles(
    *,
    actor: User,
    group: Group,
    principles: Sequence[PrincipleText],
    intro_en: str = "",
    intro_ar: str = "",
    change_note_en: str = "",
    change_note_ar: str = "",
    request: HttpRequest | None = None,
) -> PrinciplesVersion:
    """Publish version N+1 of `group`'s principles. Earlier versions are never changed:
    volunteers agreed to them as they were.

    The next number is computed inside the transaction; if another core member publishes in
    the same instant, the unique (group, number) constraint refuses one of the two, which is
    tried once more with a fresh number and otherwise refused with a clear message."""
    if not principles:
        raise ActionRefused(str(_("The principles need at least one principle.")))
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _publish_version(
                    actor=actor,
                    group=group,
                    principles=principles,
                    intro_en=intro_en,
                    intro_ar=intro_ar,
                    change_note_en=change_note_en,
                    change_note_ar=change_note_ar,
                    request=request,
                )
        except IntegrityError as error:
            if attempt == 1:
                raise PrinciplesConflict from error
    raise AssertionError("unreachable")  # pragma: no cover


def _publish_version(
    *,
    actor: User,
    group: Group,
    principles: Sequence[PrincipleText],
    intro_en: str,
    intro_ar: str,
    change_note_en: str,
    change_note_ar: str,
    request: HttpRequest | None,
) -> PrinciplesVersion:
    latest = PrinciplesVersion.objects.filter(group=group).aggregate(n=Max("number"))["n"]
    version = PrinciplesVersion.objects.create(
        group=group,
        number=(latest or 0) + 1,
        intro_en=intro_en,
        intro_ar=intro_ar,
        change_note_en=change_note_en,
        change_note_ar=change_note_ar,
        published_at=timezone.now(),
        published_by=actor,
    )
    Principle.objects.bulk_create(
        Principle(
            version=version,
            position=position,
            title_en=item.title_en,
            title_ar=item.title_ar,
            text_en=item.text_en,
            text_ar=item.text_ar,
        )
        for position, item in enumerate(principles, start=1)
    )
    record(
        actor=actor,
        action="publish",
        target=version,
        request=request,
        detail={"number": version.number, "principles": len(principles)},
    )
    return version


# --- people and roles ----------------------------------------------------------------------


@transaction.atomic
def grant_role(
    *,
    actor: User | None,
    group: Group,
    user: User,
    role: str,
    request: HttpRequest | None = None,
    by_consensus: bool = False,
) -> bool:
    """Give `user` the `role` in `group`; False when they already held it.

    Nobody grants the core role by rank: taking on coordinating responsibilities is decided
    by the group, by consensus on a "joining the core group" proposal. So `Role.CORE` is
    granted only with `by_consensus=True`, which only the agreed proposal's effect passes
    (`decisions.actions.effects`); without it this raises ValueError. The group management
    screens offer the member and documenter roles and link to proposing it instead.

    Two ways outside this function still create core memberships, to bootstrap a group that
    has no core yet to decide: the Django admin (staff, with a second factor) and the demo
    loader (`alongside.demo.loader`). Taking the core role away (stepping down, removal) is
    `revoke_role` and needs no proposal."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}.")
    if role == Role.CORE and not by_consensus:
        raise ValueError("The core role is granted only by the group's consensus.")
    membership = _insert_once(Membership, group=group, user=user, role=role)
    if membership is None:
        return False
    record(
        actor=actor,
        action="grant",
        target=membership,
        request=request,
        detail={"role": role, "user": user.pk},
    )
    return True


@transaction.atomic
def add_member(
    *,
    actor: User,
    group: Group,
    user: User,
    roles: Sequence[str],
    request: HttpRequest | None = None,
) -> list[str]:
    """Bring `user` into `group` with all of `roles` at once (or none, should one fail);
    returns the roles they did not hold before. `roles` cannot include the core role (see
    `grant_role`)."""
    return [
        role
        for role in roles
        if grant_role(actor=actor, group=group, user=user, role=role, request=request)
    ]


@transaction.atomic
def revoke_role(
    *,
    actor: User,
    group: Group,
    user: User,
    role: str,
    request: HttpRequest | None = None,
) -> bool:
    """Take the `role` in `group` from `user`; False when they did not hold it. Refuses to
    take the core role from the last core member: a group without one could no longer be
    run by anyone, and nobody could grant it again."""
    # Lock the group row so that two core members removing each other at once cannot both
    # pass the check below (SQLite serialises writers already; this is for PostgreSQL).
    Group.objects.select_for_update().filter(pk=group.pk).first()
    membership = Membership.objects.filter(group=group, user=user, role=role).first()
    if membership is None:
        return False
    if role == Role.CORE:
        others = Membership.objects.filter(group=group, role=Role.CORE).exclude(user=user)
        if not others.exists():
            raise LastCoreMember
    record(
        actor=actor,
        action="revoke",
        target=membership,
        request=request,
        detail={"role": role, "user": user.pk},
    )
    membership.delete()
    return True


# --- partner communities -------------------------------------------------------------------


@transaction.atomic
def save_partner_community(
    *,
    actor: User,
    group: Group,
    values: Mapping[str, Any],
    community: PartnerCommunity | None = None,
    request: HttpRequest | None = None,
) -> PartnerCommunity:
    """Create a partner community of `group`, or change `community` (which must belong to
    `group`)."""
    return _save_group_object(
        PartnerCommunity,
        community,
        actor=actor,
        group=group,
        values=values,
        fields=COMMUNITY_FIELDS,
        has_address=True,
        request=request,
    )


@transaction.atomic
def add_partner_contact(
    *,
    actor: User,
    community: PartnerCommunity,
    user: User,
    request: HttpRequest | None = None,
) -> bool:
    """Let `user` speak for `community` (the `partner` role); False when they already do."""
    contact = _insert_once(PartnerContact, community=community, user=user)
    if contact is None:
        return False
    record(
        actor=actor,
        action="grant",
        target=contact,
        request=request,
        detail={"role": "partner", "user": user.pk},
    )
    return True


@transaction.atomic
def remove_partner_contact(
    *, actor: User, contact: PartnerContact, request: HttpRequest | None = None
) -> None:
    record(
        actor=actor,
        action="revoke",
        target=contact,
        request=request,
        detail={"role": "partner", "user": contact.user_id},
    )
    contact.delete()


# --- inbox ---------------------------------------------------------------------------------


@transaction.atomic
def open_contact_message(
    *, actor: User, message: ContactMessage, request: HttpRequest | None = None
) -> None:
    """Record that `actor` read `message`: who wrote to a group is sensitive."""
    record(actor=actor, action="read", target=message, request=request)


@transaction.atomic
def mark_message_handled(
    *,
    actor: User,
    message: ContactMessage,
    handled: bool = True,
    request: HttpRequest | None = None,
) -> None:
    """Mark `message` as answered (or back to waiting), so that the core knows nobody still
    needs to reply."""
    if handled == message.is_handled:
        return
    message.handled_at = timezone.now() if handled else None
    message.handled_by = actor if handled else None
    message.save(update_fields=["handled_at", "handled_by"])
    record(
        actor=actor,
        action="update",
        target=message,
        request=request,
        detail={"fields": ["handled_at", "handled_by"], "handled": handled},
    )
