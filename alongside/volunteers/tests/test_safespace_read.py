"""Reading safe-space concerns: /<lang>/manage/<group>/pipeline/safe-space/ and each concern.

Readers are the group's designated contacts, or every core member while nobody is designated.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alongside.accounts.models import User
from alongside.lib.models import AuditEntry
from alongside.volunteers.models import SafeSpaceConcern, SafeSpaceContact
from alongside.volunteers.tests.test_safespace_raise import make_core
from conftest import World, sign_in

LIST = "/en/manage/northern-california/pipeline/safe-space/"
SECRET = "Someone in the group shouted at me during the debrief."


def _url(concern: SafeSpaceConcern, lang: str = "en") -> str:
    return f"/{lang}/manage/northern-california/pipeline/safe-space/{concern.pk}/"


@pytest.fixture
def concern(world: World) -> SafeSpaceConcern:
    return SafeSpaceConcern.objects.create(
        group=world.norcal, raised_by=world.volunteer, body=SECRET
    )


@pytest.fixture
def kim(world: World) -> User:
    """A second core member of Northern California, designated as the safe-space contact."""
    person = make_core(world, "kim@example.org", "Kim Core")
    SafeSpaceContact.objects.create(group=world.norcal, user=person)
    return person


def test_with_nobody_designated_a_core_member_reads_the_concern_and_the_read_is_audited(
    world: World, concern: SafeSpaceConcern
) -> None:
    client = sign_in(Client(), world.core)
    listing = client.get(LIST).content.decode()
    assert "every core member receives" in listing and SECRET not in listing

    response = client.get(_url(concern))

    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET in html and "Vera Volunteer" in html and "volunteer@example.org" in html
    entry = AuditEntry.objects.get(action="read", target_type="volunteers.safespaceconcern")
    assert entry.actor_id == world.core.pk and entry.target_id == str(concern.pk)


def test_the_designated_contact_reads_it_in_arabic(
    world: World, concern: SafeSpaceConcern, kim: User
) -> None:
    client = sign_in(Client(), kim)
    assert client.get(LIST.replace("/en/", "/ar/")).status_code == 200
    response = client.get(_url(concern, "ar"))
    assert response.status_code == 200 and SECRET in response.content.decode()


def test_an_anonymous_concern_says_nobody_can_reply(world: World) -> None:
    anonymous = SafeSpaceConcern.objects.create(group=world.norcal, body=SECRET)
    html = sign_in(Client(), world.core).get(_url(anonymous)).content.decode()
    assert "nobody can reply to them" in html


def test_a_core_member_who_is_not_the_designated_contact_gets_404(
    world: World, concern: SafeSpaceConcern, kim: User
) -> None:
    client = sign_in(Client(), world.core)
    assert client.get(LIST).status_code == 404
    assert client.get(_url(concern)).status_code == 404
    assert client.post(_url(concern) + "handled/", {"handled": "1"}).status_code == 404
    concern.refresh_from_db()
    assert concern.handled_at is None
    assert not AuditEntry.objects.filter(action="read").exists()


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "applicant", "documenter"])
def test_anyone_outside_the_groups_core_gets_404(
    world: World, concern: SafeSpaceConcern, persona: str
) -> None:
    client = sign_in(Client(), world.persona(persona))
    assert client.get(LIST).status_code == 404
    assert client.get(_url(concern)).status_code == 404
    assert client.post(_url(concern) + "handled/", {"handled": "1"}).status_code == 404
    concern.refresh_from_db()
    assert concern.handled_at is None


def test_an_anonymous_visitor_is_sent_to_sign_in(world: World, concern: SafeSpaceConcern) -> None:
    response = Client().get(_url(concern))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_groups_concern_is_not_found(world: World) -> None:
    theirs = SafeSpaceConcern.objects.create(group=world.london, body=SECRET)
    client = sign_in(Client(), world.core)
    assert client.get(_url(theirs)).status_code == 404
    assert client.post(_url(theirs) + "handled/").status_code == 404


def test_marking_a_concern_handled_and_open_again(
    world: World, concern: SafeSpaceConcern, kim: User
) -> None:
    client = sign_in(Client(), kim)

    response = client.post(_url(concern) + "handled/", {"handled": "1"})

    assert response.status_code == 302 and response["Location"] == LIST
    concern.refresh_from_db()
    assert concern.handled_at is not None and concern.handled_by == kim
    entry = AuditEntry.objects.get(action="update", target_type="volunteers.safespaceconcern")
    assert entry.detail == {"fields": ["handled_at", "handled_by"], "handled": True}

    client.post(_url(concern) + "handled/", {"handled": "0"})
    concern.refresh_from_db()
    assert concern.handled_at is None and concern.handled_by is None


def test_marking_handled_needs_a_post(world: World, concern: SafeSpaceConcern) -> None:
    response = sign_in(Client(), world.core).get(_url(concern) + "handled/")
    assert response.status_code == 405


def test_the_list_answers_in_the_same_number_of_queries_however_many_concerns(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.core)

    def grow(n: int) -> None:
        for i in range(n):
            SafeSpaceConcern.objects.create(
                group=world.norcal, raised_by=world.volunteer if i % 2 else None, body=SECRET
            )

    grow(2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(LIST).status_code == 200
    grow(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    html = response.content.decode()
    assert "32 concerns waiting" in html and "Page 1 of 2" in html
    assert SECRET not in html and "Vera" not in html
