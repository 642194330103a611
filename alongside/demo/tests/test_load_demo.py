from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from alongside.accounts.models import User
from alongside.demo.content import DEMO_PASSWORD, PEOPLE, Person
from alongside.movement.models import (
    ContactMessage,
    Group,
    Membership,
    PartnerContact,
    PrinciplesVersion,
    Role,
)
from conftest import totp_code

README = Path(settings.BASE_DIR) / "README.md"
PERSONAS = [person for person in PEOPLE if person.persona]
WITH_TOTP = [person for person in PERSONAS if person.totp_secret]


def _row_counts() -> dict[str, int]:
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "movement", "account", "mfa"}
    ]
    return {model._meta.label: model._default_manager.count() for model in models}


def _load() -> None:
    call_command("load_demo", verbosity=0)


def _person(persona: str) -> Person:
    return next(person for person in PEOPLE if person.persona == persona)


@pytest.fixture
def demo(db: Any) -> None:
    _load()


def test_demo_data_has_the_groups_communities_and_principles_of_the_brief(demo: None) -> None:
    slugs = set(Group.objects.values_list("slug", flat=True))
    assert slugs == {"palestine", "northern-california", "london", "stockholm", "general"}
    assert Group.objects.get(is_general=True).slug == "general"
    field_team = Group.objects.get(slug="palestine")
    assert field_team.kind == "field"
    assert set(field_team.communities.values_list("slug", flat=True)) == {
        "bilin",
        "nilin",
        "nabi-saleh",
        "kafr-qaddum",
        "tel-rumeida",
        "masafer-yatta",
    }
    assert all(community.name_ar for community in field_team.communities.all())
    versions = list(PrinciplesVersion.objects.filter(group=field_team).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [v.principles.count() for v in versions] == [4, 5]
    assert (versions[1].published_at - versions[0].published_at).days >= 365
    assert set(field_team.pages.values_list("slug", flat=True)) >= {
        "home",
        "about",
        "get-involved",
    }
    assert all(page.body_ar for page in field_team.pages.all())
    assert 5 <= field_team.faq_entries.count() <= 8
    assert ContactMessage.objects.filter(group__slug="northern-california").count() == 2


def test_loading_the_demo_twice_changes_nothing(demo: None) -> None:
    before = _row_counts()
    _load()
    assert _row_counts() == before


def test_loading_the_demo_again_keeps_what_someone_edited(demo: None) -> None:
    page = Group.objects.get(slug="palestine").pages.get(slug="about")
    page.title_en = "About us, edited in the demo"
    page.save()
    _load()
    page.refresh_from_db()
    assert page.title_en == "About us, edited in the demo"


def test_loading_the_demo_again_restores_the_documented_password_and_totp(demo: None) -> None:
    user = User.objects.get(email=_person("core").email)
    user.set_password("something-else-entirely")
    user.save()
    Authenticator.objects.filter(user=user).delete()
    _load()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert decrypt(totp.data["secret"]) == _person("core").totp_secret


def test_the_demo_refuses_to_load_on_a_site_served_over_https(db: Any, settings: Any) -> None:
    settings.HTTPS = True
    with pytest.raises(CommandError, match="HTTPS=1"):
        _load()
    assert not User.objects.exists()


def test_each_persona_holds_the_roles_the_readme_promises(demo: None) -> None:
    def roles(persona: str) -> set[tuple[str, str]]:
        user = User.objects.get(email=_person(persona).email)
        return set(Membership.objects.filter(user=user).values_list("group__slug", "role"))

    assert roles("core") == {
        ("northern-california", Role.MEMBER),
        ("northern-california", Role.CORE),
    }
    assert ("palestine", Role.DOCUMENTER) in roles("documenter")
    assert roles("volunteer") == {("northern-california", Role.MEMBER)}
    assert roles("applicant") == set()
    assert roles("outsider") == {("london", Role.MEMBER), ("london", Role.CORE)}
    partner = User.objects.get(email=_person("partner").email)
    assert partner.language == "ar"
    assert list(
        PartnerContact.objects.filter(user=partner).values_list("community__slug", flat=True)
    ) == ["bilin"]
    admin = User.objects.get(email=_person("admin").email)
    assert admin.is_staff and admin.is_superuser


def test_every_persona_has_a_verified_address_and_the_demo_password(demo: None) -> None:
    for person in PERSONAS:
        user = User.objects.get(email=person.email)
        assert user.check_password(DEMO_PASSWORD), person.persona
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()


def test_fellow_members_who_only_fill_lists_cannot_sign_in(demo: None) -> None:
    for person in PEOPLE:
        if not person.persona:
            assert not User.objects.get(email=person.email).has_usable_password()


@pytest.mark.parametrize(
    "person", [p for p in PERSONAS if not p.totp_secret], ids=lambda p: p.persona
)
def test_a_persona_without_second_factor_signs_in_with_the_demo_password(
    demo: None, client: Client, person: Person
) -> None:
    response = client.post(
        "/en/accounts/login/", {"login": person.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "/accounts/login/" not in response["Location"]
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=person.email).pk)


@pytest.mark.parametrize("person", WITH_TOTP, ids=lambda p: p.persona)
def test_a_persona_with_totp_signs_in_with_the_demo_password_and_secret(
    demo: None, client: Client, person: Person
) -> None:
    response = client.post(
        "/en/accounts/login/", {"login": person.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session, "the second factor must still be asked"
    response = client.post(response["Location"], {"code": totp_code(person.totp_secret)})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=person.email).pk)


@pytest.mark.parametrize("person", WITH_TOTP, ids=lambda p: p.persona)
def test_the_totp_secrets_in_the_readme_are_the_ones_stored(demo: None, person: Person) -> None:
    rows = [line for line in README.read_text().splitlines() if f"`{person.email}`" in line]
    assert len(rows) == 1, f"the README's accounts table must have one row for {person.email}"
    assert re.search(rf"`{person.totp_secret}`", rows[0])
    assert f"`{DEMO_PASSWORD}`" in rows[0]
    totp = Authenticator.objects.get(user__email=person.email, type=Authenticator.Type.TOTP)
    stored = totp.data["secret"]
    assert decrypt(stored) == person.totp_secret
    assert person.totp_secret not in stored, "the MFA adapter stores TOTP secrets encrypted"


def test_the_readme_lists_every_persona(db: Any) -> None:
    text = README.read_text()
    for person in PERSONAS:
        assert f"`{person.email}`" in text
