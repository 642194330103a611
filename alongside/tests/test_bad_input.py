"""Bad input gets a proper error page in the visitor's language (400, 403, 404), never a 500,
and hostile Markdown is never shown as live HTML."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from alongside.movement.models import FaqEntry, Group, Page, Principle
from alongside.tests.urlmap import endpoints, path_for
from conftest import World, sign_in

CONTACT = "/{language}/groups/northern-california/contact/"

HOSTILE_MARKDOWN = "\n\n".join(
    [
        "<script>alert('page')</script>",
        "<img src=x onerror=alert(1)>",
        "[click me](javascript:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<iframe src="https://tracker.example/"></iframe>',
        '<a href="https://tracker.example/" onclick="steal()">a link</a>',
        "![pixel](https://tracker.example/pixel.png)",
        "<style>body { display: none }</style>",
        '<div style="position:fixed">overlay</div>',
        "**unclosed *emphasis [and](broken",
        "```\n<script>alert('in code')</script>\n```",
        "> " * 300 + "a very deep quote",
        "<svg onload=alert(1)>",
    ]
)


def _error_text(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def _assert_error_page(response: Any, status: int, language: str, title: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert _error_text(language, title) in html


def _contact_form(**overrides: str) -> dict[str, str]:
    return {
        "name": "Rami",
        "email": "rami@example.net",
        "message": "When is the next training?",
        **overrides,
    }


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_oversized_form_is_refused_with_a_400_page(
    world: World, client: Client, language: str
) -> None:
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = client.post(CONTACT.format(language=language), _contact_form(message=huge))
    _assert_error_page(response, 400, language, "Bad request")


def test_too_many_form_fields_are_refused_with_a_400_page(world: World, client: Client) -> None:
    fields = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
    response = client.post(CONTACT.format(language="en"), fields)
    _assert_error_page(response, 400, "en", "Bad request")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_wrong_csrf_token_gets_a_403_page_that_says_what_to_do(
    world: World, language: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    url = CONTACT.format(language=language)
    assert client.get(url).status_code == 200
    response = client.post(url, {**_contact_form(), "csrfmiddlewaretoken": "x" * 64})
    _assert_error_page(response, 403, language, "Not allowed")
    advice = (
        "Your form expired or came from another page. Go back, reload the page and send it "
        "again; what you typed may still be in the form."
    )
    assert _error_text(language, advice) in response.content.decode()


def test_a_form_without_any_csrf_cookie_gets_the_same_403_page(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(CONTACT.format(language="en"), _contact_form())
    _assert_error_page(response, 403, "en", "Not allowed")


@pytest.mark.parametrize(
    "path",
    [
        "/xx/about/",
        "/zz/",
        "/en-xx/about/",
        "/en/groups/no-such-group/",
        "/en/groups/" + "a" * 3000 + "/",
        "/en/groups/%00/",
        "/en/principles/v999999999999999999999/",
        "/en/principles/v0/",
        "/en/manage/no-such-group/",
        "/ar/%D8%B9%D8%B1%D8%A8%D9%8A/",
    ],
)
def test_addresses_that_do_not_exist_get_a_404_page(
    world: World, client: Client, path: str
) -> None:
    response = client.get(path)
    assert response.status_code in {404, 302}
    if response.status_code == 302:  # only to sign in, for the management area
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_404_page_speaks_the_language_of_the_address(
    world: World, client: Client, language: str
) -> None:
    response = client.get(f"/{language}/no-such-page/")
    _assert_error_page(response, 404, language, "Page not found")


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "0", "abc", "1.5", "", "%00"])
def test_absurd_page_numbers_on_any_page_never_cause_a_server_error(
    world: World, samples: dict[str, Any], page: str
) -> None:
    """Every page the core member can open, with an absurd `?page=`: 200 or 404, never 500."""
    client = sign_in(Client(), world.core)
    checked = 0
    for endpoint in endpoints():
        if endpoint.name is None or endpoint.route.startswith("en/admin/"):
            continue
        path = path_for(endpoint, samples)
        if client.get(path).status_code != 200:
            continue
        response = client.get(f"{path}?page={page}")
        assert response.status_code in {200, 404}, f"{path}?page={page}: {response.status_code}"
        checked += 1
    assert checked > 20


def test_the_list_pages_with_many_rows_survive_absurd_page_numbers(world: World) -> None:
    for number in range(60):
        Group.objects.create(slug=f"group-{number}", kind="support", name_en=f"Group {number}")
    client = sign_in(Client(), world.core)
    for path in ["/en/groups/", "/ar/groups/", "/en/manage/northern-california/inbox/"]:
        for page in ["99999999999999999999", "-1", "abc", "2"]:
            response = client.get(f"{path}?page={page}")
            assert response.status_code in {200, 404}, f"{path}?page={page}"


class _LiveHtml(HTMLParser):
    """Collects what a browser would act on: tags, attributes and link targets."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in {"iframe", "svg", "style", "object", "embed", "frame", "base"}:
            self.problems.append(f"<{tag}>")
        static_src = values.get("src", "").startswith("/static/")
        if tag == "script" and not static_src and values.get("type") != "application/json":
            self.problems.append("<script> without a static src")
        if tag == "img" and not values.get("src", "").startswith("/static/"):
            self.problems.append(f"<img src={values.get('src')!r}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in {"href", "src", "action"} and value.strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def _assert_no_live_html(html: str) -> None:
    parser = _LiveHtml()
    parser.feed(html)
    assert not parser.problems, parser.problems


@pytest.mark.parametrize("language", ["en", "ar"])
def test_hostile_markdown_written_by_a_group_is_never_rendered_as_html(
    demo: None, client: Client, language: str
) -> None:
    field_team = Group.objects.get(slug="palestine")
    norcal = Group.objects.get(slug="northern-california")
    Page.objects.filter(group=field_team).update(body_en=HOSTILE_MARKDOWN, body_ar=HOSTILE_MARKDOWN)
    FaqEntry.objects.filter(group=field_team).update(
        answer_en=HOSTILE_MARKDOWN, answer_ar=HOSTILE_MARKDOWN
    )
    Principle.objects.filter(version__group=field_team).update(
        text_en=HOSTILE_MARKDOWN, text_ar=HOSTILE_MARKDOWN
    )
    Group.objects.filter(pk=norcal.pk).update(
        description_en=HOSTILE_MARKDOWN,
        description_ar=HOSTILE_MARKDOWN,
        how_to_reach_en=HOSTILE_MARKDOWN,
        how_to_reach_ar=HOSTILE_MARKDOWN,
    )
    for path in [
        "",
        "about/",
        "get-involved/",
        "faq/",
        "principles/",
        "principles/v1/",
        "groups/northern-california/",
        "groups/northern-california/pages/spring-campaign/",
    ]:
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, path
        _assert_no_live_html(response.content.decode())
    # The words survive as text, so the author can see what went wrong.
    html = client.get(f"/{language}/about/").content.decode()
    assert "unclosed" in html
    assert "&lt;script&gt;alert(" in html
