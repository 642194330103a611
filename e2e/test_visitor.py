"""A visitor reads the public site in English, switches to Arabic and reads it again, and writes
to a group through its contact form, making a mistake first."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from alongside.demo.server import DemoServer
from e2e.conftest import DESKTOP, Guard, open_context, screenshot

GROUP = "northern-california"


def _nav(page: Page, language: str, path: str) -> None:
    """Follow the header's link, as a visitor would."""
    page.locator(f'header a[href="/{language}/{path}"]').first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/{re.escape(path)}$"))
    expect(page.locator("h1").first).to_be_visible()


def _browse(page: Page, server: DemoServer, language: str) -> None:
    page.goto(f"{server.url}/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    _nav(page, language, "about/")
    _nav(page, language, "principles/")
    principles = page.locator("main").inner_text()
    # The current version has the fifth principle; the earlier one, a click away, has not.
    page.locator(f'main a[href="/{language}/principles/v1/"]').first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/principles/v1/$"))
    earlier = page.locator("main").inner_text()
    assert earlier != principles
    if language == "en":
        assert "Freedom under international law" in principles
        assert "Freedom under international law" not in earlier
        assert "Nonviolence" in earlier
    _nav(page, language, "faq/")
    _nav(page, language, "get-involved/")
    _nav(page, language, "groups/")
    page.locator(f'main a[href="/{language}/groups/{GROUP}/"]').first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/groups/{GROUP}/$"))
    expect(page.locator("main")).to_contain_text("norcal@example.org")
    page.locator(f'main a[href="/{language}/groups/{GROUP}/contact/"]').first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/groups/{GROUP}/contact/$"))


def _write_to_the_group(page: Page, language: str) -> None:
    message = f"Hello from a visitor reading in {language}: when is the next training?"
    form = page.locator("form.contact-form")
    form.locator("input[name=name]").fill("")
    form.locator("input[name=email]").fill("not-an-email")
    form.locator("textarea[name=message]").fill(message)
    form.locator("button[type=submit]").click()
    # The same form again, with a message beside each wrong field and nothing lost.
    expect(page).to_have_url(re.compile(rf"/{language}/groups/{GROUP}/contact/$"))
    expect(page.locator(".field-error")).to_have_count(2)
    expect(form.locator("textarea[name=message]")).to_have_value(message)
    expect(form.locator("input[name=email]")).to_have_value("not-an-email")
    screenshot(page, f"contact-error-{language}")
    form.locator("input[name=name]").fill("Rami")
    form.locator("input[name=email]").fill("rami@example.net")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/groups/{GROUP}/contact/sent/$"))
    screenshot(page, f"contact-sent-{language}")


def test_a_visitor_browses_in_english_then_switches_to_arabic(
    page: Page, server: DemoServer
) -> None:
    _browse(page, server, "en")
    _write_to_the_group(page, "en")

    # The switch in the header keeps the visitor on the same page, now in Arabic.
    page.goto(f"{server.url}/en/groups/{GROUP}/")
    page.locator('header form.language-switch button[value="ar"]').click()
    expect(page).to_have_url(re.compile(rf"/ar/groups/{GROUP}/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main")).to_contain_text("شمال كاليفورنيا")

    _browse(page, server, "ar")
    _write_to_the_group(page, "ar")

    # And back: the switch offers English on an Arabic page.
    page.goto(f"{server.url}/ar/about/")
    page.locator('header form.language-switch button[value="en"]').click()
    expect(page).to_have_url(re.compile(r"/en/about/$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_the_arabic_pages_show_the_arabic_texts_groups_wrote(
    page: Page, server: DemoServer
) -> None:
    page.goto(f"{server.url}/ar/about/")
    expect(page.locator("main")).to_contain_text("حركة بقيادة فلسطينية")
    page.goto(f"{server.url}/ar/principles/")
    expect(page.locator("main")).to_contain_text("اللاعنف")
    page.goto(f"{server.url}/ar/faq/")
    expect(page.locator("main")).to_contain_text("هل أحتاج إلى خبرة لأتطوّع؟")


def test_pages_work_without_javascript(browser: Browser, server: DemoServer, guard: Guard) -> None:
    context = open_context(browser, guard, viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/en/groups/{GROUP}/contact/")
        form = page.locator("form.contact-form")
        form.locator("input[name=name]").fill("Noa")
        form.locator("input[name=email]").fill("noa@example.net")
        form.locator("textarea[name=message]").fill("Written with JavaScript turned off.")
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/en/groups/{GROUP}/contact/sent/$"))
        page.goto(f"{server.url}/en/about/")
        page.locator('header form.language-switch button[value="ar"]').click()
        expect(page).to_have_url(re.compile(r"/ar/about/$"))
    finally:
        context.close()
