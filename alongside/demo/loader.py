"""Load the demo world into the database, idempotently.

Content (groups, communities, pages, FAQ, principles) is created when missing and never
overwritten, so that someone trying the demo keeps their edits across restarts of `make run`.
The demo accounts' documented credentials (password, verified email, TOTP secret) are restored
when they differ, so that the README always tells the truth about how to sign in.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo import content
from alongside.demo.decisions import load_decisions
from alongside.demo.field import load_field
from alongside.demo.pipeline import load_pipeline
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
)
from alongside.public.actions import send_contact_message

FIELD_TEAM_SLUG = "palestine"
INBOX_GROUP_SLUG = "northern-california"


def load_demo() -> Counter[str]:
    """Create whatever of the demo world is missing; return what was created or restored."""
    created: Counter[str] = Counter()
    with transaction.atomic():
        groups = _load_groups(created)
        field_team = groups[FIELD_TEAM_SLUG]
        communities = _load_communities(field_team, created)
        people = _load_people(groups, communities, created)
        _load_principles(field_team, publisher=people.get("omar.shalabi"), created=created)
        _load_pages(groups, created)
        _load_faq(field_team, created)
        _load_contact_messages(groups[INBOX_GROUP_SLUG], created)
        load_pipeline(groups, people, created)
        load_field(groups, communities, people, created)
        load_decisions(groups, people, created)
    return +created  # drop the zero counts


def _load_groups(created: Counter[str]) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for data in content.GROUPS:
        fields = dict(data)
        slug = fields.pop("slug")
        group, was_created = Group.objects.get_or_create(slug=slug, defaults=fields)
        created["groups"] += was_created
        groups[slug] = group
    return groups


def _load_communities(field_team: Group, created: Counter[str]) -> dict[str, PartnerCommunity]:
    communities: dict[str, PartnerCommunity] = {}
    for data in content.COMMUNITIES:
        fields = dict(data)
        slug = fields.pop("slug")
        community, was_created = PartnerCommunity.objects.get_or_create(
            group=field_team, slug=slug, defaults=fields
        )
        created["partner communities"] += was_created
        communities[slug] = community
    return communities


def _load_people(
    groups: dict[str, Group],
    communities: dict[str, PartnerCommunity],
    created: Counter[str],
) -> dict[str, User]:
    people: dict[str, User] = {}
    for person in content.PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                person.email,
                content.DEMO_PASSWORD if person.persona else None,
                name=person.name,
                language=person.language,
                is_staff=person.is_staff,
                is_superuser=person.is_staff,
            )
            created["people"] += 1
        elif person.persona and not user.check_password(content.DEMO_PASSWORD):
            user.set_password(content.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created["passwords restored"] += 1
        _ensure_verified_email(user, created)
        if person.totp_secret:
            _ensure_totp(user, person.totp_secret, created)
        for group_slug, role in person.roles:
            _membership, was_created = Membership.objects.get_or_create(
                group=groups[group_slug], user=user, role=role
            )
            created["memberships"] += was_created
        for community_slug in person.partner_of:
            _contact, was_created = PartnerContact.objects.get_or_create(
                community=communities[community_slug], user=user
            )
            created["partner contacts"] += was_created
        people[person.local_part] = user
    return people


def _ensure_verified_email(user: User, created: Counter[str]) -> None:
    address, was_created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    if not was_created and not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    created["email addresses"] += was_created


def _ensure_totp(user: User, secret: str, created: Counter[str]) -> None:
    """Through allauth's own activation, so that the MFA adapter encrypts the secret."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        if decrypt(existing.data["secret"]) == secret:
            return
        existing.delete()
    TOTP.activate(user, secret)
    created["TOTP authenticators"] += 1


def _load_principles(field_team: Group, *, publisher: User | None, created: Counter[str]) -> None:
    now = timezone.now()
    for draft in content.PRINCIPLES_VERSIONS:
        version, was_created = PrinciplesVersion.objects.get_or_create(
            group=field_team,
            number=draft.number,
            defaults={
                "intro_en": content.PRINCIPLES_INTRO_EN,
                "intro_ar": content.PRINCIPLES_INTRO_AR,
                "change_note_en": draft.change_note_en,
                "change_note_ar": draft.change_note_ar,
                "published_at": now - timedelta(days=draft.days_ago),
                "published_by": publisher,
            },
        )
        created["principles versions"] += was_created
        if was_created:
            # A published version never changes, so its principles are written once, with it.
            Principle.objects.bulk_create(
                Principle(version=version, position=position, **principle)
                for position, principle in enumerate(draft.principles, start=1)
            )


def _load_pages(groups: dict[str, Group], created: Counter[str]) -> None:
    pages: list[tuple[Group, dict[str, Any]]] = [
        (groups[FIELD_TEAM_SLUG], page) for page in content.MOVEMENT_PAGES
    ]
    for slug, group_pages in content.GROUP_PAGES.items():
        pages += [(groups[slug], page) for page in group_pages]
    for group, data in pages:
        fields = dict(data)
        slug = fields.pop("slug")
        _page, was_created = Page.objects.get_or_create(group=group, slug=slug, defaults=fields)
        created["pages"] += was_created


def _load_faq(field_team: Group, created: Counter[str]) -> None:
    # FAQ entries have no natural key but their English question within the group.
    for position, data in enumerate(content.FAQ):
        fields = dict(data)
        question_en = fields.pop("question_en")
        _entry, was_created = FaqEntry.objects.get_or_create(
            group=field_team,
            question_en=question_en,
            defaults={**fields, "position": position},
        )
        created["FAQ entries"] += was_created


def _load_contact_messages(group: Group, created: Counter[str]) -> None:
    # Sender and text are encrypted, so they cannot be looked up: the messages are written only
    # into an empty inbox, which keeps a second run from adding them again.
    if ContactMessage.objects.filter(group=group).exists():
        return
    # Through the visitor's own action, so the core members are notified as for a real one.
    for data in content.CONTACT_MESSAGES:
        send_contact_message(
            group=group,
            sender_name=data["name"],
            sender_email=data["email"],
            body=data["body"],
            language=data["language"],
        )
        created["contact messages"] += 1
