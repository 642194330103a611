"""The demo's decisions by consensus: proposals of Northern California, of the field team in
Palestine and of London in every stage and with every outcome, the field team's own decision
rule (a supermajority in a second round when consensus fails), a mandate for its teams in the
field and the quick decisions taken under it and outside it, a core-group membership proposal,
and a member away on an excused absence.

Every proposal is told as a story through the decisions' own actions (draft, open, questions,
comments, amendments, answers, block threads, the close), each step given the moment it
happened with the actions' `now=` argument, so that versions, answers, the audit log and the
stored outcome with the rule applied are the ones a real group would have. Stages move on at
their deadlines as the minute task would move them (`stages.advance_one` at the deadline), and
proposals close at their test's deadline (`closing.close_proposal`) or as soon as everyone has
answered. The audit log keeps the real time of loading: it is a chain that is never rewritten.

Times are relative to the hour the demo is first loaded; open proposals end a few days later,
after which the minute task moves them on and closes them as it would any other.

Idempotent: a proposal is keyed on its group and the title of its first version. What exists is
left alone, so answers given while trying the demo survive `make run`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.test.utils import override_settings
from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions.actions import blocks, closing, proposals, quick, responses, stages
from alongside.decisions.actions import group as group_actions
from alongside.decisions.forms import terms as kind_terms
from alongside.decisions.models import (
    Absence,
    ActionItem,
    Amendment,
    Body,
    ClosedHow,
    Comment,
    Fallback,
    Mandate,
    MandateHolder,
    Position,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Response,
    Stage,
)
from alongside.field.models import Shift, SignUpStatus
from alongside.movement.models import Group, Principle
from alongside.volunteers.principles import principles_for

NORCAL = "northern-california"
TEAM = "palestine"
LONDON = "london"

AGREE = Position.AGREE
RESERVATIONS = Position.RESERVATIONS
STAND_ASIDE = Position.STAND_ASIDE
BLOCK = Position.BLOCK
ABSTAIN = Position.ABSTAIN

# Each stage's deadline, in days after the draft was begun: questions, concerns, amendments,
# the test (the draft form's defaults).
STAGE_DAYS = (2.0, 4.0, 6.0, 9.0)

# Sam is away for two weeks from two days before the demo is loaded: the test under way that he
# answered before an amendment does not count him against its quorum unless he confirms.
ABSENCE_STARTED_DAYS_AGO = 2
ABSENCE_DAYS = 14
MANDATE_DAYS = 182

Who = str | User


@dataclass
class World:
    """The demo's groups and people, and the hour the stories are told from."""

    groups: dict[str, Group]
    people: dict[str, User]
    now: dt.datetime

    def at(self, days: float = 0, hours: float = 0, minutes: float = 0) -> dt.datetime:
        """A moment relative to the hour the demo is loaded (negative: in the past)."""
        return self.now + dt.timedelta(days=days, hours=hours, minutes=minutes)

    def person(self, who: Who) -> User:
        return who if isinstance(who, User) else self.people[who]


Story = Callable[[World, str], bool]
STORIES: list[tuple[str, str, Story]] = []


def story(group_slug: str, title: str) -> Callable[[Story], Story]:
    """Register a proposal's story, told once: keyed on its group and first title. A story
    returns False when it could not be told (what it needs is missing)."""

    def register(told: Story) -> Story:
        STORIES.append((group_slug, title, told))
        return told

    return register


def load_decisions(
    groups: dict[str, Group], people: dict[str, User], created: Counter[str]
) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    world = World(groups=groups, people=people, now=now)
    # The stories are told in the past: the notices they would send (a hundred "closed" emails
    # for decisions of last month) go nowhere, not to the demo's mail folder.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _load_absence(world, created)
        for group_slug, title, told in STORIES:
            group = groups[group_slug]
            if ProposalVersion.objects.filter(
                proposal__group=group, number=1, title=title
            ).exists():
                continue
            if told(world, title):
                created["decision proposals"] += 1


def _load_absence(w: World, created: Counter[str]) -> None:
    group, sam = w.groups[NORCAL], w.people["sam.ortega"]
    if Absence.objects.filter(group=group, member=sam).exists():
        return
    starts_on = timezone.localdate(w.now) - dt.timedelta(days=ABSENCE_STARTED_DAYS_AGO)
    group_actions.record_absence(
        group=group,
        member=sam,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=ABSENCE_DAYS - 1),
    )
    created["decision absences"] += 1


# --- the steps of a story, each through its action -------------------------------------------


def _draft(
    w: World,
    group_slug: str,
    proposer: str,
    title: str,
    *,
    text: str,
    begun: float,
    why: str = "",
    if_agreed: str = "",
    concerns_whom: str = "",
    days: tuple[float, float, float, float] = STAGE_DAYS,
    kind: str = ProposalKind.GENERAL,
    facilitator: str | None = None,
    review_in_days: int | None = None,
    terms: dict[str, object] | None = None,
) -> Proposal:
    """A draft begun `begun` days from now, its stages ending `days` after that."""
    group = w.groups[group_slug]
    start = w.at(begun)
    values: dict[str, object] = {
        "body": Body.MEMBERS,
        "facilitator": w.person(facilitator or proposer),
        "review_on": (
            timezone.localdate(w.now) + dt.timedelta(days=review_in_days)
            if review_in_days is not None
            else None
        ),
    }
    for name, after in zip(proposals.DEADLINES, days, strict=True):
        values[name] = start + dt.timedelta(days=after)
    form = None
    if terms is not None:
        data = {f"{kind_terms.PREFIX}-{name}": value for name, value in terms.items()}
        form = kind_terms.terms_form(kind, group, data=data, user=w.person(proposer))
        if form is None or not form.is_valid():
            raise RuntimeError(f"demo terms of {title!r}: {form.errors if form else kind}")
    return proposals.draft_proposal(
        group=group,
        proposer=w.person(proposer),
        kind=kind,
        words={
            "title": title,
            "text": text,
            "why": why,
            "if_agreed": if_agreed,
            "concerns_whom": concerns_whom,
        },
        values=values,
        terms=form,
        now=start,
    )


def _propose(w: World, group_slug: str, proposer: str, title: str, **draft: Any) -> int:
    """Draft and open a proposal an hour later; returns its id."""
    proposal = _draft(w, group_slug, proposer, title, **draft)
    assert proposal.created_at is not None
    proposals.open_proposal(
        proposal_id=proposal.pk,
        actor=w.person(proposer),
        now=proposal.created_at + dt.timedelta(hours=1),
    )
    return proposal.pk


def _advance(pk: int, to: str) -> Proposal:
    """Move the proposal on at each deadline until it is in `to`, as the minute task would."""
    while True:
        proposal = Proposal.objects.get(pk=pk)
        if proposal.stage == to:
            return proposal
        deadline = proposal.stage_ends_at
        if deadline is None or not stages.advance_one(pk, deadline):
            raise RuntimeError(f"demo proposal {pk} cannot move from {proposal.stage} to {to}")


def _comment(w: World, pk: int, who: Who, at: dt.datetime, body: str) -> Comment:
    return proposals.add_comment(proposal_id=pk, author=w.person(who), body=body, now=at)


def _answered(w: World, pk: int, comment: Comment, who: Who, at: dt.datetime) -> None:
    proposals.mark_answered(proposal_id=pk, comment_id=comment.pk, actor=w.person(who), now=at)


def _suggest(
    w: World, pk: int, who: Who, at: dt.datetime, reason: str, **changes: str
) -> Amendment:
    current = proposals.current_version(Proposal.objects.get(pk=pk))
    words = {name: getattr(current, name) for name in proposals.WORDS}
    words.update(changes)
    return proposals.suggest_amendment(
        proposal_id=pk, author=w.person(who), words=words, reason=reason, now=at
    )


def _decide(
    w: World, pk: int, amendment: Amendment, who: Who, at: dt.datetime, reason: str
) -> None:
    proposals.decide_amendment(
        proposal_id=pk,
        amendment_id=amendment.pk,
        actor=w.person(who),
        accept=True,
        reason=reason,
        now=at,
    )


def _answer(
    w: World,
    pk: int,
    who: Who,
    position: str,
    at: dt.datetime,
    reason: str = "",
    principle: Principle | None = None,
) -> Response:
    return responses.record_response(
        proposal=Proposal.objects.get(pk=pk),
        member=w.person(who),
        position=position,
        reason=reason,
        principle=principle,
        now=at,
    )


def _confirm(w: World, pk: int, who: Who, at: dt.datetime) -> None:
    responses.confirm_response(proposal=Proposal.objects.get(pk=pk), member=w.person(who), now=at)


def _thread(w: World, block: Response, *messages: tuple[Who, dt.datetime, str]) -> None:
    for who, at, body in messages:
        blocks.post_block_message(block=block, author=w.person(who), body=body, now=at)


def _close_at_deadline(pk: int) -> Proposal:
    """The minute task's close, at the deadline of the test (or the second round)."""
    proposal = Proposal.objects.get(pk=pk)
    deadline = proposal.stage_ends_at
    assert deadline is not None
    closing.close_proposal(proposal_id=pk, now=deadline, how=ClosedHow.DEADLINE)
    return Proposal.objects.get(pk=pk)


def _action_item(
    w: World,
    proposal: Proposal,
    text: str,
    owner: Who,
    *,
    due_in_days: int,
    done_days_ago: float | None = None,
) -> None:
    """An action item added by the facilitator an hour after the close; marked done by its
    owner when `done_days_ago` is given (the actions stamp "now": the times are moved back)."""
    assert proposal.closed_at is not None and proposal.facilitator is not None
    item = group_actions.add_action_item(
        proposal=proposal,
        text=text,
        owner=w.person(owner),
        due_on=timezone.localdate(w.now) + dt.timedelta(days=due_in_days),
        actor=proposal.facilitator,
    )
    dates: dict[str, dt.datetime] = {"created_at": proposal.closed_at + dt.timedelta(hours=1)}
    if done_days_ago is not None:
        item = group_actions.mark_action_item_done(item=item, actor=w.person(owner))
        dates["done_at"] = w.at(-done_days_ago)
    ActionItem.objects.filter(pk=item.pk).update(**dates)


def _principle(group: Group, title_en: str) -> Principle:
    """One of the principles a member of `group` agrees to now, by its English title."""
    version = principles_for(group)
    assert version is not None, "the demo's principles are loaded before its decisions"
    return next(p for p in version.principles.all() if p.title_en == title_en)


# === Northern California ======================================================================
#
# Seven members: Maren (core@), Lea (core), Jonah (volunteer@), Hamid (field@), Sam (away now),
# Dev and Joy. The group keeps the default rule: quorum 50%, weak from 3 stand-asides, no
# fallback.


@story(NORCAL, "Hold the spring information evening at the Berkeley Friends Meeting House")
def _information_evening(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "core",
        title,
        begun=-30,
        text=(
            "We hold the spring information evening at the **Berkeley Friends Meeting House**, "
            "on a Thursday from 7 to 9 pm, four weeks after this proposal closes.\n\n"
            "- Two returned volunteers speak about their time in the field (20 minutes each).\n"
            "- Questions, then tea and a table with the application form and training dates."
        ),
        why=(
            "Most of last year's volunteers first heard of us at an information evening. The "
            "Meeting House lends us the hall for free and is ten minutes from the BART station."
        ),
        if_agreed="Maren books the hall; we print flyers and ask two returned volunteers.",
        concerns_whom="Everyone who helps on the evening.",
        review_in_days=60,
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "sam.ortega",
        w.at(-27),
        "The side door has no ramp. Can we make sure the front entrance is open and say so on "
        "the flyer?",
    )
    _advance(pk, Stage.AMENDMENTS)
    amendment = _suggest(
        w,
        pk,
        "lea.fischer",
        w.at(-25, hours=-6),
        "Half the people who wrote to us this year wrote in Spanish.",
        text=(
            "We hold the spring information evening at the **Berkeley Friends Meeting House**, "
            "on a Thursday from 7 to 9 pm, four weeks after this proposal closes, with "
            "interpretation into Spanish.\n\n"
            "- Two returned volunteers speak about their time in the field (20 minutes each).\n"
            "- Questions, then tea and a table with the application form and training dates."
        ),
    )
    _decide(w, pk, amendment, "core", w.at(-25), "Yes: Joy offered to interpret.")
    _advance(pk, Stage.TEST)
    _answer(w, pk, "core", AGREE, w.at(-23, hours=-5))
    _answer(w, pk, "lea.fischer", AGREE, w.at(-23, hours=-3))
    _answer(w, pk, "volunteer", AGREE, w.at(-23, hours=-1))
    _answer(w, pk, "field", AGREE, w.at(-23))
    _answer(
        w,
        pk,
        "sam.ortega",
        RESERVATIONS,
        w.at(-22, hours=-8),
        "Only if the front entrance is open: the side door has no ramp.",
    )
    _answer(w, pk, "dev.kapoor", AGREE, w.at(-22, hours=-4))
    # The last answer closes it: everyone has answered.
    _answer(w, pk, "joy.okonkwo", AGREE, w.at(-22))
    proposal = Proposal.objects.select_related("facilitator").get(pk=pk)
    _action_item(
        w,
        proposal,
        "Book the hall and ask for the front entrance",
        "lea.fischer",
        due_in_days=-15,
        done_days_ago=17,
    )
    _action_item(w, proposal, "Print 200 flyers in English and Spanish", "volunteer", due_in_days=5)
    _action_item(w, proposal, "Ask two returned volunteers to speak", "core", due_in_days=10)
    return True


@story(NORCAL, "Pay the travel of two delegates to the movement's annual gathering")
def _delegates(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "lea.fischer",
        title,
        begun=-45,
        text=(
            "The group pays the train or bus fares of two members to the movement's annual "
            "gathering, up to $400 in all, from the group fund. The members choose the two "
            "delegates at the next monthly meeting."
        ),
        why="The gathering agrees the next year's trainings; last year nobody from the west went.",
        if_agreed="Lea tells the gathering's hosts that we send two delegates.",
        concerns_whom="The group fund.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "volunteer",
        w.at(-42),
        "$400 is most of what the bake sale raised. I would rather it paid part of a "
        "volunteer's flight.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "lea.fischer", AGREE, w.at(-39, hours=6))
    _answer(w, pk, "core", AGREE, w.at(-39, hours=9))
    _answer(w, pk, "dev.kapoor", AGREE, w.at(-38))
    _answer(w, pk, "joy.okonkwo", AGREE, w.at(-38, hours=6))
    _answer(
        w,
        pk,
        "volunteer",
        STAND_ASIDE,
        w.at(-38, hours=10),
        "I would rather the money went to a volunteer's flight. I will not stop it.",
    )
    _answer(
        w,
        pk,
        "field",
        STAND_ASIDE,
        w.at(-37),
        "I will be in the field and cannot go; those who stay should decide.",
    )
    _answer(
        w,
        pk,
        "sam.ortega",
        STAND_ASIDE,
        w.at(-37, hours=5),
        "One delegate would do. I will not stand in the way.",
    )
    return True


@story(NORCAL, "Post photos of volunteers with their host families on the group's Instagram")
def _photos(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "joy.okonkwo",
        title,
        begun=-20,
        text=(
            "Returned volunteers may send us photos of themselves with the families who hosted "
            "them, and we post one a week on the group's Instagram with a few lines about the "
            "village."
        ),
        why="People give and volunteer when they see faces, not numbers.",
        concerns_whom="Returned volunteers and the families who hosted them.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "field",
        w.at(-17),
        "Some families have had soldiers at the door after photos of them went round. Who asks "
        "them?",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "joy.okonkwo", AGREE, w.at(-13, hours=-8))
    _answer(w, pk, "dev.kapoor", AGREE, w.at(-13, hours=-6))
    _answer(w, pk, "volunteer", AGREE, w.at(-13, hours=-2))
    block = _answer(
        w,
        pk,
        "field",
        BLOCK,
        w.at(-13),
        "The families decide whether their faces are shown, and where. Most of the families I "
        "stayed with would say no, for their safety, and nobody has asked them.",
        _principle(w.groups[NORCAL], "Palestinian-led"),
    )
    _thread(
        w,
        block,
        (
            "joy.okonkwo",
            w.at(-12, hours=-6),
            "Would it help if we only post photos where the family said yes in writing?",
        ),
        (
            "field",
            w.at(-12, hours=-2),
            "That would be another proposal: one where the families "
            "are asked first, through the field team. I would support that one.",
        ),
    )
    _answer(w, pk, "core", AGREE, w.at(-12))
    _answer(
        w,
        pk,
        "lea.fischer",
        STAND_ASIDE,
        w.at(-11, hours=-5),
        "I agree with Hamid, but I will not add a second block.",
    )
    _close_at_deadline(pk)
    return True


@story(NORCAL, "Move the monthly meeting to Sunday afternoons")
def _sunday_meetings(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "sam.ortega",
        title,
        begun=-60,
        text="From next month the monthly meeting is on the first Sunday, from 3 to 5 pm.",
        why="Those of us who work evenings have missed most meetings this year.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "sam.ortega", AGREE, w.at(-53))
    _answer(w, pk, "dev.kapoor", AGREE, w.at(-52))
    _close_at_deadline(pk)
    return True


@story(NORCAL, "Start a podcast about the group's work")
def _podcast(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "dev.kapoor",
        title,
        begun=-40,
        text="A monthly podcast of 20 minutes: a returned volunteer talks about the field.",
        why="Talks reach a room; a podcast reaches people who would never come to one.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(w, pk, "lea.fischer", w.at(-37), "Who would edit it? We are stretched already.")
    _advance(pk, Stage.TEST)
    _answer(
        w,
        pk,
        "dev.kapoor",
        ABSTAIN,
        w.at(-33),
        "I found out this month that I cannot edit it either.",
    )
    _answer(w, pk, "lea.fischer", STAND_ASIDE, w.at(-33, hours=4), "No time to help with it.")
    _answer(w, pk, "core", STAND_ASIDE, w.at(-32), "Nobody has the time to do it well.")
    _answer(w, pk, "joy.okonkwo", ABSTAIN, w.at(-32, hours=6))
    _close_at_deadline(pk)
    return True


@story(NORCAL, "Buy a new banner for the group")
def _banner(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "dev.kapoor",
        title,
        begun=-8,
        text="A cloth banner of 2 by 1 metres with the group's name, for stalls and marches.",
    )
    question = _comment(
        w,
        pk,
        "lea.fischer",
        w.at(-7, hours=-18),
        "Do we not still have the old one in the storage unit? I can look this weekend.",
    )
    _answered(w, pk, question, "dev.kapoor", w.at(-6, hours=-20))
    proposals.withdraw_proposal(
        proposal_id=pk, actor=w.person("dev.kapoor"), now=w.at(-6, hours=-20)
    )
    return True


@story(NORCAL, "Run a second training weekend in Sacramento")
def _sacramento_draft(w: World, title: str) -> bool:
    _draft(
        w,
        NORCAL,
        "core",
        title,
        begun=-1,
        days=(3, 5, 7, 10),
        text=(
            "Besides the training weekend in Oakland, we run a second one in Sacramento in the "
            "autumn, with the same trainers."
        ),
        why="Four applicants this year live closer to Sacramento than to Oakland.",
    )
    return True


@story(NORCAL, "Pair every new volunteer with a returned volunteer as a buddy")
def _buddies(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "lea.fischer",
        title,
        begun=-1,
        text=(
            "Every volunteer who goes to the field for the first time has a buddy: a returned "
            "volunteer who meets them before they leave, checks in once a week while they are "
            "away, and meets them again when they come home."
        ),
        why="Coming home is hard; last year two volunteers told us they felt alone afterwards.",
        concerns_whom="Returned volunteers, and everyone going this harvest.",
    )
    question = _comment(
        w,
        pk,
        "volunteer",
        w.at(-1, hours=5),
        "Does the buddy need to be reachable by phone day and night while I am in the field?",
    )
    reply = _comment(
        w,
        pk,
        "lea.fischer",
        w.at(-1, hours=8),
        "No: in an emergency you call the coordinators in Palestine. The buddy checks in once a "
        "week and is there when you come home.",
    )
    _answered(w, pk, question, "lea.fischer", w.at(-1, hours=8))
    _answered(w, pk, reply, "lea.fischer", w.at(-1, hours=8))
    _comment(
        w,
        pk,
        "joy.okonkwo",
        w.at(0, hours=-3),
        "Are there enough returned volunteers for everyone going this harvest?",
    )
    return True


@story(NORCAL, "Ask trainees for a contribution of $150 toward the training weekend")
def _training_fee(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "core",
        title,
        begun=-3,
        days=(1, 4, 6, 9),
        text="Each trainee contributes $150 toward the venue, the food and the materials.",
        why="The last two training weekends cost the group fund $2,300.",
        concerns_whom="Everyone coming to a training weekend.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "volunteer",
        w.at(-1, hours=-12),
        "Some of us could not have come if it had cost $150. Could it be pay what you can, "
        "with $150 as a suggestion?",
    )
    _comment(
        w,
        pk,
        "field",
        w.at(-1, hours=-5),
        "The venue and the food come to about $95 a person. Whatever we decide, nobody should "
        "be turned away for money.",
    )
    _comment(
        w,
        pk,
        "lea.fischer",
        w.at(0, hours=-12),
        "I agree with Hamid, and will suggest an amendment once we reach that stage.",
    )
    return True


@story(NORCAL, "Send supporters a newsletter every month")
def _newsletter(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "core",
        title,
        begun=-6,
        days=(2, 4.5, 7, 10),
        text=(
            "Every month we email our supporters a short newsletter: news from the field team, "
            "our events, and one story of a returned volunteer."
        ),
        why="Our supporters only hear from us when we ask for money.",
        concerns_whom="Whoever writes it.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "sam.ortega",
        w.at(-3),
        "Who writes it each month? Every two months might last longer.",
    )
    # The facilitator ends the concerns early: the comments had stopped.
    proposals.move_on(proposal_id=pk, actor=w.person("core"), stage=Stage.CONCERNS, now=w.at(-2))
    amendment = _suggest(
        w,
        pk,
        "lea.fischer",
        w.at(-2, hours=6),
        "Many of our supporters read Spanish more easily than English.",
        text=(
            "Every month we email our supporters a short newsletter in English and Spanish: "
            "news from the field team, our events, and one story of a returned volunteer."
        ),
    )
    _decide(w, pk, amendment, "core", w.at(-1), "Good: Joy offered to translate it.")
    _suggest(
        w,
        pk,
        "volunteer",
        w.at(0, hours=-6),
        "Every month is a lot of writing for a few people; every two months we can keep up.",
        title="Send supporters a newsletter every two months",
        text=(
            "Every two months we email our supporters a short newsletter in English and "
            "Spanish: news from the field team, our events, and one story of a returned "
            "volunteer."
        ),
    )
    return True


@story(NORCAL, "Give $2,000 from the group fund toward volunteers' flights this harvest")
def _flights(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "core",
        title,
        begun=-9,
        days=(2, 4, 6, 11),
        text=(
            "The group gives up to $2,000 from its fund toward the flights of volunteers going "
            "to the olive harvest this season, at most $500 each."
        ),
        why="Three volunteers ready to go have told us they cannot pay the flight.",
        if_agreed="The core group tells volunteers they can ask, and answers within a week.",
        concerns_whom="Volunteers going this harvest, and the group fund.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "joy.okonkwo",
        w.at(-4, hours=-12),
        "Who decides which volunteers get help? First-time volunteers who could not go "
        "otherwise should come first.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "core", AGREE, w.at(-3, hours=2))
    _answer(w, pk, "lea.fischer", AGREE, w.at(-3, hours=4))
    # Sam answered before he went away; the amendment below asks him to confirm again.
    _answer(w, pk, "sam.ortega", AGREE, w.at(-3, hours=6))
    _answer(w, pk, "field", AGREE, w.at(-3, hours=9))
    amendment = _suggest(
        w,
        pk,
        "joy.okonkwo",
        w.at(-2),
        "So that the help goes to those who need it most, and nobody's money troubles are "
        "talked about in the group.",
        text=(
            "The group gives up to $2,000 from its fund toward the flights of volunteers going "
            "to the olive harvest this season, at most $500 each. First-time volunteers who "
            "could not otherwise pay the flight come first; the core group decides, in "
            "confidence."
        ),
    )
    _decide(w, pk, amendment, "core", w.at(-1), "Agreed: that is what I meant, said better.")
    _confirm(w, pk, "core", w.at(-1, hours=1))
    _confirm(w, pk, "lea.fischer", w.at(-1, hours=3))
    _answer(
        w,
        pk,
        "field",
        RESERVATIONS,
        w.at(-1, hours=5),
        "Let us make sure that in confidence really means nobody else hears who asked.",
    )
    _answer(w, pk, "joy.okonkwo", AGREE, w.at(-1, hours=8))
    _answer(w, pk, "dev.kapoor", AGREE, w.at(0, hours=-10))
    return True


@story(NORCAL, "Take part in the city's interfaith panel on the Middle East")
def _panel(w: World, title: str) -> bool:
    pk = _propose(
        w,
        NORCAL,
        "core",
        title,
        begun=-8,
        days=(2, 4, 6, 11),
        text=(
            "Maren speaks for the group on the city's interfaith panel on the Middle East next "
            "month, about what our volunteers see in the West Bank."
        ),
        why="The panel is filmed by the local TV station and reaches people we never reach.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "lea.fischer",
        w.at(-5),
        "Who else is on the panel? I have heard there is no Palestinian speaker.",
    )
    _comment(w, pk, "core", w.at(-5, hours=4), "I am asking the organisers.")
    _advance(pk, Stage.TEST)
    _answer(w, pk, "core", AGREE, w.at(-2, hours=2))
    _answer(w, pk, "volunteer", AGREE, w.at(-2, hours=4))
    _answer(w, pk, "field", AGREE, w.at(-2, hours=6))
    _answer(w, pk, "joy.okonkwo", AGREE, w.at(-2, hours=8))
    _answer(
        w,
        pk,
        "dev.kapoor",
        STAND_ASIDE,
        w.at(-2, hours=10),
        "I do not think panels change much. I will not stop it.",
    )
    block = _answer(
        w,
        pk,
        "lea.fischer",
        BLOCK,
        w.at(-1),
        "The organisers confirmed that there is no Palestinian on the panel. We would be "
        "speaking about the communities instead of beside them.",
        _principle(w.groups[NORCAL], "Palestinian-led"),
    )
    _thread(
        w,
        block,
        (
            "core",
            w.at(-1, hours=3),
            "Would you lift the block if we take part only once the "
            "organisers invite a Palestinian speaker, and say so in the proposal?",
        ),
        (
            "lea.fischer",
            w.at(-1, hours=5),
            "Yes. Write that in and I will stand aside instead of blocking.",
        ),
    )
    return True


# === London ===================================================================================


@story(LONDON, "Run a stall at the next national march in London")
def _london_stall(w: World, title: str) -> bool:
    pk = _propose(
        w,
        LONDON,
        "outsider",
        title,
        begun=-7,
        days=(1, 2, 3, 9),
        text="We run a stall with leaflets and the sign-up sheet at the start of the march.",
        why="Last time three people asked us how to volunteer, and we had nothing to give them.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "tom.achterberg",
        w.at(-5, hours=-12),
        "I can bring the folding table and the banner.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "tom.achterberg", AGREE, w.at(-3))
    return True


# === The field team in Palestine ==============================================================
#
# Four members: Salma (coordinator@) and Omar (core), Nadia (documenter@), Rana. They write in
# Arabic and English. First they adopt a rule of their own: a supermajority in a second round
# when consensus fails.


@story(TEAM, "Fall back to a supermajority when we cannot reach consensus")
def _team_rule(w: World, title: str) -> bool:
    pk = _propose(
        w,
        TEAM,
        "omar.shalabi",
        title,
        facilitator="coordinator",
        begun=-52,
        kind=ProposalKind.DECISION_RULE,
        terms={
            "quorum_percent": 50,
            "weak_at_stand_asides": 3,
            "fallback": Fallback.SUPERMAJORITY,
            "supermajority_percent": 75,
        },
        text=(
            "When a block stops a proposal that others support, we do not drop it at once: we "
            "discuss it further for three days, then answer again in a second round, where it "
            "passes with three quarters of those who take a position.\n\n"
            "عندما يوقف اعتراضٌ مقترحاً يؤيده آخرون، لا نسقطه فوراً: نناقشه ثلاثة أيام أخرى، ثم "
            "نجيب مرة ثانية، ويُقرّ إذا أيّده ثلاثة أرباع من اتخذوا موقفاً."
        ),
        why=(
            "Twice this season one block stopped a decision the communities were waiting for, "
            "with no way to talk it through."
        ),
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "rana.khatib",
        w.at(-49),
        "موافقة، بشرط أن يسبق الجولة الثانية نقاشٌ حقيقي، لا تصويت سريع.",
    )
    _comment(
        w,
        pk,
        "documenter",
        w.at(-48, hours=-12),
        "A block still pauses everything and is talked through first: that stays as it is.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "omar.shalabi", AGREE, w.at(-46, hours=3))
    _answer(w, pk, "coordinator", AGREE, w.at(-46, hours=5))
    _answer(w, pk, "documenter", AGREE, w.at(-45, hours=-10))
    _answer(
        w,
        pk,
        "rana.khatib",
        RESERVATIONS,
        w.at(-45),
        "النقاش قبل الجولة الثانية يجب أن يكون حقيقياً.",
    )
    return True


MANDATE_TITLE = "Staying or leaving when an action is attacked"


@story(TEAM, "Let the team on a shift decide whether to stay or leave when an action is attacked")
def _team_mandate(w: World, title: str) -> bool:
    until = timezone.localdate(w.now) + dt.timedelta(days=MANDATE_DAYS)
    pk = _propose(
        w,
        TEAM,
        "coordinator",
        title,
        begun=-33,
        kind=ProposalKind.MANDATE,
        terms={
            "holder": MandateHolder.SHIFT_TEAMS,
            "title": MANDATE_TITLE,
            "scope": (
                "A team on a shift may decide alone whether to stay or leave when the action "
                "is attacked (by settlers or by soldiers)."
            ),
            "limits": (
                "- Follow the partner community's lead.\n"
                "- Never escalate.\n"
                "- Tell the coordinators at once."
            ),
            "until": until.isoformat(),
            "report_back": "To the coordinators within 24 hours",
        },
        text=(
            "The team on a shift decides together, on the spot, whether to stay or leave when "
            "the action is attacked, within the limits below, and reports back to the "
            "coordinators within 24 hours.\n\n"
            "يقرّر الفريق في النوبة معاً، في المكان، البقاء أو المغادرة عند الاعتداء على "
            "النشاط، ضمن الحدود أدناه، ويبلّغ المنسقين خلال 24 ساعة."
        ),
        why=(
            "When settlers came down on the pickers in Ni'lin, the team waited forty minutes "
            "for the coordinators to answer the phone."
        ),
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "omar.shalabi",
        w.at(-30),
        "The team leaves together or stays together: nobody walks back alone.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "coordinator", AGREE, w.at(-27, hours=2))
    _answer(w, pk, "omar.shalabi", AGREE, w.at(-27, hours=5))
    _answer(w, pk, "rana.khatib", AGREE, w.at(-27, hours=9))
    _answer(w, pk, "documenter", AGREE, w.at(-26))
    return True


@story(TEAM, "Publish a monthly summary of incidents on the movement's site")
def _incident_summaries(w: World, title: str) -> bool:
    pk = _propose(
        w,
        TEAM,
        "coordinator",
        title,
        begun=-34,
        text=(
            "Each month we publish on the movement's site a summary of the incidents our teams "
            "witnessed: what happened, in which village, on which day. No names of people and "
            "no photos of faces."
        ),
        why="Journalists and lawyers ask us every week what we have seen.",
        concerns_whom="The partner communities, and the documenters who write it.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "coordinator", AGREE, w.at(-28, hours=2))
    _answer(w, pk, "omar.shalabi", AGREE, w.at(-28, hours=4))
    _answer(w, pk, "documenter", AGREE, w.at(-28, hours=8))
    block = _answer(
        w,
        pk,
        "rana.khatib",
        BLOCK,
        w.at(-27),
        "The popular committees have not been asked whether they want these summaries public. "
        "We ask them first.",
        _principle(w.groups[TEAM], "Palestinian-led"),
    )
    _thread(
        w,
        block,
        (
            "coordinator",
            w.at(-27, hours=4),
            "Would you lift the block if we ask the Bil'in and "
            "Ni'lin committees before the first summary goes out?",
        ),
        (
            "rana.khatib",
            w.at(-27, hours=7),
            "The proposal does not say so. I keep the block until the committees have been asked.",
        ),
    )
    # The test closes on the block; the group's rule opens a discussion and a second round.
    _close_at_deadline(pk)
    _comment(
        w,
        pk,
        "coordinator",
        w.at(-23, hours=-8),
        "We asked both committees this week: they welcome the summaries, as long as no names "
        "or photos of people appear.",
    )
    _comment(
        w,
        pk,
        "rana.khatib",
        w.at(-23),
        "شكراً لأنكم سألتم اللجان. سأتنحّى في الجولة الثانية.",
    )
    _advance(pk, Stage.SECOND_ROUND)
    _answer(w, pk, "coordinator", AGREE, w.at(-21, hours=-8))
    _answer(w, pk, "omar.shalabi", AGREE, w.at(-21, hours=-5))
    _answer(w, pk, "documenter", AGREE, w.at(-21, hours=-2))
    _answer(
        w,
        pk,
        "rana.khatib",
        STAND_ASIDE,
        w.at(-21),
        "The committees were asked. I still think it is early; I will not stop it.",
    )
    return True


@story(TEAM, "أن يوزّع المنسقون المتطوعين على النوبات دون سؤالهم مسبقاً")
def _assign_without_asking(w: World, title: str) -> bool:
    consensus = _principle(w.groups[TEAM], "Consensus")
    pk = _propose(
        w,
        TEAM,
        "omar.shalabi",
        title,
        begun=-24,
        text=(
            "يوزّع المنسقون المتطوعين الموجودين في الميدان على نوبات الأسبوع القادم كل يوم سبت، "
            "دون انتظار تسجيلهم، ويستطيع المتطوع أن يعتذر خلال يوم."
        ),
        why="كثير من النوبات بقيت ناقصة هذا الموسم لأن المتطوعين لم يسجّلوا في الوقت.",
        concerns_whom="المتطوعون في الميدان.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "omar.shalabi", AGREE, w.at(-18, hours=3))
    _answer(
        w,
        pk,
        "coordinator",
        RESERVATIONS,
        w.at(-18, hours=6),
        "سيوفّر ذلك وقتاً، لكن يجب أن يبقى الاعتذار سهلاً.",
    )
    _answer(w, pk, "documenter", AGREE, w.at(-18, hours=9))
    _answer(
        w,
        pk,
        "rana.khatib",
        BLOCK,
        w.at(-17),
        "لا يُجبَر أحد على عمل لا يوافق عليه: التوزيع دون سؤال يعني أن متطوعين سيجدون أنفسهم "
        "في نشاط لم يختاروه.",
        consensus,
    )
    _close_at_deadline(pk)
    _comment(
        w,
        pk,
        "documenter",
        w.at(-13),
        "After thinking it over I agree with Rana: a volunteer who is put on a shift will not "
        "say no, even if they should.",
    )
    _advance(pk, Stage.SECOND_ROUND)
    _answer(w, pk, "omar.shalabi", AGREE, w.at(-11, hours=-6))
    _answer(w, pk, "coordinator", STAND_ASIDE, w.at(-11, hours=-3), "لم يقنعني النقاش تماماً.")
    _answer(
        w,
        pk,
        "documenter",
        STAND_ASIDE,
        w.at(-11, hours=-1),
        "I would rather we remind people to sign up in time.",
    )
    _answer(
        w,
        pk,
        "rana.khatib",
        BLOCK,
        w.at(-11),
        "ما زلت أرى أن التوزيع دون سؤال يخالف مبدأ التوافق.",
        consensus,
    )
    return True


@story(TEAM, "Hold the volunteers' briefing in English only")
def _english_briefing(w: World, title: str) -> bool:
    pk = _propose(
        w,
        TEAM,
        "documenter",
        title,
        begun=-10,
        text=(
            "The weekly briefing for new volunteers is held in English only; the written "
            "briefing stays in Arabic and English."
        ),
        why="Interpreting every sentence takes half of the hour, and most newcomers speak English.",
        concerns_whom="New volunteers and the hosts who come to the briefing.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "documenter", AGREE, w.at(-4, hours=3))
    _answer(
        w,
        pk,
        "coordinator",
        RESERVATIONS,
        w.at(-4, hours=6),
        "Interpreting does take long, but the hosts who come must understand what is said.",
    )
    _answer(w, pk, "rana.khatib", AGREE, w.at(-3))
    block = _answer(
        w,
        pk,
        "omar.shalabi",
        BLOCK,
        w.at(-3, hours=5),
        "Palestinian volunteers and the hosts who come to the briefing would be left out of "
        "our own meeting. We interpret, however long it takes.",
        _principle(w.groups[TEAM], "Anti-oppression"),
    )
    _thread(
        w,
        block,
        ("documenter", w.at(-2), "What if we hand out the briefing in Arabic, in writing?"),
        (
            "omar.shalabi",
            w.at(-2, hours=3),
            "Reading it is not the same as being in the room. Let us talk it through.",
        ),
    )
    # The test closed on the block a day ago: the further discussion runs for three days.
    _close_at_deadline(pk)
    _comment(
        w,
        pk,
        "coordinator",
        w.at(0, hours=-6),
        "Could we try a shorter briefing with whispered interpretation for a month, and see?",
    )
    return True


@story(TEAM, "إزالة السواتر الترابية عن طريق المزارعين، مع أصحاب الأرض")
def _earth_mounds(w: World, title: str) -> bool:
    pk = _propose(
        w,
        TEAM,
        "rana.khatib",
        title,
        begun=-14,
        text=(
            "حين يطلب المزارعون ذلك، يشارك المتطوعون معهم في إزالة السواتر الترابية التي يضعها "
            "الجيش على الطرق المؤدية إلى أراضيهم، بأيديهم ومعهم، دون أي مواجهة."
        ),
        why="الطريق إلى كروم الزيتون في الجهة الغربية مغلق منذ أسبوعين.",
        concerns_whom="الفرق في الميدان، والعائلات المزارعة.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "rana.khatib", AGREE, w.at(-8, hours=3))
    _answer(w, pk, "omar.shalabi", AGREE, w.at(-8, hours=6))
    _answer(w, pk, "coordinator", AGREE, w.at(-7))
    block = _answer(
        w,
        pk,
        "documenter",
        BLOCK,
        w.at(-7, hours=4),
        "Soldiers treat moving their earth mounds as an attack, answer with force, and the "
        "farmers pay for it afterwards.",
        _principle(w.groups[TEAM], "Nonviolence"),
    )
    _thread(
        w,
        block,
        ("rana.khatib", w.at(-6), "المزارعون يطلبون ذلك، ونحن نقف إلى جانبهم لا نقاتل أحداً."),
        (
            "documenter",
            w.at(-6, hours=2),
            "I know. I still cannot agree that we take part; I will document it.",
        ),
    )
    _close_at_deadline(pk)
    _comment(
        w,
        pk,
        "omar.shalabi",
        w.at(-3),
        "We asked the farmers of the western groves: they want us beside them, cameras ready.",
    )
    # The second round is under way; Nadia has not answered it yet.
    _advance(pk, Stage.SECOND_ROUND)
    _answer(w, pk, "rana.khatib", AGREE, w.at(-2, hours=4))
    _answer(w, pk, "omar.shalabi", AGREE, w.at(-2, hours=8))
    _answer(w, pk, "coordinator", AGREE, w.at(-1, hours=-6))
    return True


@story(TEAM, "Rana Khatib joins the core group / انضمام رنا الخطيب إلى المجموعة الأساسية")
def _rana_joins_core(w: World, title: str) -> bool:
    pk = _propose(
        w,
        TEAM,
        "rana.khatib",
        title,
        begun=-7,
        kind=ProposalKind.CORE_MEMBERSHIP,
        terms={"candidate": w.people["rana.khatib"].pk},
        text=(
            "I take on coordinating responsibilities with the field team: the harvest rota in "
            "Ni'lin and the weekly call with the popular committees.\n\n"
            "أتحمّل مسؤوليات التنسيق مع الفريق الميداني: جدول القطاف في نعلين والاتصال الأسبوعي "
            "مع اللجان الشعبية."
        ),
        why="Salma and Omar coordinate four communities between them this season.",
    )
    _advance(pk, Stage.CONCERNS)
    _comment(
        w,
        pk,
        "omar.shalabi",
        w.at(-3, hours=-12),
        "Rana has kept the Ni'lin harvest rota all season. I am glad she offers.",
    )
    _advance(pk, Stage.TEST)
    _answer(w, pk, "omar.shalabi", AGREE, w.at(0, hours=-20))
    _answer(w, pk, "documenter", AGREE, w.at(0, hours=-16))
    _answer(
        w,
        pk,
        "rana.khatib",
        ABSTAIN,
        w.at(0, hours=-12),
        "لا أجيب عن اقتراح يخصّني.",
    )
    return True


# --- quick decisions of teams on past shifts -------------------------------------------------


def _past_shifts(w: World, since: dt.datetime) -> list[Shift]:
    """Shifts of the field team that ended since `since` with a team of two or more, the
    field persona's first, the latest first."""
    shifts = list(
        Shift.objects.filter(
            invitation__community__group=w.groups[TEAM],
            is_cancelled=False,
            starts_at__gt=since,
            ends_at__lt=timezone.now(),
        )
        .annotate(
            team=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED), distinct=True)
        )
        .filter(team__gte=2)
        .select_related("invitation__community__group")
        .order_by("-starts_at")
    )
    field = w.people["field"]
    with_field = set(
        Shift.objects.filter(
            pk__in=[shift.pk for shift in shifts],
            signups__user=field,
            signups__status=SignUpStatus.CONFIRMED,
        ).values_list("pk", flat=True)
    )
    return sorted(shifts, key=lambda shift: shift.pk not in with_field)


def _team_on(shift: Shift, first: User) -> list[User]:
    members = list(
        User.objects.filter(
            shift_signups__shift=shift, shift_signups__status=SignUpStatus.CONFIRMED
        ).order_by("pk")
    )
    return sorted(members, key=lambda user: user.pk != first.pk)


def _quick(
    w: World,
    shift: Shift,
    title: str,
    text: str,
    *,
    after_start: dt.timedelta,
    minutes: int,
    mandate: Mandate | None,
) -> Proposal:
    """A quick decision of the team on `shift`, started by the field persona (or the first of
    the team) and agreed by everyone within a few minutes: the last answer closes it."""
    team = _team_on(shift, w.people["field"])
    started = shift.starts_at + after_start
    proposal = quick.start_quick_decision(
        shift=shift,
        proposer=team[0],
        title=title,
        text=text,
        minutes=minutes,
        mandate=mandate,
        now=started,
    )
    for offset, member in enumerate(team, start=1):
        _answer(w, proposal.pk, member, AGREE, started + dt.timedelta(minutes=offset * 2))
    return Proposal.objects.select_related("facilitator").get(pk=proposal.pk)


def _given_mandate(w: World) -> Mandate | None:
    return (
        Mandate.objects.filter(
            group=w.groups[TEAM], holder=MandateHolder.SHIFT_TEAMS, title=MANDATE_TITLE
        )
        .order_by("-granted_at")
        .first()
    )


@story(TEAM, "We stay with the Srour family at the western grove")
def _quick_under_mandate(w: World, title: str) -> bool:
    mandate = _given_mandate(w)
    if mandate is None or not mandate.is_in_force():
        return False
    shifts = _past_shifts(w, mandate.granted_at)
    if len(shifts) < 2:
        return False
    # The older of the two shifts the quick decisions are told on.
    shift = sorted(shifts[:2], key=lambda s: s.starts_at)[0]
    proposal = _quick(
        w,
        shift,
        title,
        "Settlers are coming down from the fence toward the pickers; the army is not here "
        "yet. The family stays and asks us to stay with them. We stay behind the family, "
        "cameras ready, and leave with them if they leave.",
        after_start=dt.timedelta(hours=2, minutes=30),
        minutes=15,
        mandate=mandate,
    )
    # The mandate asks the team to report back within 24 hours.
    assert proposal.facilitator is not None
    _action_item(
        w,
        proposal,
        "Report back to the coordinators",
        proposal.facilitator,
        due_in_days=(timezone.localdate(shift.ends_at) - timezone.localdate(w.now)).days + 1,
        done_days_ago=(w.now - shift.ends_at).total_seconds() / 86400,
    )
    return True


@story(TEAM, "Go with the family to their northern grove")
def _quick_outside_mandate(w: World, title: str) -> bool:
    mandate = _given_mandate(w)
    shifts = _past_shifts(w, mandate.granted_at if mandate else w.at(-20))
    if len(shifts) < 2:
        return False
    shift = sorted(shifts[:2], key=lambda s: s.starts_at)[1]
    _quick(
        w,
        shift,
        title,
        "The Srour family asks us to come with them to their northern grove, which the "
        "invitation does not cover: settlers burned trees there last week. We go with the "
        "family until 15:00, all together, and tell the coordinators now.",
        after_start=dt.timedelta(hours=4),
        minutes=20,
        mandate=None,
    )
    return True
