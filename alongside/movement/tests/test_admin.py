"""The Django admin shows the movement's records without revealing who wrote to a group."""

from __future__ import annotations

from django.test import Client

from alongside.movement.models import ContactMessage, PrinciplesVersion
from conftest import World, enable_totp, make_user, sign_in


def admin_client(client: Client) -> Client:
    admin = make_user("admin@example.org", "Ada Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    enable_totp(admin)
    return sign_in(client, admin)


def test_admin_lists_contact_messages_without_their_senders(client: Client, world: World) -> None:
    message = ContactMessage.objects.create(
        group=world.norcal,
        sender_name="Rana Haddad",
        sender_email="rana@example.net",
        body="Please call me about the campaign.",
    )
    admin_client(client)
    listing = client.get("/en/admin/movement/contactmessage/")
    assert listing.status_code == 200
    detail = client.get(f"/en/admin/movement/contactmessage/{message.pk}/change/")
    assert detail.status_code == 200
    for response in (listing, detail):
        text = response.content.decode()
        assert "Rana" not in text
        assert "rana@example.net" not in text
        assert "call me" not in text


def test_admin_cannot_change_a_contact_message_or_a_published_version(
    client: Client, world: World
) -> None:
    message = ContactMessage.objects.create(
        group=world.norcal, sender_name="R", sender_email="r@example.net", body="x"
    )
    version = PrinciplesVersion.objects.create(group=world.norcal, number=1)
    admin_client(client)
    client.post(f"/en/admin/movement/contactmessage/{message.pk}/change/", {"language": "ar"})
    message.refresh_from_db()
    assert message.language == "en"
    response = client.post(
        f"/en/admin/movement/principlesversion/{version.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert PrinciplesVersion.objects.filter(pk=version.pk).exists()


def test_admin_pages_of_the_movement_open(client: Client, world: World) -> None:
    admin_client(client)
    for model in (
        "group",
        "membership",
        "partnercommunity",
        "page",
        "faqentry",
        "principlesversion",
    ):
        assert client.get(f"/en/admin/movement/{model}/").status_code == 200, model
    assert client.get(f"/en/admin/movement/group/{world.norcal.pk}/change/").status_code == 200
