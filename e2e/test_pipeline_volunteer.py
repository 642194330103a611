"""The volunteer pipeline in Chromium, in English and in Arabic.

A person signs up and applies on a phone, making a mistake first, and agrees to each principle;
a core member signs in with TOTP, takes the application on the board, screens it and accepts
it; the volunteer registers for a training the core member set up, is marked present, and is
granted the qualification, which their page then shows.

The three tests of one language tell one story: each starts from where the one before left the
person. Run alone (`-k`), a test first walks the earlier steps itself (`Story.ensure_*`).
Everything is created through the screens; nothing relies on the demo's pipeline data.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, BrowserContext, Locator, Page, StorageState, expect

from alongside.demo.content import CORE_TOTP_SECRET, DEMO_PASSWORD, PEOPLE, demo_email
from alongside.demo.server import DemoServer
from alongside.volunteers.models import RegistrationStatus, Stage
from e2e.conftest import (
    DESKTOP,
    PHONE,
    Guard,
    expect_language,
    open_context,
    screenshot,
    second_factor,
)

GROUP = "northern-california"
GROUP_NAME = {"en": "Northern California", "ar": "شمال كاليفورنيا"}
CORE_NAME = next(person.name for person in PEOPLE if person.persona == "core")
PASSWORD = "a-long-walk-to-the-olive-groves"
QUALIFICATION = {"en": "Legal briefing", "ar": "إحاطة قانونية"}
# Typed by the person, in the page's language: Arabic text must round-trip as typed.
PEOPLE_TYPED = {
    "en": {
        "first_name": "Maya",
        "full_name": "Maya Thompson",
        "motivation": "I want to stand beside the families of the South Hebron Hills.",
        "experience": "Two years of solidarity work and a first-aid course.",
        "emergency": "Ruth Thompson",
    },
    "ar": {
        "first_name": "ليلى",
        "full_name": "ليلى حداد",
        "motivation": "أريد أن أقف إلى جانب العائلات في مسافر يطا.",
        "experience": "سنتان من العمل التضامني ودورة في الإسعافات الأولية.",
        "emergency": "سلمى حداد",
    },
}


ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")


def in_language(language: str, text: Any) -> str:
    """What the page should say in `language`, from the same catalogue the server uses. In
    Arabic the text must be translated: an English sentence on an Arabic page fails the test."""
    with translation.override(language):
        said = gettext(text) if isinstance(text, str) else str(text)
    if language == "ar":
        assert ARABIC_LETTERS.search(said), f"not translated into Arabic: {text!r}"
    return said


def utc_today() -> dt.date:
    """The server's today: it keeps dates in UTC, whatever this machine's time zone."""
    return dt.datetime.now(dt.UTC).date()


def stage_label(language: str, stage: str) -> str:
    return in_language(language, Stage(stage).label)


@dataclass
class Story:
    """One person's way through the pipeline, in one language."""

    language: str
    browser: Browser
    server: DemoServer
    email: str
    typed: dict[str, str]
    applicant_state: StorageState | None = None
    core_state: StorageState | None = None
    applied: bool = False
    accepted: bool = False

    @property
    def url(self) -> str:
        return f"{self.server.url}/{self.language}"

    def context(self, guard: Guard, *, phone: bool, state: StorageState | None) -> BrowserContext:
        options: dict[str, Any] = {
            "viewport": PHONE if phone else DESKTOP,
            "locale": "ar" if self.language == "ar" else "en-GB",
        }
        if phone:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        if state is not None:
            options["storage_state"] = state
        return open_context(self.browser, guard, **options)

    def ensure(self, guard: Guard, step: Callable[[Story, Guard], None], done: bool) -> None:
        """Walk an earlier step when this test runs on its own."""
        if not done:
            step(self, guard)


@pytest.fixture(scope="module", params=["en", "ar"])
def story(request: pytest.FixtureRequest, browser: Browser, server: DemoServer) -> Story:
    language = request.param
    return Story(
        language=language,
        browser=browser,
        server=server,
        email=f"pipeline-{language}@example.net",
        typed=PEOPLE_TYPED[language],
    )


# --- helpers ---------------------------------------------------------------------------------


def shot(page: Page, story: Story, name: str) -> None:
    screenshot(page, f"pipeline-{name}-{story.language}")


def mail_bodies(server: DemoServer, address: str) -> list[str]:
    """The plain-text bodies of the mail the server wrote to files for `address`."""
    bodies: list[str] = []
    for path in sorted((server.var_dir / "mail").glob("*")):
        for chunk in path.read_bytes().split(b"-" * 79):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
            if address not in str(message.get("To", "")):
                continue
            body = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
            if body is not None:
                bodies.append(str(body.get_content()))
    return bodies


def confirmation_link(server: DemoServer, address: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for body in mail_bodies(server, address):
            found = re.search(r"http://127\.0\.0\.1:\d+/\S*/accounts/confirm-email/\S+", body)
            if found:
                return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no confirmation email for {address}")


def sign_in_with_password(page: Page, address: str, password: str) -> None:
    login = page.locator("form:has(input[name=password])")
    login.locator("input[name=login]").fill(address)
    login.locator("input[name=password]").fill(password)
    login.locator("button[type=submit]").first.click()


def core_page(story: Story, guard: Guard, opened: list[BrowserContext], path: str) -> Page:
    """A desktop page of the core member at `path` under the group's pipeline; signs in with
    password and TOTP the first time in the story's language."""
    target = f"{story.url}/manage/{GROUP}/pipeline/{path}"
    context = story.context(guard, phone=False, state=story.core_state)
    opened.append(context)
    page = context.new_page()
    page.goto(target)
    if story.core_state is None:
        # Not signed in: sent to sign in, and brought back afterwards.
        expect(page).to_have_url(re.compile(rf"/{story.language}/accounts/login/"))
        expect_language(page, story.language)
        sign_in_with_password(page, demo_email("core"), DEMO_PASSWORD)
        second_factor(page, CORE_TOTP_SECRET)
        expect(page).to_have_url(re.compile(re.escape(target) + "$"))
        story.core_state = context.storage_state()
    return page


def applicant_page(story: Story, guard: Guard, opened: list[BrowserContext], path: str) -> Page:
    assert story.applicant_state is not None
    context = story.context(guard, phone=True, state=story.applicant_state)
    opened.append(context)
    page = context.new_page()
    page.goto(f"{story.url}/volunteer/{path}")
    expect_language(page, story.language)
    return page


# --- 1. apply on a phone ---------------------------------------------------------------------


def sign_up(story: Story, page: Page) -> None:
    """A new person makes an account and confirms their address from the email."""
    page.goto(f"{story.url}/accounts/signup/")
    expect_language(page, story.language)
    form = page.locator("form:has(input[name=password2])")
    form.locator("input[name=email]").fill(story.email)
    form.locator("input[name=name]").fill(story.typed["first_name"])
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    page.goto(confirmation_link(story.server, story.email))
    page.locator("main form[action*='/accounts/confirm-email/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{story.language}/accounts/login/"))
    sign_in_with_password(page, story.email, PASSWORD)
    expect(page).to_have_url(re.compile(rf"/{story.language}/accounts/home/$"))


def fill_application(story: Story, form: Locator, *, arrival: dt.date, departure: dt.date) -> None:
    typed = story.typed
    form.locator("input[name=languages][value=en]").check()
    form.locator("input[name=languages][value=ar]").check()
    form.locator("input[name=phone]").fill("+1 415 555 0123")
    form.locator("textarea[name=motivation]").fill(typed["motivation"])
    form.locator("textarea[name=experience]").fill(typed["experience"])
    form.locator("input[name=arrival_on]").fill(arrival.isoformat())
    form.locator("input[name=departure_on]").fill(departure.isoformat())
    form.locator("input[name=dates_flexible]").check()
    form.locator("input[name=emergency_contact_name]").fill(typed["emergency"])
    form.locator("input[name=emergency_contact_phone]").fill("+1 415 555 0188")
    form.locator("input[name=reference_1_name]").fill("Dana Whitfield")
    form.locator("input[name=reference_1_email]").fill(f"dana.{story.language}@example.net")
    form.locator("input[name=reference_2_name]").fill("Youssef Karam")
    form.locator("input[name=reference_2_email]").fill(f"youssef.{story.language}@example.net")


def apply_on_a_phone(story: Story, guard: Guard) -> None:
    language, typed = story.language, story.typed
    context = story.context(guard, phone=True, state=None)
    try:
        page = context.new_page()
        sign_up(story, page)
        story.applicant_state = context.storage_state()

        # My page invites them to apply.
        page.goto(f"{story.url}/volunteer/")
        expect_language(page, language)
        expect(page.locator("h1")).to_have_text(in_language(language, "My volunteering"))
        shot(page, story, "1-my-page-before")
        page.locator(f'main a[href="/{language}/volunteer/apply/"]').click()
        expect(page).to_have_url(re.compile(rf"/{language}/volunteer/apply/$"))
        expect(page.locator("h1")).to_have_text(in_language(language, "Apply to volunteer"))
        form = page.locator("form.apply-form")
        expect(form.locator("#id_email")).to_have_value(story.email)

        # Their name and country; the form suggests the group of their country.
        form.locator("input[name=full_name]").fill(typed["full_name"])
        form.locator("select[name=country]").select_option("US")
        form.locator("button[name=action][value=suggest]").click()
        expect(form.locator("input[name=full_name]")).to_have_value(typed["full_name"])
        # The server marks its suggestion; the person takes it. (With JavaScript on, the
        # browser's copy of the form unticks it again for someone without a server draft: see
        # test_the_suggested_group_stays_chosen_for_a_new_applicant.)
        suggested = form.locator("label:has(input[name=group][checked])")
        expect(suggested).to_contain_text(GROUP_NAME[language])
        suggested.locator("input").check()
        shot(page, story, "1-apply-suggested")

        # Everything else, with the departure before the arrival.
        today = utc_today()
        arrival, wrong, right = (today + dt.timedelta(days=d) for d in (60, 40, 120))
        fill_application(story, form, arrival=arrival, departure=wrong)
        form.locator(".actions button[name=action][value=submit]").click()

        # The same form, one message beside the departure, in the page's language; all kept.
        expect(page).to_have_url(re.compile(rf"/{language}/volunteer/apply/$"))
        expect_language(page, language)
        errors = page.locator(".field-error")
        expect(errors).to_have_count(1)
        departure_field = page.locator(".field-error:has(input[name=departure_on])")
        expect(departure_field).to_contain_text(
            in_language(language, "The departure must be after the arrival.")
        )
        expect(page.locator(".message-error")).to_contain_text(
            in_language(language, "Please correct what is marked below; nothing you typed is lost.")
        )
        expect(form.locator("input[name=full_name]")).to_have_value(typed["full_name"])
        expect(form.locator("select[name=country]")).to_have_value("US")
        expect(form.locator("input[name=languages][value=ar]")).to_be_checked()
        expect(form.locator("input[name=phone]")).to_have_value("+1 415 555 0123")
        expect(form.locator("textarea[name=motivation]")).to_have_value(typed["motivation"])
        expect(form.locator("textarea[name=experience]")).to_have_value(typed["experience"])
        expect(form.locator("input[name=arrival_on]")).to_have_value(arrival.isoformat())
        expect(form.locator("input[name=departure_on]")).to_have_value(wrong.isoformat())
        expect(form.locator("input[name=dates_flexible]")).to_be_checked()
        expect(form.locator("input[name=emergency_contact_name]")).to_have_value(typed["emergency"])
        expect(form.locator("input[name=reference_2_email]")).to_have_value(
            f"youssef.{language}@example.net"
        )
        expect(form.locator("label:has(input[name=group]:checked)")).to_contain_text(
            GROUP_NAME[language]
        )
        departure_field.scroll_into_view_if_needed()
        shot(page, story, "1-apply-error")

        form.locator("input[name=departure_on]").fill(right.isoformat())
        form.locator(".actions button[name=action][value=submit]").click()

        # The principles: each one agreed to separately; one left out is pointed out.
        expect(page).to_have_url(re.compile(rf"/{language}/volunteer/principles/$"))
        expect_language(page, language)
        boxes = page.locator("main form input[type=checkbox][name^=principle_]")
        count = boxes.count()
        assert count >= 2, "the group's principles should be several"
        for index in range(count - 1):
            boxes.nth(index).check()
        shot(page, story, "1-principles")
        page.locator("main form .actions button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/{language}/volunteer/principles/$"))
        expect(page.locator(".field-error")).to_have_count(1)
        expect(page.locator(".field-error")).to_contain_text(
            in_language(language, "Agree to this principle to go on.")
        )
        for index in range(count - 1):
            expect(boxes.nth(index)).to_be_checked()
        boxes.nth(count - 1).check()
        page.locator("main form .actions button[type=submit]").click()

        # My page: received, and what comes next.
        expect(page).to_have_url(re.compile(rf"/{language}/volunteer/$"))
        expect_language(page, language)
        expect(page.locator("#stage-heading + p .badge")).to_have_text(
            stage_label(language, "received")
        )
        expect(page.locator("main")).to_contain_text(GROUP_NAME[language])
        expect(page.locator("main .dl-grid")).to_contain_text(
            in_language(language, "yes")  # the dates are flexible
        )
        # The browser's copy of the form is gone now that the server has the application.
        assert page.evaluate("() => localStorage.getItem('alongside-apply-draft')") is None
        shot(page, story, "1-my-page-received")
    finally:
        context.close()
    story.applied = True


def test_a_person_signs_up_and_applies_on_a_phone_correcting_a_mistake(
    story: Story, guard: Guard
) -> None:
    apply_on_a_phone(story, guard)


def test_the_suggested_group_stays_chosen_for_a_new_applicant(
    browser: Browser, server: DemoServer, guard: Guard
) -> None:
    story = Story(
        language="en",
        browser=browser,
        server=server,
        email="pipeline-suggest@example.net",
        typed=PEOPLE_TYPED["en"],
    )
    context = story.context(guard, phone=True, state=None)
    try:
        page = context.new_page()
        sign_up(story, page)
        page.goto(f"{story.url}/volunteer/apply/")
        form = page.locator("form.apply-form")
        form.locator("input[name=full_name]").fill(story.typed["full_name"])
        form.locator("select[name=country]").select_option("US")
        form.locator("button[name=action][value=suggest]").click()
        expect(form.locator("label:has(input[name=group][checked])")).to_contain_text(
            GROUP_NAME["en"]
        )
        # What the person sees: the suggestion ticked.
        expect(form.locator("label:has(input[name=group]:checked)")).to_contain_text(
            GROUP_NAME["en"], timeout=2_000
        )
    finally:
        context.close()


# --- 2. the core member screens and accepts --------------------------------------------------


def screen_and_accept(story: Story, guard: Guard) -> None:
    story.ensure(guard, apply_on_a_phone, story.applied)
    language, typed = story.language, story.typed
    contexts: list[BrowserContext] = []
    try:
        page = core_page(story, guard, contexts, "")
        expect_language(page, language)
        expect(page.locator("main h1")).to_have_text(in_language(language, "Pipeline"))
        # The board: the new application among the received ones.
        page.locator(".board-stages a[href*='stage=received']").click()
        expect(page).to_have_url(re.compile(r"stage=received"))
        row = page.locator("main table tbody tr", has_text=typed["full_name"])
        expect(row).to_have_count(1)
        expect(row).to_contain_text(stage_label(language, "received"))
        shot(page, story, "2-board-received")
        row.locator("a").first.click()
        expect(page).to_have_url(re.compile(rf"/{language}/manage/{GROUP}/pipeline/\d+/$"))
        expect(page.locator("h1")).to_contain_text(typed["full_name"])
        main = page.locator("main")
        expect(main).to_contain_text(typed["motivation"])
        expect(main).to_contain_text(typed["emergency"])
        expect(main).to_contain_text("Dana Whitfield")

        # A due date in the past is refused beside the field, the owner chosen is kept.
        assign = page.locator("form:has(input[name=do][value=assign])")
        assign.locator("select[name=assign-owner]").select_option(label=CORE_NAME)
        yesterday = utc_today() - dt.timedelta(days=1)
        assign.locator("input[name=assign-due_on]").fill(yesterday.isoformat())
        assign.locator("button[type=submit]").click()
        assign = page.locator("form:has(input[name=do][value=assign])")
        expect(assign.locator(".field-error")).to_contain_text(
            in_language(language, "Choose today or a later day.")
        )
        expect(assign.locator("select[name=assign-owner] option:checked")).to_have_text(CORE_NAME)
        # Then the owner takes the step, due in a week.
        due = utc_today() + dt.timedelta(days=7)
        assign.locator("input[name=assign-due_on]").fill(due.isoformat())
        assign.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text(
            in_language(language, "The step's owner and due date are saved.")
        )
        expect(page.locator("main p", has=page.locator(".badge-accent")).first).to_contain_text(
            CORE_NAME
        )

        # The interview, scheduled two days ahead, moves the application along.
        interview = page.locator("form:has(input[name=do][value=interview])")
        at = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
        interview.locator("input[name=interview-at]").fill(at.strftime("%Y-%m-%dT10:00"))
        interview.locator("button[type=submit]").click()
        expect(page.locator("main .badge.badge-accent").first).to_have_text(
            stage_label(language, "interview")
        )
        outcome = page.locator("form:has(input[name=do][value=outcome])")
        outcome.locator("textarea[name=outcome-outcome]").fill(
            "Calm, clear about nonviolence, ready for the training."
        )
        outcome.locator("button[type=submit]").click()
        expect(page.locator(".screening-text").first).to_be_visible()
        note = page.locator("form:has(input[name=do][value=note])")
        note.locator("textarea[name=note-body]").fill("Both references answered by phone.")
        note.locator("button[type=submit]").click()
        expect(page.locator(".screening-note")).to_contain_text(
            "Both references answered by phone."
        )
        shot(page, story, "2-screening")

        # Accepted: on to training.
        page.locator("form:has(input[name=do][value=accept]) button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text(
            in_language(language, "Accepted: the applicant goes on to training.")
        )
        expect(page.locator("main .badge.badge-accent").first).to_have_text(
            stage_label(language, "training")
        )
        shot(page, story, "2-accepted")

        # Back on the board, the application is at training, owned by the core member.
        page.locator(f'main a[href="/{language}/manage/{GROUP}/pipeline/"]').first.click()
        page.locator(".board-stages a[href*='stage=training']").click()
        row = page.locator("main table tbody tr", has_text=typed["full_name"])
        expect(row).to_contain_text(stage_label(language, "training"))
        expect(row).to_contain_text(CORE_NAME)
        shot(page, story, "2-board-training")
    finally:
        for context in contexts:
            context.close()

    # The applicant was told of each step by email: a link, no name beyond the first, no phone.
    told = mail_bodies(story.server, story.email)
    assert len(told) >= 2, "each step change should email the applicant"
    for body in told:
        assert typed["full_name"] not in body
        assert "555 0123" not in body
    story.accepted = True


def test_a_core_member_takes_the_application_on_screens_it_and_accepts_it(
    story: Story, guard: Guard
) -> None:
    screen_and_accept(story, guard)


# --- 3. training, attendance, qualification --------------------------------------------------


def training_start() -> dt.datetime:
    """A few minutes from now, still today (UTC): the volunteer can still register, and the
    core member may already take attendance, which is done on the day."""
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    start = now + dt.timedelta(minutes=3)
    if start.date() != now.date():
        # Just before midnight: wait for the new day rather than start tomorrow.
        time.sleep((start - dt.datetime.now(dt.UTC)).total_seconds())
        return training_start()
    return start


def test_the_accepted_volunteer_registers_for_a_training_is_marked_present_and_qualified(
    story: Story, guard: Guard, opened: list[BrowserContext]
) -> None:
    story.ensure(guard, screen_and_accept, story.accepted)
    language, typed = story.language, story.typed
    title_en = f"Legal briefing in Oakland ({language})"
    title_ar = f"إحاطة قانونية في أوكلاند ({language})"
    title = title_ar if language == "ar" else title_en

    # The core member adds a training today, in a few minutes, that grants the legal briefing.
    core = core_page(story, guard, opened, "trainings/")
    expect_language(core, language)
    core.locator(f'main a[href="/{language}/manage/{GROUP}/pipeline/trainings/new/"]').click()
    form = core.locator("main form:has(input[name=title_en])")
    form.locator("input[name=title_en]").fill(title_en)
    form.locator("input[name=title_ar]").fill(title_ar)
    form.locator("select[name=qualification]").select_option(label="Legal briefing")
    starts = training_start()
    form.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=place]").fill("Oakland, Friends Meeting House")
    form.locator("select[name=language]").select_option(language)
    form.locator("input[name=capacity]").fill("12")
    form.get_by_label(CORE_NAME).check()
    form.locator(".actions button[type=submit]").click()
    # An end that is not after the start is refused beside the field, the rest kept.
    expect(form.locator(".field-error:has(input[name=ends_at])")).to_contain_text(
        in_language(language, "The training must end after it starts.")
    )
    expect(form.locator("input[name=title_ar]")).to_have_value(title_ar)
    expect(form.get_by_label(CORE_NAME)).to_be_checked()
    shot(core, story, "3-training-error")
    ends = starts + dt.timedelta(hours=3)
    form.locator("input[name=ends_at]").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    form.locator(".actions button[type=submit]").click()
    expect(core).to_have_url(re.compile(rf"/{language}/manage/{GROUP}/pipeline/trainings/\d+/$"))
    training_id = int(core.url.rstrip("/").rsplit("/", 1)[1])
    expect(core.locator("h1")).to_have_text(title)
    expect(core.locator("main")).to_contain_text(CORE_NAME)

    # The volunteer, on their phone, registers.
    volunteer = applicant_page(story, guard, opened, "trainings/")
    card = volunteer.locator("main article.card", has_text=title)
    expect(card).to_contain_text(QUALIFICATION[language])
    card.locator(
        f'form[action="/{language}/volunteer/trainings/{training_id}/register/"] button'
    ).click()
    expect(volunteer).to_have_url(re.compile(rf"/{language}/volunteer/trainings/$"))
    expect(volunteer.locator(".messages")).to_contain_text(
        in_language(language, "You are registered for the training.")
    )
    card = volunteer.locator("main article.card", has_text=title)
    expect(card.locator(".badge")).to_have_text(
        in_language(language, RegistrationStatus.REGISTERED.label)
    )
    shot(volunteer, story, "3-registered")

    # On the day, the core member takes attendance and grants the qualification.
    core.reload()
    expect(core.locator("main ol").first).to_contain_text(typed["first_name"])
    core.locator(
        f'main a[href="/{language}/manage/{GROUP}/pipeline/trainings/{training_id}/attendance/"]'
    ).click()
    present = core.get_by_label(typed["first_name"], exact=True)
    expect(present).not_to_be_checked()
    present.check()
    shot(core, story, "3-attendance")
    core.locator("main form .actions button[type=submit]").click()
    expect(core).to_have_url(re.compile(rf"/pipeline/trainings/{training_id}/$"))
    expect(core.locator(".messages")).to_contain_text(
        in_language(language, "Attendance is saved: %(came)d of %(count)d came.")
        % {"came": 1, "count": 1}
    )
    expect(core.locator("main ol").first.locator(".badge")).to_have_text(
        in_language(language, "Came")
    )
    core.locator(f'form[action$="/trainings/{training_id}/grant/"] button').click()
    expect(core.locator(".messages")).to_contain_text(
        in_language(language, "Qualifications granted: %(count)d.") % {"count": 1}
    )
    shot(core, story, "3-granted")

    # The volunteer's page shows the training attended and the qualification.
    volunteer.goto(f"{story.url}/volunteer/")
    trainings = volunteer.locator("main section[aria-labelledby=trainings-heading]")
    expect(trainings).to_contain_text(title)
    expect(trainings).to_contain_text(in_language(language, "attended"))
    expect(trainings).to_contain_text(QUALIFICATION[language])
    shot(volunteer, story, "3-qualified")
