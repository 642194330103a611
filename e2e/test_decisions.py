"""Deciding by consensus in Chromium on a phone, in English and in Arabic.

In Northern California, Maren (core) drafts a proposal and opens it; Jonah asks a clarifying
question, Maren marks it answered and moves the stages on; in the test for agreement Jonah
agrees, then suggests an amendment that Maren accepts, so that he confirms his answer to the
new version; at its deadline the proposal closes by the group's rule, with the reasons on its
page and in the register. On another proposal Jonah blocks, citing a principle: it pauses, does
not close when everyone else has answered, Maren answers him in the block's thread, and the
deadline closes it as blocked. In the field, Hamid asks his team on the shift under way to
decide together now: it closes the moment he, the last of them, answers.

Both languages share one server and one database: each run drafts its own proposals (titles made
unique) and starts its own quick decision. What nobody can do in a browser here (the others
answering, the deadline passing) is arranged through the server's own `manage.py shell`, with
the real actions and the real per-minute task (`run_on_server`).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from alongside.decisions.explain import reasons_in_words
from alongside.decisions.models import Outcome, Position, Stage
from alongside.demo.content import CORE_TOTP_SECRET, demo_email
from alongside.demo.server import DemoServer
from e2e.conftest import (
    Guard,
    expect_language,
    expect_message,
    no_horizontal_scroll,
    phone_context,
    run_on_server,
    said,
    screenshot,
    sign_in_as,
)

GROUP = "northern-california"
ANSWERED = "You answered “%(position)s”. You may change your answer until the close."
NAMES = {"core": "Maren Holt", "volunteer": "Jonah Reyes", "field": "Hamid Sultani"}

# What people type, in the page's language.
TYPED = {
    "en": {
        "title": "Share the minibus with the Sacramento group",
        "text": "We book one minibus with the Sacramento group for the training weekend.",
        "why": "It halves the cost and nobody drives alone at night.",
        "question": "Who pays the deposit, and when?",
        "concern": "The minibus seats twelve; we may be fourteen.",
        "amendment": "If we are more than twelve, two of us take the train.",
        "amendment_why": "So that nobody is left behind.",
        "accepted_why": "A fair way to deal with the numbers.",
        "block_title": "Post the volunteers' photos on our public page",
        "block_why": "Photos of volunteers in the field can put them and their hosts at risk.",
        "reply": "Understood. Could we post only photos where nobody can be recognised?",
        "quick_title": "Do we stay at the gate until the farmers leave?",
        "quick_text": "We stay together at the gate, and leave with the last farmer.",
    },
    "ar": {
        "title": "نتشارك الحافلة الصغيرة مع مجموعة ساكرامنتو",
        "text": "نحجز حافلة صغيرة واحدة مع مجموعة ساكرامنتو لعطلة التدريب.",
        "why": "يقلّ المبلغ إلى النصف ولا يقود أحد وحده في الليل.",
        "question": "من يدفع العربون، ومتى؟",
        "concern": "تتسع الحافلة لاثني عشر شخصاً وقد نكون أربعة عشر.",
        "amendment": "إن كنا أكثر من اثني عشر، يسافر اثنان منا بالقطار.",
        "amendment_why": "حتى لا يبقى أحد خلفنا.",
        "accepted_why": "حل عادل لمسألة العدد.",
        "block_title": "ننشر صور المتطوعين على صفحتنا العامة",
        "block_why": "صور المتطوعين في الميدان قد تعرّضهم ومضيفيهم للخطر.",
        "reply": "فهمت. هل ننشر فقط صوراً لا يمكن فيها التعرّف على أحد؟",
        "quick_title": "هل نبقى عند البوابة حتى يغادر المزارعون؟",
        "quick_text": "نبقى معاً عند البوابة ونغادر مع آخر مزارع.",
    },
}


@dataclass
class Story:
    language: str
    browser: Browser
    server: DemoServer
    # Each person's signed-in session, kept for the module: Maren gives a TOTP code only once.
    states: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{self.server.url}/{self.language}"

    def unique(self, title: str) -> str:
        return f"{title} ({self.language}-{time.time_ns() % 10**8})"

    def page(self, guard: Guard, opened: list[BrowserContext], persona: str, path: str) -> Page:
        """A phone page of `persona` at `path` under the story's language; signed in first
        (password, and TOTP for Maren) when this module has not signed them in yet."""
        state = {"storage_state": self.states[persona]} if persona in self.states else {}
        context = phone_context(self.browser, guard, self.language, **state)
        opened.append(context)
        page = context.new_page()
        target = f"{self.url}/{path}"
        page.goto(target)
        if persona not in self.states:
            sign_in_as(
                page, self.language, persona, CORE_TOTP_SECRET if persona == "core" else None
            )
            self.states[persona] = context.storage_state()
        expect(page).to_have_url(re.compile(re.escape(target) + "$"))
        expect_language(page, self.language)
        return page


@pytest.fixture(scope="module", params=["en", "ar"])
def story(request: pytest.FixtureRequest, browser: Browser, server: DemoServer) -> Story:
    return Story(language=request.param, browser=browser, server=server)


# --- helpers ---------------------------------------------------------------------------------


def shot(page: Page, story: Story, name: str) -> None:
    screenshot(page, f"decisions-{name}-{story.language}")


def shown(language: str, text: str, **names: str) -> re.Pattern[str]:
    """What the page says for a message with named variables: the translated words around
    them, whatever order the language puts them in; a variable given is matched exactly."""
    pattern = re.escape(said(language, text))
    for name in re.findall(r"%\\\(\w+\\\)s", pattern):
        key = name[3:-3]
        pattern = pattern.replace(name, re.escape(names[key]) if key in names else ".+", 1)
    return re.compile(pattern)


def on_phone(page: Page, language: str) -> None:
    expect_language(page, language)
    no_horizontal_scroll(page)


def stage_badge(page: Page, language: str, stage: Stage) -> None:
    expect(page.locator(".decision-badges .badge-accent")).to_have_text(said(language, stage.label))


def proposal_path(proposal_id: int) -> str:
    return f"decisions/{GROUP}/{proposal_id}/"


def move_on(page: Page, language: str, to: Stage) -> None:
    """The facilitator ends the current stage now, from the deadlines page."""
    page.locator("a[href$='/deadlines/']").click()
    expect(page.locator("h1")).to_have_text(said(language, "Deadlines"))
    page.locator("button[name=move_on]").click()
    expect_message(
        page,
        said(language, "The proposal has moved on to: %(stage)s.")
        % {"stage": said(language, to.label)},
    )
    stage_badge(page, language, to)


def expect_reasons(page: Page, language: str, detail: dict[str, Any]) -> None:
    """The outcome box gives each reason of the rule, with its numbers, in the language."""
    with translation.override(language):
        reasons = reasons_in_words(detail)
    assert reasons, f"the close stored no reasons: {detail}"
    box = page.locator(".decisions-outcome")
    expect(box.locator("h4").first).to_have_text(said(language, "How the group's rule was applied"))
    expect(box.locator(".decisions-reasons li")).to_have_text(reasons)


# What the server runs: the others answer through the real action, the deadline passes and the
# real per-minute task closes what is due.
EVERYONE_ELSE_AGREES = """
import json
from alongside.decisions.actions.responses import record_response
from alongside.decisions.models import Proposal, Response
from alongside.decisions.participants import body_members

proposal = Proposal.objects.get(pk=%(pk)d)
answered = Response.objects.counting(proposal).values_list("member_id", flat=True)
for member in body_members(proposal).exclude(pk__in=list(answered)).exclude(email__in=%(keep)r):
    record_response(proposal=proposal, member=member, position="agree")
proposal.refresh_from_db()
print(json.dumps({
    "stage": proposal.stage,
    "paused": proposal.paused_at is not None,
    "members": body_members(proposal).count(),
    "answered": Response.objects.counting(proposal).count(),
}))
"""

DEADLINE_PASSES = """
import json
from django.utils import timezone
from alongside.decisions.models import Proposal
from alongside.decisions.tasks import advance_proposals

Proposal.objects.filter(pk=%(pk)d).update(test_end=timezone.now())
advance_proposals.call()
proposal = Proposal.objects.get(pk=%(pk)d)
print(json.dumps({
    "stage": proposal.stage,
    "outcome": proposal.outcome,
    "how": proposal.closed_how,
    "detail": proposal.outcome_detail,
}))
"""


def server_json(story: Story, code: str, **values: Any) -> dict[str, Any]:
    printed = run_on_server(story.server, code % values).strip().splitlines()
    return dict(json.loads(printed[-1]))


def everyone_else_agrees(story: Story, proposal_id: int, *keep: str) -> dict[str, Any]:
    return server_json(
        story, EVERYONE_ELSE_AGREES, pk=proposal_id, keep=[demo_email(p) for p in keep]
    )


def deadline_passes(story: Story, proposal_id: int) -> dict[str, Any]:
    return server_json(story, DEADLINE_PASSES, pk=proposal_id)


def answer(page: Page, position: Position, reason: str = "") -> None:
    form = page.locator("form.decision-response-form")
    form.locator(f"input[name=position][value={position.value}]").check()
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    if position == Position.BLOCK:
        form.locator("input[name=principle]").first.check()
    form.locator("button[type=submit]").click()


# --- 1. through every stage, with an amendment and a confirmation ------------------------------


def test_a_proposal_goes_through_every_stage_with_an_amendment(
    story: Story, guard: Guard, opened: list[BrowserContext]
) -> None:
    language, typed = story.language, TYPED[story.language]
    title = story.unique(typed["title"])

    # Maren drafts the proposal from the group's decisions and opens it.
    maren = story.page(guard, opened, "core", f"decisions/{GROUP}/")
    expect(maren.locator("h1")).to_have_text(shown(language, "Decisions of %(group)s"))
    on_phone(maren, language)
    new = maren.locator("main a.button", has_text=said(language, "New proposal"))
    new.click()
    expect(maren).to_have_url(re.compile(rf"/decisions/{GROUP}/new/$"))
    expect(maren.locator("h1")).to_have_text(said(language, "New proposal"))
    draft = maren.locator("form.decision-form")
    draft.locator("input[name=title]").fill(title)
    draft.locator("textarea[name=text]").fill(typed["text"])
    draft.locator("textarea[name=why]").fill(typed["why"])
    on_phone(maren, language)
    shot(maren, story, "1-draft-form")
    draft.locator(".actions button[type=submit]").click()
    expect(maren).to_have_url(re.compile(rf"/decisions/{GROUP}/\d+/$"))
    proposal_id = int(maren.url.rstrip("/").rsplit("/", 1)[1])
    expect_message(
        maren,
        said(
            language, "The draft is saved. Only you and the facilitator see it until it is opened."
        ),
    )
    expect(maren.locator("h1")).to_have_text(title)
    maren.locator(".decision-draft button[type=submit]").click()
    expect_message(
        maren, said(language, "The proposal is open: the clarifying questions have begun.")
    )
    stage_badge(maren, language, Stage.QUESTIONS)
    expect(maren.locator(".decision-step[aria-current=step]")).to_contain_text(
        said(language, Stage.QUESTIONS.label)
    )
    on_phone(maren, language)
    shot(maren, story, "1-opened")

    # Jonah asks a clarifying question.
    jonah = story.page(guard, opened, "volunteer", proposal_path(proposal_id))
    expect(jonah.locator("h1")).to_have_text(title)
    jonah.locator("textarea[name=comment-body]").fill(typed["question"])
    jonah.locator("#comment-form button[type=submit]").click()
    expect_message(jonah, said(language, "Your comment is added."))
    question = jonah.locator("li.decision-comment", has_text=typed["question"])
    expect(question.locator(".badge")).to_have_text(said(language, "Question"))

    # Maren marks it answered, and moves on: concerns.
    maren.reload()
    question = maren.locator("li.decision-comment", has_text=typed["question"])
    question.locator("button[type=submit]").click()
    expect_message(maren, said(language, "The question is marked answered."))
    expect(question.locator(".badge")).to_have_text(said(language, "Answered"))
    move_on(maren, language, Stage.CONCERNS)

    # Jonah raises a concern; Maren moves on to amendments, then to the test for agreement.
    jonah.reload()
    stage_badge(jonah, language, Stage.CONCERNS)
    jonah.locator("textarea[name=comment-body]").fill(typed["concern"])
    jonah.locator("#comment-form button[type=submit]").click()
    expect_message(jonah, said(language, "Your comment is added."))
    concerns = jonah.locator("section.decision-comment-stage", has_text=typed["concern"])
    expect(concerns.locator("h3")).to_have_text(said(language, Stage.CONCERNS.label))
    maren.reload()
    move_on(maren, language, Stage.AMENDMENTS)
    move_on(maren, language, Stage.TEST)
    silent = maren.locator(".decision-silent")
    expect(silent).to_contain_text(NAMES["volunteer"])
    on_phone(maren, language)
    shot(maren, story, "1-test-begins")

    # Jonah agrees, then suggests an amendment.
    jonah.reload()
    stage_badge(jonah, language, Stage.TEST)
    answer(jonah, Position.AGREE)
    expect_message(jonah, said(language, "Your answer was recorded."))
    agree = said(language, Position.AGREE.label)
    agreed = shown(language, ANSWERED, position=agree)
    expect(jonah.locator("#my-answer")).to_contain_text(agreed)
    jonah.locator("a[href$='/amendments/new/']").click()
    expect(jonah.locator("h1")).to_have_text(said(language, "Suggest an amendment"))
    form = jonah.locator("form.decision-form")
    expect(form.locator("input[name=title]")).to_have_value(title)
    form.locator("textarea[name=reason]").fill(typed["amendment_why"])
    form.locator("textarea[name=text]").fill(f"{typed['text']}\n\n{typed['amendment']}")
    on_phone(jonah, language)
    form.locator(".actions button[type=submit]").click()
    expect_message(
        jonah, said(language, "Your amendment is suggested; the proposer decides on it.")
    )
    expect(jonah.locator("h1")).to_have_text(said(language, "Amendment"))
    expect(jonah.locator(".decision-diff ins")).to_contain_text(typed["amendment"])
    shot(jonah, story, "1-amendment-suggested")

    # Maren accepts it with a reason: version 2, and the versions page shows what changed.
    maren.reload()
    amendments = maren.locator("section.decision-amendments li")
    expect(amendments).to_have_count(1)
    expect(amendments).to_contain_text(said(language, "Waiting for the proposer"))
    amendments.locator("a").click()
    decide = maren.locator("#decide")
    decide.locator("textarea[name=reason]").fill(typed["accepted_why"])
    on_phone(maren, language)
    decide.locator("button[name=accept]").click()
    expect_message(
        maren,
        said(
            language,
            "The amendment is accepted: this is the new version. Everyone who had answered is "
            "asked to confirm again.",
        ),
    )
    expect(maren.locator(".decision-badges")).to_contain_text(
        shown(language, "Version %(number)s", number="2")
    )
    expect(maren.locator(".decision-words .prose").first).to_contain_text(typed["amendment"])
    expect(amendments).to_contain_text(said(language, "Accepted"))
    maren.locator("a[href$='/versions/']").click()
    expect(maren.locator("h1")).to_have_text(said(language, "Versions"))
    newest = maren.locator("section.decision-version").first
    expect(newest.locator("h2")).to_contain_text(shown(language, "Version %(number)s", number="2"))
    expect(newest.locator("h2 .badge")).to_have_text(said(language, "Current"))
    expect(newest.locator(".decision-diff ins")).to_contain_text(typed["amendment"])
    expect(newest.locator(".decision-diff del")).to_have_count(0)
    on_phone(maren, language)
    shot(maren, story, "1-versions")

    # Jonah is asked to confirm his answer for the new version, and does.
    jonah.goto(f"{story.url}/{proposal_path(proposal_id)}")
    mine = jonah.locator("#my-answer")
    expect(mine.locator(".message-warning")).to_contain_text(
        shown(
            language,
            "The proposal changed after you answered “%(position)s” to version %(number)s. That "
            "answer no longer counts: confirm it for the new version, or change it.",
            position=agree,
            number="1",
        )
    )
    expect(jonah.locator(".decision-answers")).to_contain_text(
        said(language, "Answered an earlier version")
    )
    on_phone(jonah, language)
    shot(jonah, story, "1-confirm-again")
    confirm = mine.locator("button[name=confirm]")
    expect(confirm).to_have_text(said(language, "Confirm my answer again"))
    confirm.tap()
    expect_message(jonah, said(language, "Your answer was recorded."))
    expect(jonah.locator("#my-answer .message-warning")).to_have_count(0)
    expect(jonah.locator("#my-answer")).to_contain_text(agreed)
    expect(jonah.locator(".decision-answer-list").first).to_contain_text(NAMES["volunteer"])

    # The others answer; Maren does not, so it waits for its deadline, and the task closes it.
    waiting = everyone_else_agrees(story, proposal_id, "core")
    assert waiting["stage"] == Stage.TEST, waiting
    closed = deadline_passes(story, proposal_id)
    assert (closed["stage"], closed["outcome"]) == (Stage.CLOSED, Outcome.CONSENSUS), closed
    maren.goto(f"{story.url}/{proposal_path(proposal_id)}")
    stage_badge(maren, language, Stage.CLOSED)
    expect(maren.locator(".decisions-outcome-label")).to_have_text(
        said(language, Outcome.CONSENSUS.label)
    )
    expect(maren.locator(".decisions-outcome")).to_contain_text(
        shown(language, "Closed %(when)s, at the deadline.")
    )
    expect_reasons(maren, language, closed["detail"])
    expect(maren.locator("form.decision-response-form")).to_have_count(0)
    on_phone(maren, language)
    shot(maren, story, "1-closed")

    # The register has it, found by its title.
    maren.locator("nav.decisions-group-nav a[href$='/register/']").click()
    expect(maren.locator("h1")).to_have_text(said(language, "Decision register"))
    maren.locator("form.filter-form input[name=q]").fill(title)
    maren.locator("form.filter-form button[type=submit]").click()
    entry = maren.locator("li.register-entry", has_text=title)
    expect(entry).to_have_count(1)
    expect(entry.locator(".badge").first).to_have_text(said(language, Outcome.CONSENSUS.label))
    on_phone(maren, language)
    shot(maren, story, "1-register")


# --- 2. a block stops one ----------------------------------------------------------------------

IN_THE_TEST = """
from django.utils import timezone
from alongside.accounts.models import User
from alongside.decisions.actions import proposals as actions
from alongside.movement.models import Group

maren = User.objects.get(email=%(maren)r)
proposal = actions.draft_proposal(
    group=Group.objects.get(slug=%(group)r),
    proposer=maren,
    kind="general",
    words={"title": %(title)r, "text": %(text)r, "why": "", "if_agreed": "", "concerns_whom": ""},
    values={
        "body": "members",
        "facilitator": maren,
        "review_on": None,
        **actions.default_deadlines(timezone.now()),
    },
)
actions.open_proposal(proposal_id=proposal.pk, actor=maren)
for stage in ("questions", "concerns", "amendments"):
    actions.move_on(proposal_id=proposal.pk, actor=maren, stage=stage)
print(proposal.pk)
"""


def test_a_block_pauses_a_proposal_and_stops_it_at_its_deadline(
    story: Story, guard: Guard, opened: list[BrowserContext]
) -> None:
    language, typed = story.language, TYPED[story.language]
    title = story.unique(typed["block_title"])
    code = IN_THE_TEST % {
        "maren": demo_email("core"),
        "group": GROUP,
        "title": title,
        "text": typed["block_title"],
    }
    proposal_id = int(run_on_server(story.server, code).split()[-1])

    # Jonah blocks, citing a principle, with his reason: the proposal is paused at once.
    jonah = story.page(guard, opened, "volunteer", proposal_path(proposal_id))
    stage_badge(jonah, language, Stage.TEST)
    form = jonah.locator("form.decision-response-form")
    principle = form.locator("label.decision-choice:has(input[name=principle])").first
    cited = principle.inner_text().strip()
    answer(jonah, Position.BLOCK, typed["block_why"])
    expect_message(jonah, said(language, "Your answer was recorded."))
    expect(jonah.locator(".decision-badges")).to_contain_text(said(language, "Paused by a block"))
    expect(jonah.locator(".decision-answers .message-warning")).to_have_text(
        said(
            language,
            "A block stands: the proposal is paused. It will not close before its deadline, so "
            "that the block can be talked through; the deadline still closes it.",
        )
    )
    blocks = jonah.locator(".decision-answer-list li", has_text=typed["block_why"])
    expect(blocks).to_contain_text(NAMES["volunteer"])
    expect(blocks).to_contain_text(shown(language, "cites “%(principle)s”", principle=cited))
    on_phone(jonah, language)
    shot(jonah, story, "2-blocked")

    # Maren, the proposer, reads the block and answers in its thread.
    maren = story.page(guard, opened, "core", proposal_path(proposal_id))
    expect(maren.locator(".decision-badges")).to_contain_text(said(language, "Paused by a block"))
    maren.locator(".decision-answers a[href*='/blocks/']").click()
    expect(maren.locator("h1")).to_have_text(said(language, "A block"))
    block = maren.locator("section.decision-block")
    expect(block.locator("h2")).to_have_text(
        shown(language, "%(name)s blocks this proposal", name=NAMES["volunteer"])
    )
    expect(block).to_contain_text(cited)
    expect(block).to_contain_text(typed["block_why"])
    expect(block.locator(".message-warning")).to_have_text(
        said(language, "The block stands. It is withdrawn when its author answers otherwise.")
    )
    maren.locator("textarea[name=body]").fill(typed["reply"])
    on_phone(maren, language)
    maren.locator("main form button[type=submit]").click()
    expect_message(maren, said(language, "Your message was sent to the others in the thread."))
    thread = maren.locator("ol.decision-thread li")
    expect(thread).to_have_count(1)
    expect(thread).to_contain_text(NAMES["core"])
    expect(thread).to_contain_text(typed["reply"])
    shot(maren, story, "2-thread")
    thread_url = maren.url

    # Jonah reads the answer in the same thread.
    jonah.goto(thread_url)
    expect(jonah.locator("ol.decision-thread li")).to_contain_text(typed["reply"])

    # Everyone else agrees: the block holds the proposal open until its deadline all the same.
    waiting = everyone_else_agrees(story, proposal_id)
    assert waiting["stage"] == Stage.TEST and waiting["paused"], waiting
    assert waiting["answered"] == waiting["members"], waiting
    maren.goto(f"{story.url}/{proposal_path(proposal_id)}")
    stage_badge(maren, language, Stage.TEST)
    expect(maren.locator(".decision-badges")).to_contain_text(said(language, "Paused by a block"))
    count = str(waiting["members"])
    expect(maren.locator("dl.decision-tally")).to_contain_text(
        shown(language, "%(responded)s of %(members)s", responded=count, members=count)
    )
    expect(maren.locator("dl.decision-tally strong")).to_have_text(
        said(language, Outcome.BLOCKED.label)
    )

    # The deadline passes: the task closes it, blocked.
    closed = deadline_passes(story, proposal_id)
    assert (closed["stage"], closed["outcome"]) == (Stage.CLOSED, Outcome.BLOCKED), closed
    maren.reload()
    stage_badge(maren, language, Stage.CLOSED)
    expect(maren.locator(".decision-badges")).not_to_contain_text(
        said(language, "Paused by a block")
    )
    expect(maren.locator(".decisions-outcome-label")).to_have_text(
        said(language, Outcome.BLOCKED.label)
    )
    expect_reasons(maren, language, closed["detail"])
    on_phone(maren, language)
    shot(maren, story, "2-closed-blocked")
    maren.goto(thread_url)
    expect(maren.locator("textarea[name=body]")).to_have_count(0)
    expect(maren.locator("main")).to_contain_text(
        said(language, "The proposal is no longer open: the conversation is kept as it was.")
    )


# --- 3. a quick decision in the field ----------------------------------------------------------


def test_a_quick_decision_closes_the_moment_the_last_member_answers(
    story: Story, guard: Guard, opened: list[BrowserContext]
) -> None:
    language, typed = story.language, TYPED[story.language]
    title = story.unique(typed["quick_title"])

    # Hamid, out with his team, starts it from the check-in panel of the shift under way.
    hamid = story.page(guard, opened, "field", "field/mine/")
    hamid.locator("li.shift-card").first.locator("h2 a").click()
    expect(hamid).to_have_url(re.compile(rf"/{language}/field/shifts/\d+/$"))
    panel = hamid.locator("section.checkin-panel")
    start = panel.locator("a[href*='/field/decide/new/']")
    expect(start).to_have_text(said(language, "Decide together now"))
    start.tap()
    expect(hamid.locator("h1")).to_have_text(said(language, "Decide together now"))
    form = hamid.locator("form.quick-form")
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=text]").fill(typed["quick_text"])
    form.locator("input[name=minutes]").fill("10")
    on_phone(hamid, language)
    shot(hamid, story, "3-quick-new")
    form.locator("button.quick-start").tap()
    expect(hamid).to_have_url(re.compile(rf"/{language}/field/decide/\d+/$"))
    proposal_id = int(hamid.url.rstrip("/").rsplit("/", 1)[1])
    expect_message(hamid, said(language, "The team is asked now. Answer too."))
    expect(hamid.locator("h1")).to_have_text(title)
    agree = hamid.locator("form.quick-taps button[value=agree]")
    expect(agree).to_have_text(said(language, "Agree"))
    box = agree.bounding_box()
    assert box is not None and box["height"] >= 44, f"Agree is too small to tap: {box}"
    expect(hamid.locator(".decision-silent")).to_contain_text(NAMES["field"])
    on_phone(hamid, language)
    shot(hamid, story, "3-quick-open")

    # The rest of the team answers from their phones (through the real action).
    team = everyone_else_agrees(story, proposal_id, "field")
    assert team["stage"] == Stage.TEST and team["answered"] == team["members"] - 1, team
    hamid.reload()
    others, members = str(team["answered"]), str(team["members"])
    expect(hamid.locator("dl.decision-tally")).to_contain_text(
        shown(language, "%(responded)s of %(members)s", responded=others, members=members)
    )
    expect(hamid.locator(".decision-silent li")).to_have_text([NAMES["field"]])

    # Hamid answers last, with one tap: it closes there and then, long before its deadline.
    hamid.locator("form.quick-taps button[value=agree]").tap()
    expect(hamid).to_have_url(re.compile(rf"/{language}/field/decide/{proposal_id}/$"))
    expect_message(
        hamid, said(language, "Your answer was recorded, and the proposal is now closed.")
    )
    outcome = hamid.locator("section.quick-outcome")
    expect(outcome.locator("h2")).to_have_text(said(language, "Outcome"))
    expect(outcome.locator(".quick-outcome-label")).to_have_text(
        said(language, Outcome.CONSENSUS.label)
    )
    expect(outcome).to_contain_text(
        shown(language, "Closed %(closed)s, when everyone had answered.")
    )
    expect(hamid.locator("form.quick-taps")).to_have_count(0)
    agreed = hamid.locator(".decision-answer-list li")
    expect(agreed).to_have_count(team["members"])
    expect(agreed.filter(has_text=NAMES["field"])).to_have_count(1)
    on_phone(hamid, language)
    shot(hamid, story, "3-quick-closed")
