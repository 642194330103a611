"""The movement's FAQ."""

from __future__ import annotations

from django.test import Client

from alongside.public.tests.conftest import Content, body
from conftest import World


def test_faq_shows_the_field_teams_published_questions_as_disclosures(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/faq/"))
    assert "<summary>Do I need to speak Arabic?</summary>" in html
    assert "<em>trainings</em>" in html
    assert "<details>" in html


def test_faq_hides_unpublished_entries_and_other_groups_questions(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/en/faq/"))
    assert "A draft question nobody should see" not in html
    assert "When is the next training?" not in html


def test_faq_points_to_group_pages_for_group_questions(
    client: Client, world: World, content: Content
) -> None:
    assert 'href="/en/groups/"' in body(client.get("/en/faq/"))


def test_arabic_faq_shows_the_arabic_question_and_answer(
    client: Client, world: World, content: Content
) -> None:
    html = body(client.get("/ar/faq/"))
    assert "هل أحتاج إلى التحدث بالعربية؟" in html
    assert "التدريبات تعدّك" in html
