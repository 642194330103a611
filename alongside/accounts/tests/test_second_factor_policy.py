"""Anyone who can see other people's data has set up a second factor and used it this session.
That holds for group pages and for the Django admin."""

from __future__ import annotations

from django.test import Client

from alongside.accounts.tests.helpers import sign_in_with_password
from alongside.movement.models import Membership, Role
from conftest import World, sign_in, totp_code

GROUP_PAGE = "/en/manage/northern-california/"


def test_a_core_member_without_a_second_factor_is_sent_to_set_one_up(
    client: Client, world: World
) -> None:
    Membership.objects.create(group=world.norcal, user=world.volunteer, role=Role.CORE)
    sign_in(client, world.volunteer, second_factor=False)
    response = client.get(GROUP_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/?next=")
    html = client.get(response["Location"]).content.decode()
    assert html.count("Set up a second factor to continue.") == 1


def test_a_core_member_who_has_not_used_the_second_factor_is_asked_for_it(
    client: Client, world: World
) -> None:
    sign_in(client, world.core, second_factor=False)
    response = client.get(GROUP_PAGE)
    assert response.status_code == 302
    assert (
        response["Location"]
        == "/en/accounts/2fa/reauthenticate/?next=/en/manage/northern-california/"
    )
    response = client.post(response["Location"], {"code": totp_code()})
    assert response["Location"] == GROUP_PAGE
    assert client.get(GROUP_PAGE).status_code == 200


def test_a_core_member_who_used_the_second_factor_gets_the_page(
    client: Client, world: World
) -> None:
    sign_in(client, world.core)
    assert client.get(GROUP_PAGE).status_code == 200


def test_a_member_without_a_core_role_is_never_asked_for_a_second_factor(
    client: Client, world: World
) -> None:
    sign_in(client, world.volunteer, second_factor=False)
    assert client.get(GROUP_PAGE).status_code == 404
    assert client.get("/en/accounts/home/").status_code == 200
    assert client.get("/en/accounts/email/").status_code == 200


def test_staff_reach_the_admin_only_after_signing_in_with_a_second_factor(
    client: Client, world: World
) -> None:
    world.core.is_staff = True
    world.core.save()
    response = client.get("/en/admin/")
    assert response["Location"] == "/en/admin/login/?next=/en/admin/"
    response = client.get(response["Location"])
    assert response["Location"] == "/en/accounts/login/?next=/en/admin/"

    assert sign_in_with_password(client, world.core.email, next_url="/en/admin/").startswith(
        "/en/accounts/2fa/authenticate/"
    )
    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


def test_staff_who_have_not_used_the_second_factor_are_asked_for_it_by_the_admin(
    client: Client, world: World
) -> None:
    world.core.is_staff = True
    world.core.save()
    sign_in(client, world.core, second_factor=False)
    response = client.get("/en/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/en/accounts/2fa/reauthenticate/?next=/en/admin/"


def test_staff_without_a_second_factor_are_sent_to_set_one_up_by_the_admin(
    client: Client, world: World
) -> None:
    world.applicant.is_staff = True
    world.applicant.save()
    sign_in(client, world.applicant, second_factor=False)
    response = client.get("/en/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/en/accounts/2fa/?next=/en/admin/"


def test_people_who_are_not_staff_find_no_admin(client: Client, world: World) -> None:
    sign_in(client, world.core)
    response = client.get("/en/admin/", follow=True)
    assert response.status_code == 404
    assert client.get("/en/admin/movement/group/").status_code in (302, 404)


def test_the_admins_own_password_form_cannot_sign_anyone_in(client: Client, world: World) -> None:
    world.core.is_staff = True
    world.core.is_superuser = True
    world.core.save()
    response = client.post(
        "/en/admin/login/",
        {"username": world.core.email, "password": "correct horse battery staple"},
    )
    assert response["Location"].startswith("/en/accounts/login/")
    assert client.get("/en/admin/").status_code == 302
