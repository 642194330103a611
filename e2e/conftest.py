"""Browser tests: the real app (gunicorn, DEBUG off, the demo data) driven by Debian's Chromium.

Playwright never downloads a browser here: it drives /usr/bin/chromium (`make e2e` installs it).
Every request the browser makes is routed through a guard that refuses and records anything
that leaves 127.0.0.1; a test that caused one fails. Screenshots go to `e2e/artifacts/`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)

from alongside.demo.content import DEMO_PASSWORD, demo_email
from alongside.demo.server import BASE_DIR, DemoServer, demo_server, server_environment
from conftest import totp_code

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR / "artifacts"
AXE = E2E_DIR.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LOCAL_HOSTS = {"127.0.0.1"}


@dataclass
class Guard:
    """What the browser tried that a page must never do."""

    foreign_requests: list[str] = field(default_factory=list)
    policy_violations: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            self.foreign_requests.append(url)
            route.abort()
            return
        route.continue_()

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.policy_violations.append(message.text)

    def check(self) -> None:
        assert not self.foreign_requests, f"requests left 127.0.0.1: {self.foreign_requests}"
        assert not self.policy_violations, f"the page broke its CSP: {self.policy_violations}"


@pytest.fixture(scope="session")
def server() -> Iterator[DemoServer]:
    with demo_server(workers=1, threads=8) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_context(browser: Browser, guard: Guard, **options: Any) -> BrowserContext:
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    context.route("**/*", guard.route)
    context.on("page", lambda page: page.on("console", guard.console))
    return context


def phone_context(browser: Browser, guard: Guard, language: str, **options: Any) -> BrowserContext:
    """A context of a phone, in `language` (`options` such as a `storage_state` added)."""
    return open_context(
        browser,
        guard,
        viewport=PHONE,
        locale="ar" if language == "ar" else "en-GB",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        **options,
    )


@pytest.fixture
def guard() -> Iterator[Guard]:
    watched = Guard()
    yield watched
    watched.check()


@pytest.fixture
def context(browser: Browser, guard: Guard) -> Iterator[BrowserContext]:
    opened = open_context(browser, guard, viewport=DESKTOP, locale="en-GB")
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def opened() -> Iterator[list[BrowserContext]]:
    """Browser contexts a test opens; closed when it ends."""
    contexts: list[BrowserContext] = []
    yield contexts
    for context in contexts:
        context.close()


def expect_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")


def second_factor(page: Page, secret: str) -> None:
    """Give the TOTP code of `secret`. A code is accepted once: if another test used this
    window's code a moment ago, the server refuses it, and the next window brings a new one."""
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    for _attempt in range(2):
        form = page.locator("form:has(input[name=code])")
        form.locator("input[name=code]").fill(totp_code(secret))
        form.locator("button[type=submit]").first.click()
        page.wait_for_load_state()
        if "/accounts/2fa/authenticate/" not in page.url:
            return
        time.sleep(30 - time.time() % 30 + 0.5)
    raise AssertionError("the server refused two TOTP codes in a row")


def sign_in_as(page: Page, language: str, persona: str, totp_secret: str | None = None) -> None:
    """Sent to sign in: the demo's `persona` signs in with the password, then with a TOTP code
    of `totp_secret` when given."""
    expect(page).to_have_url(re.compile(rf"/{language}/accounts/login/"))
    expect_language(page, language)
    login = page.locator("form:has(input[name=password])")
    login.locator("input[name=login]").fill(demo_email(persona))
    login.locator("input[name=password]").fill(DEMO_PASSWORD)
    login.locator("button[type=submit]").first.click()
    if totp_secret is not None:
        second_factor(page, totp_secret)


def said(language: str, text: Any) -> str:
    """What the page says for `text` in `language`, from the catalogue the server uses. The
    Arabic catalogue of the field screens is being filled in: an English text on an Arabic page
    is accepted here (the translation test catches it), so the test compares with the same."""
    with translation.override(language):
        return gettext(text) if isinstance(text, str) else str(text)


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone: {width}px wide"


def run_on_server(server: DemoServer, code: str) -> str:
    """Run Django code against the server's database (`manage.py shell -c`, with the server's
    own environment); returns what it printed."""
    port = urlsplit(server.url).port
    assert port is not None
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        env=server_environment(server.var_dir, port),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"the snippet failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout
