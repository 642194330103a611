"""The group's questions and answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alongside.movement.models import FaqEntry
from alongside.movement.tests.helpers import (
    NORCAL,
    assert_only_core_of_the_group,
    preview_of,
    queries_for,
)
from conftest import World

LIST = f"{NORCAL}/faq/"
NEW = f"{NORCAL}/faq/new/"


def faq_data(**changes: Any) -> dict[str, Any]:
    data = {
        "question_en": "Do I need to speak Arabic?",
        "answer_en": "No. *Some* words help.",
        "question_ar": "هل أحتاج إلى التحدث بالعربية؟",
        "answer_ar": "لا.",
        "position": "0",
        "is_published": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def entry(world: World) -> FaqEntry:
    return FaqEntry.objects.create(
        group=world.norcal, question_en="How long is a stay?", answer_en="Two weeks or more."
    )


def test_core_member_lists_the_groups_questions(core_client: Client, entry: FaqEntry) -> None:
    response = core_client.get(LIST)
    assert response.status_code == 200
    assert "How long is a stay?" in response.content.decode()


def test_core_member_adds_a_question(core_client: Client, world: World, audit_entries: Any) -> None:
    response = core_client.post(NEW, faq_data())
    assert response.status_code == 302
    saved = FaqEntry.objects.get(group=world.norcal, question_en="Do I need to speak Arabic?")
    assert saved.answer_ar == "لا."
    assert audit_entries.about(saved).filter(action="create").exists()


def test_core_member_edits_a_question(core_client: Client, entry: FaqEntry) -> None:
    url = f"{NORCAL}/faq/{entry.pk}/edit/"
    assert "How long is a stay?" in core_client.get(url).content.decode()
    core_client.post(url, faq_data(question_en="How long do volunteers stay?"))
    entry.refresh_from_db()
    assert entry.question_en == "How long do volunteers stay?"


def test_a_question_without_an_answer_is_refused_keeping_the_question(
    core_client: Client,
) -> None:
    response = core_client.post(NEW, faq_data(answer_en=""))
    assert response.status_code == 200
    assert "answer_en" in response.context["form"].errors
    assert "Do I need to speak Arabic?" in response.content.decode()
    assert not FaqEntry.objects.exists()


def test_a_saved_hostile_answer_is_previewed_sanitised(core_client: Client, world: World) -> None:
    entry = FaqEntry.objects.create(
        group=world.norcal, question_en="Q", answer_en="<script>x()</script>**fine**"
    )
    preview = preview_of(core_client.get(f"{NORCAL}/faq/{entry.pk}/edit/"))
    assert "<strong>fine</strong>" in preview
    assert "<script" not in preview


def test_core_member_deletes_a_question(core_client: Client, entry: FaqEntry) -> None:
    url = f"{NORCAL}/faq/{entry.pk}/delete/"
    assert core_client.get(url).status_code == 200
    assert core_client.post(url).status_code == 302
    assert not FaqEntry.objects.filter(pk=entry.pk).exists()


def test_faq_is_only_for_the_groups_core(client: Client, world: World, entry: FaqEntry) -> None:
    for url in (LIST, NEW, f"{NORCAL}/faq/{entry.pk}/edit/", f"{NORCAL}/faq/{entry.pk}/delete/"):
        assert_only_core_of_the_group(client, world, url)
    assert_only_core_of_the_group(client, world, NEW, method="post", data=faq_data())
    assert_only_core_of_the_group(client, world, f"{NORCAL}/faq/{entry.pk}/delete/", method="post")
    assert FaqEntry.objects.count() == 1


def test_another_groups_question_is_404(core_client: Client, world: World) -> None:
    london = FaqEntry.objects.create(group=world.london, question_en="Q", answer_en="A")
    assert core_client.get(f"{NORCAL}/faq/{london.pk}/edit/").status_code == 404
    assert core_client.post(f"{NORCAL}/faq/{london.pk}/delete/").status_code == 404


def test_saving_a_question_unchanged_writes_nothing_to_the_audit_log(
    core_client: Client, entry: FaqEntry, audit_entries: Any
) -> None:
    url = f"{NORCAL}/faq/{entry.pk}/edit/"
    core_client.post(url, faq_data())
    core_client.post(url, faq_data())
    assert audit_entries.about(entry).filter(action="update").count() == 1


def test_faq_list_query_count_does_not_grow_with_questions(
    core_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for i in range(3):
        FaqEntry.objects.create(group=world.norcal, question_en=f"Question {i}?", answer_en="A")
    few = queries_for(core_client, LIST)
    for i in range(3, 30):
        FaqEntry.objects.create(group=world.norcal, question_en=f"Question {i}?", answer_en="A")
    with django_assert_max_num_queries(few):
        response = core_client.get(LIST)
    assert "Question 29?" in response.content.decode()
