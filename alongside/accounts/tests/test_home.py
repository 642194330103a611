"""My page: the person's groups and roles, communities, security status and profile."""

from __future__ import annotations

from typing import Any

from django.test import Client

from alongside.lib.models import AuditEntry
from alongside.movement.models import Group, GroupKind, Membership, Role
from conftest import World, sign_in


def test_my_page_needs_sign_in(client: Client, world: World) -> None:
    response = client.get("/en/accounts/home/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/accounts/home/"


def test_a_core_member_sees_their_roles_and_a_link_to_coordinate_the_group(
    client: Client, world: World
) -> None:
    sign_in(client, world.core)
    html = client.get("/en/accounts/home/").content.decode()
    assert "Northern California" in html
    assert "Core member" in html
    assert "Member" in html
    assert 'href="/en/manage/northern-california/"' in html
    # Not the London group (the time-zone list names Europe/London, so look for the link).
    assert 'href="/en/manage/london/"' not in html
    assert ">London<" not in html


def test_a_member_sees_the_group_without_a_link_to_coordinate_it(
    client: Client, world: World
) -> None:
    sign_in(client, world.volunteer)
    html = client.get("/en/accounts/home/").content.decode()
    assert "Northern California" in html
    assert "/en/manage/" not in html


def test_a_partner_sees_the_communities_they_speak_for_in_arabic(
    client: Client, world: World
) -> None:
    sign_in(client, world.partner)
    html = client.get("/ar/accounts/home/").content.decode()
    assert "اللجنة الشعبية في بلعين" in html
    assert '<html lang="ar" dir="rtl">' in html


def test_my_page_shows_whether_a_second_factor_is_set_up_and_used(
    client: Client, world: World
) -> None:
    sign_in(client, world.core)
    html = client.get("/en/accounts/home/").content.decode()
    assert "Authenticator app" in html
    assert "Used to sign in this time." in html
    assert 'href="/en/accounts/2fa/"' in html
    assert 'href="/en/accounts/sessions/"' in html
    assert "You are signed in on 1 device or browser." in html

    other = sign_in(Client(), world.volunteer, second_factor=False)
    html = other.get("/en/accounts/home/").content.decode()
    assert "not set up" in html
    assert "Used to sign in this time." not in html


def test_my_page_asks_a_fixed_number_of_queries_however_many_groups(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for number in range(12):
        group = Group.objects.create(
            slug=f"group-{number}", kind=GroupKind.SUPPORT, name_en=f"G{number}"
        )
        Membership.objects.create(group=group, user=world.volunteer, role=Role.MEMBER)
    sign_in(client, world.volunteer)
    client.get("/en/accounts/home/")
    # The groups and roles, two for field work (ready for it? coordinating a team?) and one for
    # the decisions waiting for an answer.
    with django_assert_max_num_queries(19):
        response = client.get("/en/accounts/home/")
    assert response.content.decode().count('<li class="card">') == 13


def test_a_person_changes_their_name_and_the_language_of_their_emails(
    client: Client, world: World
) -> None:
    sign_in(client, world.volunteer)
    response = client.post("/en/accounts/profile/", {"name": "Vera V.", "language": "ar"})
    assert response.status_code == 302
    world.volunteer.refresh_from_db()
    assert world.volunteer.name == "Vera V."
    assert world.volunteer.language == "ar"
    entry = AuditEntry.objects.get(actor_id=world.volunteer.pk, action="update")
    assert sorted(entry.detail["fields"]) == ["language", "name"]


def test_the_profile_form_needs_sign_in(client: Client, world: World) -> None:
    response = client.post("/en/accounts/profile/", {"name": "X", "language": "en"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_the_profile_form_refuses_an_unknown_language_and_keeps_the_name_typed(
    client: Client, world: World
) -> None:
    sign_in(client, world.volunteer)
    response = client.post("/en/accounts/profile/", {"name": "Vera V.", "language": "xx"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert 'value="Vera V."' in html
    world.volunteer.refresh_from_db()
    assert world.volunteer.name == "Vera Volunteer"


def test_the_profile_form_accepts_only_post(client: Client, world: World) -> None:
    sign_in(client, world.volunteer)
    assert client.get("/en/accounts/profile/").status_code == 405


def test_the_field_section_links_each_person_to_their_part_of_field_work(
    client: Client, world: World
) -> None:
    from alongside.volunteers.tests.factories import make_application

    sign_in(client, world.coordinator)
    html = client.get("/en/accounts/home/").content.decode()
    assert 'href="/en/coordinate/palestine/"' in html
    assert 'href="/en/field/"' not in html

    client.logout()
    sign_in(client, world.partner)
    html = client.get("/en/accounts/home/").content.decode()
    assert 'href="/en/partner/"' in html
    assert "/coordinate/" not in html

    client.logout()
    make_application(user=world.volunteer, group=world.norcal, stage="ready")
    sign_in(client, world.volunteer)
    html = client.get("/en/accounts/home/").content.decode()
    assert 'href="/en/field/"' in html
    assert "/partner/" not in html and "/coordinate/" not in html


def test_someone_with_no_field_work_sees_no_field_section(client: Client, world: World) -> None:
    sign_in(client, world.applicant)
    html = client.get("/en/accounts/home/").content.decode()
    assert "field-heading" not in html
