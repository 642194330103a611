"""Every public page, in English and Arabic, passes axe-core with no serious or critical
violation; and screenshots of the main pages on a phone and a desktop for people to look at.

axe-core comes from the npm registry (`package.json`) and is injected into the page under test.
The site's Content-Security-Policy rightly refuses injected scripts, so the axe run uses a
browser context that bypasses CSP; every other test runs under the real policy.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from alongside.demo.content import CORE_TOTP_SECRET, DEMO_PASSWORD, OUTSIDER_TOTP_SECRET, demo_email
from alongside.demo.server import DemoServer
from conftest import totp_code
from e2e.conftest import AXE, DESKTOP, PHONE, Guard, open_context, screenshot, second_factor
from e2e.test_pipeline_volunteer import sign_in_with_password

PUBLIC_PAGES = [
    "",
    "about/",
    "principles/",
    "principles/v1/",
    "faq/",
    "get-involved/",
    "groups/",
    "groups/northern-california/",
    "groups/northern-california/pages/spring-campaign/",
    "groups/general/",
    "groups/palestine/",
    "groups/northern-california/contact/",
    "accounts/login/",
    "accounts/signup/",
    "accounts/password/reset/",
    "no-such-page/",
]
SCREENSHOT_PAGES = {
    "home": "",
    "principles": "principles/",
    "groups": "groups/",
    "group": "groups/northern-california/",
    "contact": "groups/northern-california/contact/",
    "login": "accounts/login/",
}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_context(browser: Browser) -> Iterator[tuple[BrowserContext, Guard]]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make e2e` installs it with npm ci")
    guard = Guard()
    context = open_context(browser, guard, viewport=DESKTOP, bypass_csp=True)
    yield context, guard
    context.close()
    guard.check()


def _describe(violation: dict[str, Any]) -> str:
    targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
    return f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}"


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_accessibility_violation(
    axe_context: tuple[BrowserContext, Guard], server: DemoServer, language: str, path: str
) -> None:
    context, _guard = axe_context
    page = context.new_page()
    try:
        response = page.goto(f"{server.url}/{language}/{path}")
        assert response is not None
        assert response.status == (404 if path == "no-such-page/" else 200)
        page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, "\n".join(_describe(v) for v in blocking)
        # The engine really ran: it reports the rules it passed too.
        assert results["testEngine"]["name"] == "axe-core"
    finally:
        page.close()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_screenshots_of_the_main_pages(
    browser: Browser, server: DemoServer, guard: Guard, language: str, device: str
) -> None:
    viewport = PHONE if device == "phone" else DESKTOP
    context = open_context(
        browser, guard, viewport=viewport, is_mobile=device == "phone", device_scale_factor=1
    )
    try:
        page = context.new_page()
        for name, path in SCREENSHOT_PAGES.items():
            page.goto(f"{server.url}/{language}/{path}")
            # Nothing may stick out sideways on a phone: that is how layouts break in RTL.
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{language}/{path} is {overflow}px too wide on a {device}"
            screenshot(page, f"{name}-{language}-{device}")
    finally:
        context.close()


def test_the_accessibility_check_finds_a_violation_when_there_is_one(
    axe_context: tuple[BrowserContext, Guard], server: DemoServer
) -> None:
    """So that the checks above cannot pass by not looking."""
    context, _guard = axe_context
    page = context.new_page()
    try:
        page.goto(f"{server.url}/en/")
        page.evaluate(
            """() => {
                const image = document.createElement("img");
                image.src = "/static/img/icon.svg";
                document.querySelector("main").append(image);
            }"""
        )
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document)")
        ids = {v["id"] for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS}
        assert "image-alt" in ids
    finally:
        page.close()


def test_the_management_screens_have_no_serious_accessibility_violation(
    browser: Browser, server: DemoServer
) -> None:
    """Core members work on phones too. Signed in as London's core member (the outsider persona,
    whose own group this is), every screen linked from the dashboard, in both languages."""
    guard = Guard()
    context = open_context(browser, guard, viewport=DESKTOP, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/en/accounts/login/")
        login = page.locator("form:has(input[name=password])")
        login.locator("input[name=login]").fill(demo_email("outsider"))
        login.locator("input[name=password]").fill(DEMO_PASSWORD)
        login.locator("button[type=submit]").first.click()
        page.locator("input[name=code]").fill(totp_code(OUTSIDER_TOTP_SECRET))
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/accounts/home/"))
        page.goto(f"{server.url}/en/manage/london/")
        screens = sorted(
            {
                href
                for href in page.eval_on_selector_all(
                    'main a[href^="/en/manage/london/"], nav a[href^="/en/manage/london/"]',
                    "links => links.map(link => link.getAttribute('href'))",
                )
                if not href.endswith("/delete/")
            }
        )
        assert len(screens) >= 6, screens
        problems = []
        for path in screens:
            for language in ("en", "ar"):
                url = f"{server.url}/{language}{path.removeprefix('/en')}"
                response = page.goto(url)
                assert response is not None and response.status == 200, url
                page.add_script_tag(path=str(AXE))
                results = page.evaluate("async () => await axe.run(document)")
                problems += [
                    f"{url}: {_describe(v)}"
                    for v in results["violations"]
                    if v["impact"] in BLOCKING_IMPACTS
                ]
        assert not problems, "\n".join(problems)
    finally:
        context.close()
    guard.check()


# --- the volunteer pipeline ---------------------------------------------------------------------

GROUP_PIPELINE = "manage/northern-california/pipeline/"
VOLUNTEER_PAGES = [
    "volunteer/",
    "volunteer/trainings/",
    "volunteer/presence/",
    "volunteer/safe-space/",
]
APPLICANT_PAGES = ["volunteer/apply/"]
# `{application}` and `{training}` stand for ids read from the board's and the list's links.
CORE_PAGES = [
    "",
    "{application}/",
    "trainings/",
    "trainings/{training}/",
    "campaigns/",
    "outreach/",
    "retention/",
    "safe-space/contacts/",
]


@dataclass
class SignedIn:
    context: BrowserContext
    guard: Guard
    ids: dict[str, str] = field(default_factory=dict)
    signed_in_at: float = field(default_factory=time.time)


def _signed_in(browser: Browser, server: DemoServer, persona: str, *, totp: bool) -> SignedIn:
    """A desktop context (bypassing CSP, for axe) signed in once as the demo persona."""
    guard = Guard()
    context = open_context(browser, guard, viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.url}/en/accounts/login/")
    sign_in_with_password(page, demo_email(persona), DEMO_PASSWORD)
    if totp:
        second_factor(page, CORE_TOTP_SECRET)
    page.wait_for_url(re.compile(r"/en/accounts/home/$"))
    page.close()
    return SignedIn(context, guard)


def _close(signed_in: SignedIn) -> None:
    signed_in.context.close()
    signed_in.guard.check()


@pytest.fixture(scope="module")
def volunteer(browser: Browser, server: DemoServer) -> Iterator[SignedIn]:
    signed_in = _signed_in(browser, server, "volunteer", totp=False)
    yield signed_in
    _close(signed_in)


@pytest.fixture(scope="module")
def applicant(browser: Browser, server: DemoServer) -> Iterator[SignedIn]:
    signed_in = _signed_in(browser, server, "applicant", totp=False)
    yield signed_in
    _close(signed_in)


def _first_link(page: Page, pattern: str) -> str:
    hrefs = page.eval_on_selector_all(
        "main a[href]", "links => links.map(link => link.getAttribute('href'))"
    )
    found = next((m for href in hrefs if (m := re.fullmatch(pattern, href))), None)
    assert found is not None, f"no link like {pattern} on {page.url}"
    return found.group(1)


@pytest.fixture(scope="module")
def core(browser: Browser, server: DemoServer) -> Iterator[SignedIn]:
    """One sign-in for every core page in both languages: a TOTP code works once a window."""
    signed_in = _signed_in(browser, server, "core", totp=True)
    page = signed_in.context.new_page()
    base = f"/en/{GROUP_PIPELINE}"
    page.goto(f"{server.url}{base}")
    signed_in.ids["application"] = _first_link(page, rf"{re.escape(base)}(\d+)/")
    page.goto(f"{server.url}{base}trainings/")
    signed_in.ids["training"] = _first_link(page, rf"{re.escape(base)}trainings/(\d+)/")
    page.close()
    yield signed_in
    _close(signed_in)
    # Leave the code just used to no one: the next test to sign in as the core member would
    # be refused if it came within the same 30-second window.
    window_ends = (signed_in.signed_in_at // 30 + 1) * 30
    time.sleep(max(0.0, window_ends - time.time() + 0.5))


def _check(signed_in: SignedIn, url: str, *, status: int = 200) -> None:
    page = signed_in.context.new_page()
    try:
        response = page.goto(url)
        assert response is not None
        assert response.status == status, url
        # Signed in and where we asked to be, not on the sign-in page.
        assert page.url == url
        page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, "\n".join(_describe(v) for v in blocking)
        assert results["testEngine"]["name"] == "axe-core"
    finally:
        page.close()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("path", CORE_PAGES)
def test_the_pipeline_screens_have_no_serious_accessibility_violation(
    core: SignedIn, server: DemoServer, language: str, path: str
) -> None:
    _check(core, f"{server.url}/{language}/{GROUP_PIPELINE}{path.format(**core.ids)}")


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("path", VOLUNTEER_PAGES)
def test_the_volunteers_pages_have_no_serious_accessibility_violation(
    volunteer: SignedIn, server: DemoServer, language: str, path: str
) -> None:
    _check(volunteer, f"{server.url}/{language}/{path}")


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("path", APPLICANT_PAGES)
def test_the_application_form_has_no_serious_accessibility_violation(
    applicant: SignedIn, server: DemoServer, language: str, path: str
) -> None:
    _check(applicant, f"{server.url}/{language}/{path}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_expired_reference_page_has_no_serious_accessibility_violation(
    axe_context: tuple[BrowserContext, Guard], server: DemoServer, language: str
) -> None:
    context, guard = axe_context
    _check(
        SignedIn(context, guard),
        f"{server.url}/{language}/volunteer/reference/not-a-token/",
        status=410,
    )
