"""Every public page weighs little on a first visit (under 150 KB with its styles, scripts, images
and fonts, uncompressed, which is stricter than what travels) and loads nothing from another
host: a phone on a poor connection in the field must get it, and no third party may learn who
reads it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

BUDGET_BYTES = 150 * 1024
PAGES = [
    "",
    "about/",
    "principles/",
    "principles/v1/",
    "faq/",
    "groups/",
    "groups/northern-california/",
    "groups/general/",
    "groups/northern-california/contact/",
    "get-involved/",
    "accounts/login/",
    "accounts/signup/",
    "accounts/password/reset/",
]
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")
# <link rel=...> values that make the browser fetch something on load.
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []  # fetched when the page loads
        self.foreign: list[str] = []  # anything pointing a load or a form at another host

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & LOADING_RELS:
            self.loaded.append(values.get("href", ""))
        elif tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "track"}:
            if values.get("src"):
                self.loaded.append(values["src"])
            if values.get("srcset"):
                self.loaded += [part.split()[0] for part in values["srcset"].split(",")]
        elif tag == "object" and values.get("data"):
            self.loaded.append(values["data"])
        elif tag == "form" and urlsplit(values.get("action", "")).netloc:
            self.foreign.append(values["action"])
        if tag in {"video", "input"} and values.get("poster"):
            self.loaded.append(values["poster"])


def _static_file(url: str) -> Path:
    path = unquote(urlsplit(url).path)
    assert path.startswith(settings.STATIC_URL), f"{url} is not a static file"
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is referenced but no such static file exists"
    return Path(str(found))


def _weigh(client: Client, page_url: str) -> tuple[int, list[str], list[str]]:
    """Bytes of the page and everything it loads; what it loads from elsewhere; what it loads."""
    response = client.get(page_url)
    assert response.status_code == 200, page_url
    html = response.content.decode()
    parser = _Resources()
    parser.feed(html)
    total = len(response.content)
    foreign = list(parser.foreign)
    seen: set[str] = set()
    queue = [urljoin(page_url, url) for url in parser.loaded]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        if urlsplit(url).scheme == "data":
            continue
        if urlsplit(url).netloc:
            foreign.append(url)
            continue
        file = _static_file(url)
        total += file.stat().st_size
        if file.suffix == ".css":
            for match in CSS_URL.finditer(file.read_text()):
                inner = match.group(1) or match.group(2)
                queue.append(urljoin(url, inner.strip()))
    return total, foreign, sorted(seen)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("page", PAGES)
def test_every_public_page_with_what_it_loads_weighs_under_150_kb(
    demo: None, client: Client, page: str, language: str
) -> None:
    total, foreign, loaded = _weigh(client, f"/{language}/{page}")
    assert not foreign, f"loads from another host: {foreign}"
    assert any(url.endswith(".css") for url in loaded), "the page has no stylesheet?"
    assert total < BUDGET_BYTES, f"{total / 1024:.1f} KB: {loaded}"


def test_the_stylesheet_loads_no_font_or_image_from_another_host() -> None:
    stylesheet = Path(str(finders.find("css/site.css")))
    for match in CSS_URL.finditer(stylesheet.read_text()):
        target = match.group(1) or match.group(2)
        assert not urlsplit(target).netloc, target
        assert not target.startswith("//"), target


def test_the_weighing_counts_what_a_page_loads(demo: None, client: Client) -> None:
    """So that the budget above cannot pass by counting only the HTML."""
    html_only = len(client.get("/en/about/").content)
    total, _foreign, loaded = _weigh(client, "/en/about/")
    css = _static_file(next(url for url in loaded if url.endswith(".css")))
    assert total >= html_only + css.stat().st_size
