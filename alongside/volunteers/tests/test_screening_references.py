"""References: a core member sends one-time links; a referee answers once, without an account."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import smtplib
from collections.abc import Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.utils import timezone

from alongside.lib.models import AuditEntry
from alongside.volunteers.models import Application, Reference, Stage
from alongside.volunteers.tests.factories import make_application
from conftest import World, sign_in

LINK = re.compile(r"http://[^\s]+/en/volunteer/reference/([A-Za-z0-9_-]+)/")


@pytest.fixture
def application(world: World) -> Application:
    application = make_application(
        group=world.norcal, stage=Stage.REFERENCES, full_name="Noor Haddad", references=2
    )
    application.user.name = "Noor Haddad"
    application.user.save()
    Reference.objects.filter(position=1).delete()
    Reference.objects.create(
        application=application,
        position=1,
        name="Samira Khoury",
        email="samira@example.net",
    )
    return application


def _request(client: Client, application: Application, capture: Any) -> list[str]:
    with capture(execute=True):
        response = client.post(
            f"/en/manage/northern-california/pipeline/{application.pk}/", {"do": "references"}
        )
    assert response.status_code == 302
    tokens = []
    for message in mail.outbox:
        found = LINK.search(str(message.body))
        assert found is not None, "the email carries the link"
        tokens.append(found.group(1))
    return tokens


def test_each_referee_gets_a_link_and_only_the_tokens_hash_is_stored(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    tokens = _request(
        sign_in(Client(), world.core), application, django_capture_on_commit_callbacks
    )

    assert len(tokens) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"referee2.{application.pk}@example.net",
        "samira@example.net",
    ]
    for reference in Reference.objects.all():
        assert reference.requested_at is not None
        assert reference.expires_at is not None
        assert reference.expires_at - reference.requested_at == dt.timedelta(days=14)
        assert reference.token_hash not in tokens
    stored = set(Reference.objects.values_list("token_hash", flat=True))
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    assert AuditEntry.objects.filter(action="request").count() == 2


def test_the_email_carries_first_names_and_a_link_and_nothing_else_personal(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    _request(sign_in(Client(), world.core), application, django_capture_on_commit_callbacks)

    message = next(m for m in mail.outbox if m.to == ["samira@example.net"])
    text = f"{message.subject}\n{message.body}"
    assert "Samira" in text and "Noor" in text
    for private in ("Haddad", "Khoury", "samira@example.net", application.user.email, "+1"):
        assert private not in text


def test_the_referee_answers_once_and_the_link_stops_working(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    tokens = _request(
        sign_in(Client(), world.core), application, django_capture_on_commit_callbacks
    )
    visitor = Client()
    url = f"/en/volunteer/reference/{tokens[0]}/"

    form = visitor.get(url)
    assert form.status_code == 200 and "Noor" in form.content.decode()
    assert form["Referrer-Policy"] == "no-referrer"
    assert "no-store" in form["Cache-Control"]
    assert "Haddad" not in form.content.decode()
    answered = visitor.post(
        url,
        {"knows_applicant_for": "We farmed together.", "recommends": "yes", "comments": "Kind."},
    )
    assert answered.status_code == 200 and "Thank you" in answered.content.decode()

    reference = Reference.objects.get(answered_at__isnull=False)
    assert reference.recommends is True and reference.comments == "Kind."
    assert reference.token_hash is None
    raw = Reference.objects.filter(pk=reference.pk).values_list("comments", flat=True)[0]
    assert "Kind" not in raw
    again = visitor.post(
        url, {"knows_applicant_for": "Changed.", "recommends": "no", "comments": ""}
    )
    assert again.status_code == 410
    assert "expired or was already used" in again.content.decode()
    assert visitor.get(url).status_code == 410
    reference.refresh_from_db()
    assert reference.recommends is True
    # The core member sees the answer.
    page = sign_in(Client(), world.core).get(
        f"/en/manage/northern-california/pipeline/{application.pk}/"
    )
    assert "We farmed together." in page.content.decode()


def test_an_expired_link_no_longer_works(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    tokens = _request(
        sign_in(Client(), world.core), application, django_capture_on_commit_callbacks
    )
    Reference.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    url = f"/en/volunteer/reference/{tokens[0]}/"
    assert Client().get(url).status_code == 410
    response = Client().post(
        url, {"knows_applicant_for": "Friends.", "recommends": "yes", "comments": ""}
    )
    assert response.status_code == 410
    assert not Reference.objects.filter(answered_at__isnull=False).exists()


def test_an_unknown_link_gets_the_same_answer(world: World) -> None:
    response = Client().get("/en/volunteer/reference/not-a-token/")
    assert response.status_code == 410
    assert "expired or was already used" in response.content.decode()


def test_the_referee_must_say_how_they_know_the_applicant_and_what_they_typed_is_kept(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    tokens = _request(
        sign_in(Client(), world.core), application, django_capture_on_commit_callbacks
    )
    url = f"/en/volunteer/reference/{tokens[0]}/"

    response = Client().post(url, {"knows_applicant_for": "", "comments": "Kept comment."})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tell us how you know the applicant." in html and "Choose yes or no." in html
    assert "Kept comment." in html
    assert Client().get(url).status_code == 200  # the link still works


def test_asking_again_replaces_the_earlier_link_and_skips_answered_references(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    client = sign_in(Client(), world.core)
    first = _request(client, application, django_capture_on_commit_callbacks)
    Client().post(
        f"/en/volunteer/reference/{first[0]}/",
        {"knows_applicant_for": "Neighbours.", "recommends": "yes"},
    )
    mail.outbox.clear()
    _asked_minutes_ago(application, 6)

    second = _request(client, application, django_capture_on_commit_callbacks)

    assert len(second) == 1
    assert Client().get(f"/en/volunteer/reference/{first[1]}/").status_code == 410
    assert Client().get(f"/en/volunteer/reference/{second[0]}/").status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "volunteer"])
def test_only_the_groups_core_members_can_send_reference_requests(
    world: World, application: Application, persona: str
) -> None:
    response = sign_in(Client(), world.persona(persona)).post(
        f"/en/manage/northern-california/pipeline/{application.pk}/", {"do": "references"}
    )
    assert response.status_code == 404
    assert not Reference.objects.filter(requested_at__isnull=False).exists()
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_two_answers_sent_at_the_same_moment_count_once() -> None:
    """A referee double-clicks, or two tabs send at once: one answer is kept, the other is told
    the link was used, on SQLite and PostgreSQL alike."""
    import threading

    from django.db import connection, connections

    from alongside.movement.models import Group, GroupKind
    from alongside.volunteers.actions.screening import answer_reference, hash_token

    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    group = Group.objects.create(slug="race", kind=GroupKind.SUPPORT, name_en="Race")
    application = make_application(group=group, stage=Stage.REFERENCES, references=1)
    Reference.objects.update(
        token_hash=hash_token("the-token"), expires_at=timezone.now() + dt.timedelta(days=1)
    )
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []
    lock = threading.Lock()

    def answer(comment: str) -> None:
        try:
            barrier.wait()
            kept = answer_reference(
                token="the-token", knows_applicant_for="Friends.", recommends=True, comments=comment
            )
            with lock:
                outcomes.append(kept is not None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(c,)) for c in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False, True]
    reference = Reference.objects.get(application=application)
    assert reference.answered_at is not None and reference.comments in {"first", "second"}


def test_the_screening_page_shows_each_references_status(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    client = sign_in(Client(), world.core)
    url = f"/en/manage/northern-california/pipeline/{application.pk}/"
    assert client.get(url).content.decode().count("Not requested yet") == 2

    tokens = _request(client, application, django_capture_on_commit_callbacks)
    Client().post(
        f"/en/volunteer/reference/{tokens[0]}/",
        {"knows_applicant_for": "Neighbours.", "recommends": "no"},
    )

    html = client.get(url).content.decode()
    assert "Not requested yet" not in html
    assert "Answered" in html and "Neighbours." in html
    assert "Requested" in html and "the link expires on" in html


def _asked_minutes_ago(application: Application, minutes: int) -> None:
    Reference.objects.filter(application=application, requested_at__isnull=False).update(
        requested_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


class RefusingSamira(EmailBackend):
    """The mail server refuses one referee's address, naming it in the error as smtplib does."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            if "samira@example.net" in message.to:
                raise smtplib.SMTPRecipientsRefused({"samira@example.net": (550, b"no")})
        return super().send_messages(messages)


def test_a_refused_referee_does_not_stop_the_others_nor_land_in_the_log(
    world: World,
    application: Application,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSamira"
    caplog.set_level(logging.DEBUG)

    tokens = _request(
        sign_in(Client(), world.core), application, django_capture_on_commit_callbacks
    )

    assert len(tokens) == 1
    assert [m.to for m in mail.outbox] == [[f"referee2.{application.pk}@example.net"]]
    assert "on_commit" in caplog.text  # the failure is logged...
    assert "samira" not in caplog.text  # ...without the address


def test_asking_again_within_minutes_sends_nothing_and_keeps_the_first_links(
    world: World, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    client = sign_in(Client(), world.core)
    first = _request(client, application, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/manage/northern-california/pipeline/{application.pk}/",
            {"do": "references"},
            follow=True,
        )

    assert not mail.outbox
    assert "asked a few minutes ago" in response.content.decode()
    for token in first:
        assert Client().get(f"/en/volunteer/reference/{token}/").status_code == 200
    assert AuditEntry.objects.filter(action="request").count() == 2


@pytest.mark.parametrize("stage", [Stage.RECEIVED, Stage.INTERVIEW])
def test_references_can_be_asked_for_while_screening(
    world: World,
    application: Application,
    django_capture_on_commit_callbacks: Any,
    stage: Stage,
) -> None:
    Application.objects.filter(pk=application.pk).update(stage=stage)
    tokens = _request(
        sign_in(Client(), world.core), application, django_capture_on_commit_callbacks
    )
    assert len(tokens) == 2


@pytest.mark.parametrize("stage", [Stage.TRAINING, Stage.DECLINED, Stage.WITHDRAWN])
def test_references_are_not_asked_for_once_screening_is_over(
    world: World,
    application: Application,
    django_capture_on_commit_callbacks: Any,
    stage: Stage,
) -> None:
    Application.objects.filter(pk=application.pk).update(stage=stage)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(Client(), world.core).post(
            f"/en/manage/northern-california/pipeline/{application.pk}/",
            {"do": "references"},
            follow=True,
        )

    assert "That step is not possible" in response.content.decode()
    assert not mail.outbox
    assert not Reference.objects.filter(requested_at__isnull=False).exists()
