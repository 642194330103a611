"""A core member signs in with password and TOTP, edits a page of the group in English and in
Arabic, and sees each change on the public page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from alongside.demo.content import CORE_TOTP_SECRET, DEMO_PASSWORD, demo_email
from alongside.demo.server import DemoServer
from conftest import totp_code
from e2e.conftest import screenshot

GROUP = "northern-california"
PAGE_SLUG = "spring-campaign"


def _sign_in(page: Page, server: DemoServer) -> None:
    page.goto(f"{server.url}/en/manage/{GROUP}/pages/")
    # Not signed in: sent to sign in, and brought back afterwards.
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))
    login = page.locator("form:has(input[name=password])")
    login.locator("input[name=login]").fill(demo_email("core"))
    login.locator("input[name=password]").fill(DEMO_PASSWORD)
    login.locator("button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/en/accounts/2fa/authenticate/"))
    second = page.locator("form:has(input[name=code])")
    second.locator("input[name=code]").fill(totp_code(CORE_TOTP_SECRET))
    second.locator("button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/en/manage/{GROUP}/pages/$"))


def _edit_page(page: Page, server: DemoServer, language: str, *, title: str, body: str) -> None:
    page.goto(f"{server.url}/{language}/manage/{GROUP}/pages/")
    page.locator(f'main a[href^="/{language}/manage/{GROUP}/pages/"][href$="/edit/"]').first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/manage/{GROUP}/pages/\d+/edit/$"))
    form = page.locator("form:has(input[name=title_en])")
    form.locator(f"input[name=title_{language}]").fill(title)
    form.locator(f"textarea[name=body_{language}]").fill(body)
    screenshot(page, f"core-edit-page-{language}")
    form.locator("button[type=submit]:not([name=preview])").click()
    # Saved: back on the same form, with a confirmation and the saved text in the preview.
    expect(page).to_have_url(re.compile(rf"/{language}/manage/{GROUP}/pages/\d+/edit/$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(form.locator(f"input[name=title_{language}]")).to_have_value(title)


def test_a_core_member_signs_in_with_totp_and_edits_a_page_in_both_languages(
    page: Page, server: DemoServer
) -> None:
    _sign_in(page, server)
    expect(page.locator("main")).to_contain_text("Spring campaign")

    _edit_page(
        page,
        server,
        "en",
        title="Spring campaign 2027",
        body="Applications are **open** until the end of February.",
    )
    page.goto(f"{server.url}/en/groups/{GROUP}/pages/{PAGE_SLUG}/")
    expect(page.locator("h1")).to_contain_text("Spring campaign 2027")
    expect(page.locator("main strong")).to_have_text("open")

    # The same person, now in Arabic: the switch keeps them on the management screen.
    page.goto(f"{server.url}/en/manage/{GROUP}/pages/")
    page.locator('header form.language-switch button[value="ar"]').click()
    expect(page).to_have_url(re.compile(rf"/ar/manage/{GROUP}/pages/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _edit_page(
        page,
        server,
        "ar",
        title="حملة الربيع 2027",
        body="باب التقديم **مفتوح** حتى نهاية شباط.",
    )
    page.goto(f"{server.url}/ar/groups/{GROUP}/pages/{PAGE_SLUG}/")
    expect(page.locator("h1")).to_contain_text("حملة الربيع 2027")
    expect(page.locator("main strong")).to_have_text("مفتوح")
    # The English page kept its own text.
    page.goto(f"{server.url}/en/groups/{GROUP}/pages/{PAGE_SLUG}/")
    expect(page.locator("h1")).to_contain_text("Spring campaign 2027")

    # Signing out is a button (a POST); afterwards the management screens ask to sign in again.
    page.locator("header form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    if "/accounts/logout/" in page.url:  # allauth may ask to confirm
        page.locator("main form button[type=submit]").first.click()
    page.goto(f"{server.url}/en/manage/{GROUP}/pages/")
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))


def test_an_outsider_cannot_see_the_groups_management_screens(
    page: Page, server: DemoServer
) -> None:
    page.goto(f"{server.url}/en/accounts/login/")
    login = page.locator("form:has(input[name=password])")
    login.locator("input[name=login]").fill(demo_email("volunteer"))
    login.locator("input[name=password]").fill(DEMO_PASSWORD)
    login.locator("button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/en/accounts/home/"))
    response = page.goto(f"{server.url}/en/manage/{GROUP}/pages/")
    assert response is not None and response.status == 404
