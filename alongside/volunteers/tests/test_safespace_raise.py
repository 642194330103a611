"""Raising a safe-space concern: /<lang>/volunteer/safe-space/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from alongside.accounts.models import User
from alongside.lib.models import AuditEntry
from alongside.movement.models import Membership, Role
from alongside.volunteers.models import SafeSpaceConcern, SafeSpaceContact, Stage
from alongside.volunteers.tests.factories import make_application
from conftest import World, enable_totp, make_user, sign_in

URL = "/en/volunteer/safe-space/"
SECRET = "The trainer made jokes about my accent at the Oakland session."


def make_core(world: World, email: str, name: str, *, language: str = "en") -> User:
    """Another core member of Northern California, with a second factor."""
    user = make_user(email, name, language=language)
    Membership.objects.create(group=world.norcal, user=user, role=Role.MEMBER)
    Membership.objects.create(group=world.norcal, user=user, role=Role.CORE)
    enable_totp(user)
    return user


@pytest.fixture
def applicant(world: World) -> User:
    make_application(user=world.applicant, group=world.norcal, stage=Stage.INTERVIEW)
    return world.applicant


def _raise(client: Client, world: World, capture: Any, url: str = URL, **data: Any) -> Any:
    values = {"group": world.norcal.pk, "body": SECRET, **data}
    with capture(execute=True):
        return client.post(url, values)


def test_an_applicant_raises_a_concern_that_reaches_the_core_as_a_link_only(
    world: World, applicant: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = sign_in(Client(), applicant)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Maya Core" in page.content.decode()  # who will read it

    response = _raise(client, world, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == URL
    concern = SafeSpaceConcern.objects.get()
    assert concern.group == world.norcal and concern.raised_by == applicant
    assert concern.body == SECRET
    [email] = mailoutbox
    assert email.to == ["core@example.org"]
    assert f"/en/manage/northern-california/pipeline/safe-space/{concern.pk}/" in email.body
    assert "Hello Maya," in email.body
    for leak in ("accent", "Oakland", "Ali", "applicant@example.org"):
        assert leak not in email.body and leak not in email.subject


def test_the_concern_is_encrypted_at_rest(
    world: World, applicant: User, django_capture_on_commit_callbacks: Any
) -> None:
    _raise(sign_in(Client(), applicant), world, django_capture_on_commit_callbacks)
    raw = SafeSpaceConcern.objects.values_list("body", flat=True).get()
    assert raw.startswith("v1:") and "accent" not in raw


def test_raising_is_audited_without_its_content(
    world: World, applicant: User, django_capture_on_commit_callbacks: Any
) -> None:
    _raise(sign_in(Client(), applicant), world, django_capture_on_commit_callbacks)
    entry = AuditEntry.objects.get(action="create", target_type="volunteers.safespaceconcern")
    assert entry.actor_id == applicant.pk
    assert entry.detail == {"group": "northern-california", "anonymous": False}


def test_an_anonymous_concern_names_nobody_in_the_record_or_the_audit_log(
    world: World, applicant: User, django_capture_on_commit_callbacks: Any
) -> None:
    response = _raise(
        sign_in(Client(), applicant), world, django_capture_on_commit_callbacks, anonymous="on"
    )

    assert response.status_code == 302
    concern = SafeSpaceConcern.objects.get()
    assert concern.raised_by is None
    entry = AuditEntry.objects.get(action="create", target_type="volunteers.safespaceconcern")
    assert entry.actor_id is None and entry.actor_label == "anonymous"


def test_the_form_explains_that_an_anonymous_concern_cannot_be_answered(
    world: World, applicant: User
) -> None:
    html = sign_in(Client(), applicant).get(URL).content.decode()
    assert "nobody can reply to you" in html


def test_a_member_of_the_group_raises_a_concern_in_arabic(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    reader = make_core(world, "kim@example.org", "Kim Core", language="ar")
    SafeSpaceContact.objects.create(group=world.norcal, user=reader)
    client = sign_in(Client(), world.volunteer)
    assert client.get("/ar/volunteer/safe-space/").status_code == 200

    response = _raise(
        client, world, django_capture_on_commit_callbacks, "/ar/volunteer/safe-space/"
    )

    assert response.status_code == 302
    assert SafeSpaceConcern.objects.get().raised_by == world.volunteer
    [email] = mailoutbox  # the designated contact only, not every core member
    assert email.to == ["kim@example.org"]
    assert "/ar/manage/northern-california/pipeline/safe-space/" in email.body


def test_a_visitor_must_sign_in_first(world: World) -> None:
    response = Client().post(URL, {"group": world.norcal.pk, "body": SECRET})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SafeSpaceConcern.objects.exists()


def test_nobody_can_raise_a_concern_with_a_group_that_is_not_theirs(
    world: World, applicant: User
) -> None:
    response = sign_in(Client(), applicant).post(URL, {"group": world.london.pk, "body": SECRET})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose one of your groups." in html
    assert "jokes about my accent" in html
    assert not SafeSpaceConcern.objects.exists()


def test_a_person_without_a_group_is_told_how_to_get_one(world: World) -> None:
    client = sign_in(Client(), world.applicant)
    assert "once you have applied" in client.get(URL).content.decode()
    response = client.post(URL, {"group": world.norcal.pk, "body": SECRET})
    assert response.status_code == 200
    assert not SafeSpaceConcern.objects.exists()


def test_an_empty_concern_is_refused_keeping_the_choices(world: World, applicant: User) -> None:
    response = sign_in(Client(), applicant).post(
        URL, {"group": world.norcal.pk, "body": "   ", "anonymous": "on"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Write your concern." in html
    assert re.search(r'<input[^>]*name="anonymous"[^>]*checked', html)
    assert not SafeSpaceConcern.objects.exists()


def test_a_concern_too_long_is_refused_keeping_the_text(world: World, applicant: User) -> None:
    long_text = "Too long. " * 401
    response = sign_in(Client(), applicant).post(
        "/ar/volunteer/safe-space/", {"group": world.norcal.pk, "body": long_text}
    )

    assert response.status_code == 200
    assert long_text.strip() in response.content.decode()
    assert not SafeSpaceConcern.objects.exists()


def test_my_page_links_to_the_concern_form(world: World, applicant: User) -> None:
    html = sign_in(Client(), applicant).get("/en/volunteer/").content.decode()
    assert 'href="/en/volunteer/safe-space/"' in html


def test_a_flood_of_concerns_is_stopped_keeping_what_was_typed(
    world: World, applicant: User, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from alongside.volunteers.actions import safe_space

    monkeypatch.setattr(safe_space, "CONCERNS_PER_DAY", 1)
    client = sign_in(Client(), applicant)
    assert _raise(client, world, django_capture_on_commit_callbacks).status_code == 302

    response = _raise(client, world, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert "jokes about my accent" in response.content.decode()
    assert SafeSpaceConcern.objects.count() == 1
