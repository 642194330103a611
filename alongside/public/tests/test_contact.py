"""The contact form of a group: stored encrypted, core members told by a link-only email,
bad input kept, bots and floods turned away."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.db import connection
from django.test import Client

from alongside.lib.models import AuditEntry
from alongside.movement.models import ContactMessage, Membership, Role
from alongside.public.tests.conftest import body
from alongside.public.views import CONTACT_LIMIT
from conftest import World, make_user

URL = "/en/groups/northern-california/contact/"
MESSAGE = {
    "name": "Rosa Sender",
    "email": "rosa.sender@example.net",
    "message": "I would like to join the olive harvest in October.",
    "website": "",
}


def _send(client: Client, capture: Any, data: dict[str, str] | None = None, url: str = URL,
          **extra: Any) -> Any:  # fmt: skip
    with capture(execute=True):
        return client.post(url, data or MESSAGE, **extra)


def test_contact_form_is_shown_with_a_label_for_every_field(client: Client, world: World) -> None:
    html = body(client.get(URL))
    for name in ["name", "email", "message", "website"]:
        assert f'<label for="id_{name}">' in html
    assert 'class="hp-field"' in html
    assert "style=" not in html


def test_a_visitor_sends_a_message_that_is_stored_for_the_group(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    response = _send(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/en/groups/northern-california/contact/sent/"
    message = ContactMessage.objects.get()
    assert message.group == world.norcal
    assert message.sender_name == "Rosa Sender"
    assert message.sender_email == "rosa.sender@example.net"
    assert message.body == MESSAGE["message"]
    assert message.language == "en"
    sent = client.get(response["Location"])
    assert "Message sent" in body(sent)


def test_the_message_is_encrypted_in_the_database(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _send(client, django_capture_on_commit_callbacks)
    message = ContactMessage.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sender_name, sender_email, body FROM movement_contactmessage WHERE id = %s",
            [message.pk],
        )
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert "Rosa" not in raw
    assert "rosa.sender" not in raw
    assert "olive harvest" not in raw


def test_a_message_sent_from_the_arabic_site_remembers_its_language(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    response = _send(
        client, django_capture_on_commit_callbacks, url="/ar/groups/northern-california/contact/"
    )
    assert response["Location"] == "/ar/groups/northern-california/contact/sent/"
    assert ContactMessage.objects.get().language == "ar"


def test_sending_writes_the_audit_log_without_the_message(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _send(client, django_capture_on_commit_callbacks)
    entry = AuditEntry.objects.about(ContactMessage.objects.get()).get()
    assert entry.action == "create"
    assert entry.actor_id is None
    assert "olive harvest" not in str(entry.__dict__)
    assert "rosa" not in str(entry.__dict__).lower()


def test_only_the_groups_core_members_get_a_link_only_notification(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    second_core = make_user("nadia@example.org", "Nadia Second", language="ar")
    Membership.objects.create(group=world.norcal, user=second_core, role=Role.CORE)
    _send(client, django_capture_on_commit_callbacks)
    recipients = sorted(address for email in mail.outbox for address in email.to)
    # Not the group's plain member (volunteer), not London's core member (outsider).
    assert recipients == ["core@example.org", "nadia@example.org"]
    for email in mail.outbox:
        text = f"{email.subject}\n{email.body}"
        assert "olive harvest" not in text
        assert "Rosa" not in text
        assert "rosa.sender@example.net" not in text
        assert "/manage/northern-california/inbox/" in email.body
    english = next(e for e in mail.outbox if e.to == ["core@example.org"])
    assert english.subject == "A new message arrived for Northern California"
    assert "http://127.0.0.1:8000/en/manage/northern-california/inbox/" in english.body
    arabic = next(e for e in mail.outbox if e.to == ["nadia@example.org"])
    assert "/ar/manage/northern-california/inbox/" in arabic.body
    assert "شمال كاليفورنيا" in arabic.subject


def test_the_notification_task_sends_nothing_when_run_twice(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from alongside.public.tasks import notify_core_of_contact_message

    _send(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = ContactMessage.objects.get()
    assert message.notified_at is not None
    assert notify_core_of_contact_message.call(message.pk) == 0
    assert len(mail.outbox) == 1


def test_a_failed_notification_is_sent_by_the_retry(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from unittest import mock

    from alongside.public.tasks import notify_core_of_contact_message

    # The immediate backend records the task as failed instead of raising, like a worker would.
    with mock.patch("alongside.public.tasks.send_notification", side_effect=OSError("smtp down")):
        _send(client, django_capture_on_commit_callbacks)
    message = ContactMessage.objects.get()
    assert message.notified_at is None
    assert mail.outbox == []
    assert notify_core_of_contact_message.call(message.pk) == 1
    assert len(mail.outbox) == 1


def test_bad_input_is_refused_beside_each_field_keeping_what_was_typed(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    typed = {"name": "", "email": "not-an-address", "message": "Kept text", "website": ""}
    response = _send(client, django_capture_on_commit_callbacks, typed)
    assert response.status_code == 200
    html = body(response)
    assert 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_error"' in html
    assert "Please tell us your name" in html
    assert 'id="id_email_error"' in html
    assert "does not look like an email address" in html
    assert 'value="not-an-address"' in html
    assert "Kept text</textarea>" in html
    assert 'id="id_message_error"' not in html
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_arabic_bad_input_shows_the_message_beside_the_field(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    typed = {"name": "سارة", "email": "", "message": "نص", "website": ""}
    response = _send(
        client, django_capture_on_commit_callbacks, typed,
        url="/ar/groups/northern-california/contact/",
    )  # fmt: skip
    html = body(response)
    assert response.status_code == 200
    assert 'dir="rtl"' in html
    assert '<ul class="errorlist" id="id_email_error"><li>' in html
    assert 'value="سارة"' in html
    assert "نص</textarea>" in html


def test_a_message_over_5000_characters_is_refused_and_kept(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    long = "a" * 5001
    response = _send(client, django_capture_on_commit_callbacks, {**MESSAGE, "message": long})
    html = body(response)
    assert 'id="id_message_error"' in html
    assert "at most 5000 characters" in html
    assert f"\n{long}</textarea>" in html
    assert not ContactMessage.objects.exists()


def test_a_bot_filling_the_trap_field_sees_success_but_nothing_is_stored(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    response = _send(
        client, django_capture_on_commit_callbacks, {**MESSAGE, "website": "http://spam.example"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/groups/northern-california/contact/sent/"
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_too_many_messages_from_one_address_are_refused_with_429_keeping_the_text(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(CONTACT_LIMIT):
        assert _send(client, django_capture_on_commit_callbacks).status_code == 302
    response = _send(client, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    html = body(response)
    assert "wait ten minutes" in html
    assert "I would like to join the olive harvest in October.</textarea>" in html
    assert ContactMessage.objects.count() == CONTACT_LIMIT


def test_the_limit_is_per_address_and_per_group(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(CONTACT_LIMIT):
        _send(client, django_capture_on_commit_callbacks)
    other_group = _send(
        client, django_capture_on_commit_callbacks, url="/en/groups/london/contact/"
    )
    assert other_group.status_code == 302
    other_address = _send(client, django_capture_on_commit_callbacks, REMOTE_ADDR="10.9.8.7")
    assert other_address.status_code == 302


def test_the_arabic_limit_message_is_in_the_arabic_page(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    url = "/ar/groups/northern-california/contact/"
    for _ in range(CONTACT_LIMIT):
        _send(client, django_capture_on_commit_callbacks, url=url)
    response = _send(client, django_capture_on_commit_callbacks, url=url)
    assert response.status_code == 429
    assert 'dir="rtl"' in body(response)
    assert 'role="alert"' in body(response)


def test_contact_form_refuses_other_methods(client: Client, world: World) -> None:
    assert client.put(URL).status_code == 405


def test_contact_form_of_an_unlisted_group_is_not_found(client: Client, world: World) -> None:
    world.london.is_listed = False
    world.london.save()
    assert client.get("/en/groups/london/contact/").status_code == 404
    assert client.post("/en/groups/london/contact/", MESSAGE).status_code == 404


def test_behind_a_trusted_proxy_the_limit_counts_each_visitor_not_the_proxy(
    client: Client, world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for _ in range(CONTACT_LIMIT):
        response = _send(
            client, django_capture_on_commit_callbacks, HTTP_X_FORWARDED_FOR="198.51.100.4",
            REMOTE_ADDR=proxy,
        )  # fmt: skip
        assert response.status_code == 302
    blocked = _send(
        client,
        django_capture_on_commit_callbacks,
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        REMOTE_ADDR=proxy,
    )
    assert blocked.status_code == 429
    other_visitor = _send(
        client,
        django_capture_on_commit_callbacks,
        HTTP_X_FORWARDED_FOR="198.51.100.5",
        REMOTE_ADDR=proxy,
    )
    assert other_visitor.status_code == 302


def test_a_form_without_its_csrf_token_is_refused_with_a_clear_page(world: World) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(URL, MESSAGE)
    assert response.status_code == 403
    assert "Your form expired" in body(response)
    assert not ContactMessage.objects.exists()


def test_an_oversized_message_body_is_refused_with_400_not_an_error(
    client: Client, world: World
) -> None:
    response = client.post(URL, {**MESSAGE, "message": "a" * (600 * 1024)})
    assert response.status_code == 400
    assert not ContactMessage.objects.exists()


def test_the_notification_email_reads_well(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.norcal.name_en = "Oakland & Bay <Area>"
    world.norcal.save()
    _send(client, django_capture_on_commit_callbacks)
    (email,) = mail.outbox
    assert email.subject == "A new message arrived for Oakland & Bay <Area>"
    assert email.body.startswith("A new message arrived for Oakland & Bay <Area>.\n")
    assert "\n\n\n" not in email.body
