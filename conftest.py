"""The people every test tells a story about, and how they sign in.

Personas (one per role in DOMAIN.md):
- `core`: a core member of the Northern California support group, with TOTP set up.
- `coordinator`: a field coordinator (a core member of the field team), with TOTP set up.
- `documenter`: a documenter of the field team in Palestine, with TOTP set up.
- `partner`: the contact of the Bil'in popular committee (a partner community of the field team).
- `volunteer`: a member of the Northern California group.
- `applicant`: a person with an account and no role yet.
- `outsider`: a core member of the London group, with TOTP set up; must see nothing of others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from alongside.accounts.models import User
from alongside.movement.models import (
    Group,
    GroupKind,
    Membership,
    PartnerCommunity,
    PartnerContact,
    Role,
)

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass
class World:
    field_team: Group
    norcal: Group
    london: Group
    general: Group
    bilin: PartnerCommunity
    core: User
    coordinator: User
    documenter: User
    partner: User
    volunteer: User
    applicant: User
    outsider: User

    def persona(self, name: str) -> User:
        return getattr(self, name)


def make_user(email: str, name: str, *, language: str = "en", verified: bool = True) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email, PASSWORD, name=name, language=language)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def enable_totp(user: User, secret: str = TOTP_SECRET) -> None:
    TOTP.activate(user, secret)


def totp_code(secret: str = TOTP_SECRET) -> str:
    # The server accepts no clock drift (MFA_TOTP_TOLERANCE 0): a code taken in the last
    # moments of its 30-second window could expire before it is checked, and the test flake.
    remaining = 30 - time.time() % 30
    if remaining < 3:
        time.sleep(remaining + 0.05)
    return pyotp.TOTP(secret).now()


def sign_in(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Sign in as allauth would after a password (and, if asked, a second factor)."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    records: list[dict[str, Any]] = [{"method": "password", "at": time.time(), "email": user.email}]
    if second_factor:
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def world(db: Any) -> World:
    field_team = Group.objects.create(
        slug="palestine",
        kind=GroupKind.FIELD,
        name_en="Field team in Palestine",
        name_ar="الفريق الميداني في فلسطين",
        languages=["ar", "en"],
    )
    norcal = Group.objects.create(
        slug="northern-california",
        kind=GroupKind.SUPPORT,
        name_en="Northern California",
        name_ar="شمال كاليفورنيا",
        region_en="San Francisco Bay Area",
        countries=["US"],
        languages=["en", "es"],
        public_email="norcal@example.org",
    )
    london = Group.objects.create(
        slug="london",
        kind=GroupKind.SUPPORT,
        name_en="London",
        name_ar="لندن",
        countries=["GB"],
        languages=["en"],
    )
    general = Group.objects.create(
        slug="general",
        kind=GroupKind.SUPPORT,
        is_general=True,
        name_en="General group",
        name_ar="المجموعة العامة",
        languages=["en", "ar"],
    )
    bilin = PartnerCommunity.objects.create(
        group=field_team,
        slug="bilin",
        name_en="Bil'in popular committee",
        name_ar="اللجنة الشعبية في بلعين",
        locality_en="Bil'in",
        locality_ar="بلعين",
    )
    core = make_user("core@example.org", "Maya Core")
    Membership.objects.create(group=norcal, user=core, role=Role.MEMBER)
    Membership.objects.create(group=norcal, user=core, role=Role.CORE)
    enable_totp(core)
    coordinator = make_user("coordinator@example.org", "Hana Coordinator")
    Membership.objects.create(group=field_team, user=coordinator, role=Role.MEMBER)
    Membership.objects.create(group=field_team, user=coordinator, role=Role.CORE)
    enable_totp(coordinator)
    documenter = make_user("documenter@example.org", "Dana Documenter")
    Membership.objects.create(group=field_team, user=documenter, role=Role.MEMBER)
    Membership.objects.create(group=field_team, user=documenter, role=Role.DOCUMENTER)
    enable_totp(documenter)
    partner = make_user("partner@example.org", "Samir Partner", language="ar")
    PartnerContact.objects.create(community=bilin, user=partner)
    volunteer = make_user("volunteer@example.org", "Vera Volunteer")
    Membership.objects.create(group=norcal, user=volunteer, role=Role.MEMBER)
    applicant = make_user("applicant@example.org", "Ali Applicant")
    outsider = make_user("outsider@example.org", "Olle Outsider")
    Membership.objects.create(group=london, user=outsider, role=Role.MEMBER)
    Membership.objects.create(group=london, user=outsider, role=Role.CORE)
    enable_totp(outsider)
    return World(
        field_team=field_team,
        norcal=norcal,
        london=london,
        general=general,
        bilin=bilin,
        core=core,
        coordinator=coordinator,
        documenter=documenter,
        partner=partner,
        volunteer=volunteer,
        applicant=applicant,
        outsider=outsider,
    )


@pytest.fixture(autouse=True)
def _isolated_environment(settings: Any, tmp_path: Any) -> None:
    """Mail to memory, caches per test (rate limits must not leak between tests)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    # Argon2 costs ~100 MB and a good part of a second per hash by design; the `world` fixture
    # hashes six passwords per test. Tests that are about hashing put Argon2 back
    # (alongside/accounts/tests/test_signup.py checks that production settings use it).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
