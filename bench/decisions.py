"""Decisions by consensus under load: the decisions index, a proposal in its test for agreement
with an answer from nearly every member, a closed one, the register (its first page and a
search) and its CSV and JSON exports, for a group of 10, 100 and 1,000 members with 10, 200 and
5,000 closed proposals; and the close of a proposal that 10, 100 and 1,000 members answered.

Run by `bench/run.py` (so by `make bench`), as `bench/field.py` measures the field pages: in a
child process, against a throwaway SQLite database in a temporary VAR_DIR, with DEBUG off and
background tasks queued in the database as in production (the close queues its emails for the
worker). Northern California (from the demo's content) with its
principles, and a member who is also in its core group, through whose eyes every page is seen;
then at each step more members (a tenth of them in the core group) and more closed proposals,
written with `bulk_create`: the closed ones spread over three years, every third amended once
(two versions, an answer to the first one superseded), up to ten answers each with reasons
(reservations, stand-asides, a block citing a principle where the outcome is "blocked"), a
mandate cited now and then, an action item on every other one, some proposals of special kinds;
open proposals in every stage and a few drafts of the viewer's for the index; and a proposal in
its test for agreement at version 2 (an accepted amendment, a declined and an open one), with
comments in each stage, a block and its thread, an answer from nine members in ten, some of
them to the first version only. Each page is fetched in-process with Django's test client,
signed in (the second factor marked used, though the decisions pages do not ask for it):
the queries of one request, then the median and 95th percentile of N requests (fewer for the
exports, which stream the whole register).

Then the close: `actions.closing.close_proposal` on proposals in their test that every member
answered (10, 100 and 1,000 answers), a few times at each step: its queries and time.

Exits 1 when a page answers other than 200, or when queries grow with the rows: each page and
the close must make the same number of queries at every step. The exports read the register in
chunks of `register.EXPORT_CHUNK` proposals, loading each chunk's versions, answers and action
items in one query each: their queries must be a fixed number plus the same number per chunk
at every step (never one per proposal or per answer).

    .venv/bin/python bench/decisions.py [--requests 20] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.common import (  # noqa: E402  (after sys.path is set)
    label,
    latency,
    measure_requests,
    prepare_database,
    report_failures,
    run_child,
    signed_in_client,
)

GROUP_SLUG = "northern-california"
BASE = f"/en/decisions/{GROUP_SLUG}/"
# (members, closed proposals) at each step; rows are added to those of the step before.
SIZES = ((10, 10), (100, 200), (1_000, 5_000))
OPEN_PER_STEP = (6, 14, 30)  # open proposals added at each step, in every stage
DRAFTS_PER_STEP = 2
ANSWERS_PER_CLOSED = 10  # at most: each closed proposal is answered by this many members
CLOSES = 5  # proposals closed at each step
BATCH = 1_000
SEARCH = "olive"
TITLES = (
    "Join the spring olive harvest in Burin",
    "Hold the monthly meeting online",
    "Fund a second training weekend",
    "Publish the annual report",
    "Share a car pool to the airport",
    "Support the olive tree replanting",
    "Open a bank account for the group",
)
TEXT = (
    "We send **four** volunteers for two weeks, with the field team's agreement. They travel "
    "together, attend the two-day training first and keep to the movement's principles. The "
    "group pays for one flight in four from its solidarity fund; the others pay their own. "
    "Each volunteer reports back at the next monthly meeting.\n\n"
    "- who: four trained members\n- when: the first two weeks of the season\n"
    "- cost: at most 900 euros from the fund\n"
)
REASONS = (
    "I agree, but the cost worries me: could we cap it lower?",
    "I will not take part, and I will not stand in the way.",
    "This would put the families we work with at risk.",
)
# (name, query string or path suffix, share of the requests): the exports stream the whole
# register, so they are fetched fewer times.
PAGES: list[tuple[str, str, float]] = [
    ("decisions index", "", 1.0),
    ("proposal in its test", "{test}/", 1.0),
    ("closed proposal", "{closed}/", 1.0),
    ("register", "register/", 1.0),
    ("register, search", f"register/?q={SEARCH}", 1.0),
    ("register.csv", "register.csv", 0.15),
    ("register.json", "register.json", 0.15),
]
EXPORTS = ("register.csv", "register.json")


@dataclass
class Measure:
    name: str
    path: str
    members: int
    closed: int
    queries: int
    requests: int
    median_ms: float
    p95_ms: float
    kbytes: int
    status: int


@dataclass
class CloseMeasure:
    members: int
    answers: int
    closes: int
    queries: int
    median_ms: float
    max_ms: float
    outcome: str


# --- the child process: Django, in-process ---------------------------------------------------


@dataclass
class World:
    group: Any
    viewer: Any
    principles: list[Any]
    mandates: list[Any]
    details: list[tuple[str, dict[str, Any]]]


def _world() -> World:
    """Northern California, its principles, two mandates, and the viewer: a member of the group
    and of its core group."""
    from django.utils import timezone

    from alongside.accounts.models import User
    from alongside.decisions import rule as decision_rule
    from alongside.decisions.models import DecisionRule, Mandate, MandateHolder
    from alongside.demo import content
    from alongside.movement.models import (
        Group,
        Membership,
        Principle,
        PrinciplesVersion,
        Role,
    )

    group = Group.objects.create(**next(g for g in content.GROUPS if g["slug"] == GROUP_SLUG))
    person = next(p for p in content.PEOPLE if p.persona == "core")
    viewer = User.objects.create_user(person.email, None, name=person.name)
    for role in (Role.MEMBER, Role.CORE):
        Membership.objects.create(group=group, user=viewer, role=role)
    version = PrinciplesVersion.objects.create(group=group, number=1, published_by=viewer)
    principles = Principle.objects.bulk_create(
        Principle(version=version, position=n, title_en=title, text_en=f"{title}, always.")
        for n, title in enumerate(("Nonviolence", "Accompaniment", "Do no harm"), start=1)
    )
    today = timezone.localdate()
    mandates = [
        Mandate.objects.create(
            group=group,
            holder=holder,
            title=title,
            scope="Answer requests within a week.",
            limits="No statement about a named person.",
            until=today + dt.timedelta(days=365),
            report_back="At each monthly meeting",
        )
        for holder, title in (
            (MandateHolder.CORE, "Answer press requests"),
            (MandateHolder.SHIFT_TEAMS, "Change a shift's meeting point"),
        )
    ]
    # How the close stores an outcome, for a few tallies of ten members (the defaults' rule).
    rule = DecisionRule.objects.in_force(group).as_rule()
    details = []
    for counts in (
        {"agree": 8, "reservations": 1},
        {"agree": 6, "stand_aside": 3, "abstain": 1},
        {"agree": 7, "block": 1, "reservations": 1},
        {"agree": 2, "stand_aside": 1},
    ):
        tally = decision_rule.Tally(members=10, excused=0, round=1, **counts)
        result = decision_rule.decide(rule, tally)
        details.append(
            (
                result.outcome,
                {"rule": rule.as_dict(), "tally": tally.as_dict(), **result.as_dict()},
            )
        )
    return World(group, viewer, principles, mandates, details)


def _add_members(world: World, start: int, stop: int) -> list[int]:
    """Members number `start` to `stop - 1`, every tenth also in the core group."""
    from django.contrib.auth.hashers import make_password

    from alongside.accounts.models import User
    from alongside.movement.models import Membership, Role

    unusable = make_password(None)
    ids: list[int] = []
    for first in range(start, stop, BATCH):
        numbers = range(first, min(first + BATCH, stop))
        users = User.objects.bulk_create(
            User(
                email=f"bench-member-{n}@example.org",
                name=f"Member{n} Bench",
                password=unusable,
            )
            for n in numbers
        )
        Membership.objects.bulk_create(
            Membership(group=world.group, user=user, role=role)
            for n, user in zip(numbers, users, strict=True)
            for role in ((Role.MEMBER, Role.CORE) if n % 10 == 0 else (Role.MEMBER,))
        )
        ids += [user.pk for user in users]
    return ids


def _add_closed(world: World, members: list[int], start: int, stop: int) -> None:
    """Closed proposals number `start` to `stop - 1`: one closed every five hours or so going
    back three years, with their versions, answers and action items."""
    from django.utils import timezone

    from alongside.decisions.models import (
        ActionItem,
        Body,
        ClosedHow,
        Position,
        Proposal,
        ProposalKind,
        ProposalVersion,
        Response,
        Stage,
    )

    now = timezone.now()
    today = timezone.localdate()
    hows = (ClosedHow.DEADLINE, ClosedHow.ALL_RESPONDED, ClosedHow.DEADLINE)
    for first in range(start, stop, BATCH):
        numbers = range(first, min(first + BATCH, stop))
        rows = []
        moments = {n: now - dt.timedelta(minutes=300 * n + 60) for n in numbers}
        for n in numbers:
            closed_at = moments[n]
            outcome, detail = world.details[n % len(world.details)]
            kind = (
                ProposalKind.CORE_MEMBERSHIP
                if n % 10 == 3
                else ProposalKind.MANDATE
                if n % 10 == 7
                else ProposalKind.GENERAL
            )
            rows.append(
                Proposal(
                    group=world.group,
                    kind=kind,
                    body=Body.CORE if n % 4 == 1 else Body.MEMBERS,
                    mandate=world.mandates[0] if n % 7 == 0 else None,
                    proposer_id=members[n % len(members)],
                    facilitator_id=members[(n + 1) % len(members)],
                    stage=Stage.CLOSED,
                    version=2 if n % 3 == 0 else 1,
                    questions_end=closed_at - dt.timedelta(days=7),
                    concerns_end=closed_at - dt.timedelta(days=5),
                    amendments_end=closed_at - dt.timedelta(days=3),
                    test_end=closed_at,
                    stage_started_at=closed_at,
                    test_started_at=closed_at - dt.timedelta(days=3),
                    created_at=closed_at - dt.timedelta(days=10),
                    opened_at=closed_at - dt.timedelta(days=9),
                    closed_at=closed_at,
                    closed_how=hows[n % len(hows)],
                    outcome=outcome,
                    outcome_detail=detail,
                    review_on=today + dt.timedelta(days=n % 400) if n % 5 == 0 else None,
                    candidate_id=members[(n + 2) % len(members)]
                    if kind == ProposalKind.CORE_MEMBERSHIP
                    else None,
                    terms={"holder": "core", "title": "Book the venue", "until": "2027-12-31"}
                    if kind == ProposalKind.MANDATE
                    else {},
                )
            )
        proposals = Proposal.objects.bulk_create(rows)
        versions, answers, items = [], [], []
        for n, proposal in zip(numbers, proposals, strict=True):
            title = TITLES[n % len(TITLES)]
            closed_at = moments[n]
            for number in range(1, proposal.version + 1):
                versions.append(
                    ProposalVersion(
                        proposal=proposal,
                        number=number,
                        title=title if number == proposal.version else f"{title} (first draft)",
                        text=TEXT if number == proposal.version else TEXT[:300],
                        why="Because we were invited.",
                        if_agreed="The core group books the flights.",
                        concerns_whom="The volunteers who go",
                        created_at=closed_at - dt.timedelta(days=9),
                    )
                )
            blocked = proposal.outcome == "blocked"
            for j in range(min(len(members), ANSWERS_PER_CLOSED)):
                position = (
                    Position.BLOCK
                    if blocked and j == 0
                    else Position.RESERVATIONS
                    if j == 1
                    else Position.STAND_ASIDE
                    if j == 2
                    else Position.ABSTAIN
                    if j == 3
                    else Position.AGREE
                )
                reason = {
                    Position.RESERVATIONS: REASONS[0],
                    Position.STAND_ASIDE: REASONS[1],
                    Position.BLOCK: REASONS[2],
                }.get(position, "")
                member = members[(n + j) % len(members)]
                answered = closed_at - dt.timedelta(days=3, hours=-j - 1)
                if proposal.version == 2 and j == 4:
                    # Answered the first version, then confirmed again after the amendment.
                    answers.append(
                        Response(
                            proposal=proposal,
                            member_id=member,
                            version=1,
                            position=Position.AGREE,
                            created_at=answered - dt.timedelta(days=2),
                            superseded_at=answered,
                        )
                    )
                answers.append(
                    Response(
                        proposal=proposal,
                        member_id=member,
                        version=proposal.version,
                        position=position,
                        reason=reason,
                        principle=world.principles[n % 3] if position == Position.BLOCK else None,
                        created_at=answered,
                    )
                )
            if n % 2 == 0:
                items.append(
                    ActionItem(
                        proposal=proposal,
                        text="Book the flights",
                        owner_id=members[(n + 3) % len(members)],
                        due_on=closed_at.date() + dt.timedelta(days=14),
                        done_at=closed_at + dt.timedelta(days=10) if n % 4 else None,
                        created_by_id=proposal.facilitator_id,
                    )
                )
        ProposalVersion.objects.bulk_create(versions)
        Response.objects.bulk_create(answers, batch_size=BATCH)
        ActionItem.objects.bulk_create(items)


def _open_proposal(
    world: World,
    n: int,
    stage: str,
    proposer: int,
    *,
    facilitator: int | None = None,
    body: str = "members",
    version: int = 1,
) -> Any:
    """An open proposal (or a draft) `n` in `stage`, its version(s), deadlines around now."""
    from django.utils import timezone

    from alongside.decisions.models import STAGE_SEQUENCE, Proposal, ProposalVersion, Stage

    now = timezone.now()
    current = STAGE_SEQUENCE.index(stage) if stage in STAGE_SEQUENCE else 0  # type: ignore[arg-type]
    ends = [now + dt.timedelta(days=2 * (i - current + 1), minutes=n) for i in range(4)]
    started = now - dt.timedelta(hours=1)
    proposal = Proposal.objects.create(
        group=world.group,
        body=body,
        proposer_id=proposer,
        facilitator_id=facilitator or proposer,
        stage=stage,
        version=version,
        questions_end=ends[0],
        concerns_end=ends[1],
        amendments_end=ends[2],
        test_end=ends[3],
        opened_at=None if stage == Stage.DRAFT else now - dt.timedelta(days=3),
        stage_started_at=None if stage == Stage.DRAFT else started,
        test_started_at=started if stage == Stage.TEST else None,
    )
    title = TITLES[n % len(TITLES)]
    ProposalVersion.objects.bulk_create(
        ProposalVersion(
            proposal=proposal,
            number=number,
            title=title if number == version else f"{title} (first draft)",
            text=TEXT,
            why="Because we were invited.",
        )
        for number in range(1, version + 1)
    )
    return proposal


def _add_open(world: World, members: list[int], start: int, count: int) -> None:
    """Open proposals in every stage (some of the core group's), and drafts of the viewer's."""
    from alongside.decisions.models import Body, Stage

    stages = (Stage.QUESTIONS, Stage.CONCERNS, Stage.AMENDMENTS, Stage.TEST)
    for n in range(start, start + count):
        _open_proposal(
            world,
            n,
            stages[n % len(stages)],
            members[n % len(members)],
            body=Body.CORE if n % 5 == 4 else Body.MEMBERS,
        )
    for n in range(DRAFTS_PER_STEP):
        _open_proposal(world, start + n, Stage.DRAFT, world.viewer.pk)


def _test_proposal(world: World, members: list[int]) -> Any:
    """A proposal in its test for agreement at version 2, the viewer facilitating: amendments
    (accepted, declined, open), comments in each stage, and an answer from nine members in ten
    (a block with its thread; some answers to version 1 only, not confirmed again)."""
    from django.utils import timezone

    from alongside.decisions.models import (
        Amendment,
        AmendmentStatus,
        BlockMessage,
        Comment,
        Position,
        Proposal,
        ProposalVersion,
        Response,
        Stage,
    )

    now = timezone.now()
    proposal = _open_proposal(
        world, 0, Stage.TEST, members[1], facilitator=world.viewer.pk, version=2
    )
    amendments = Amendment.objects.bulk_create(
        Amendment(
            proposal=proposal,
            author_id=members[(k + 2) % len(members)],
            against_version=1,
            title=TITLES[0],
            text=TEXT,
            reason="Clearer about the cost.",
            status=status,
            decided_at=None if status == AmendmentStatus.OPEN else now - dt.timedelta(hours=2),
            decided_by_id=None if status == AmendmentStatus.OPEN else members[1],
            decision_reason="" if status == AmendmentStatus.OPEN else "Thank you.",
        )
        for k, status in enumerate(
            (AmendmentStatus.ACCEPTED, AmendmentStatus.DECLINED, AmendmentStatus.OPEN)
        )
    )
    ProposalVersion.objects.filter(proposal=proposal, number=2).update(amendment=amendments[0])
    Comment.objects.bulk_create(
        Comment(
            proposal=proposal,
            stage=stage,
            author_id=members[(k + 3) % len(members)],
            body="Who pays for the training weekend?",
            is_question=stage == Stage.QUESTIONS,
            answered_at=now - dt.timedelta(days=2) if k % 2 == 0 else None,
        )
        for stage in (Stage.QUESTIONS, Stage.CONCERNS, Stage.AMENDMENTS, Stage.TEST)
        for k in range(4)
    )
    others = [pk for pk in members if pk != world.viewer.pk]
    answering = others[: max(1, len(others) * 9 // 10)]
    answers = []
    block_member = answering[0]
    for j, member in enumerate(answering):
        answered = now - dt.timedelta(minutes=len(answering) - j)
        if j % 20 == 19:
            # Answered version 1 and has not confirmed again since the amendment.
            answers.append(
                Response(
                    proposal=proposal,
                    member_id=member,
                    version=1,
                    position=Position.AGREE,
                    created_at=answered,
                )
            )
            continue
        if j % 10 == 5:
            answers.append(
                Response(
                    proposal=proposal,
                    member_id=member,
                    version=1,
                    position=Position.AGREE,
                    created_at=answered - dt.timedelta(days=1),
                    superseded_at=answered,
                )
            )
        position = (
            Position.BLOCK
            if member == block_member
            else Position.RESERVATIONS
            if j % 10 == 1
            else Position.STAND_ASIDE
            if j % 25 == 2
            else Position.ABSTAIN
            if j % 30 == 3
            else Position.AGREE
        )
        answers.append(
            Response(
                proposal=proposal,
                member_id=member,
                version=2,
                position=position,
                reason={
                    Position.RESERVATIONS: REASONS[0],
                    Position.STAND_ASIDE: REASONS[1],
                    Position.BLOCK: REASONS[2],
                }.get(position, ""),
                principle=world.principles[2] if position == Position.BLOCK else None,
                created_at=answered,
            )
        )
    created = Response.objects.bulk_create(answers, batch_size=BATCH)
    block = next(r for r in created if r.position == Position.BLOCK)
    BlockMessage.objects.bulk_create(
        BlockMessage(block=block, author_id=author, body="Can we find a way to make it safe?")
        for author in (block_member, members[1], world.viewer.pk)
    )
    Proposal.objects.filter(pk=proposal.pk).update(paused_at=now - dt.timedelta(hours=1))
    return proposal


def _to_close(world: World, members: list[int], count: int) -> list[int]:
    """`count` proposals in their test that every member answered (mostly agree, one in fifty
    stands aside)."""
    from alongside.decisions.models import Position, Response, Stage

    ids = []
    for n in range(count):
        proposal = _open_proposal(world, n, Stage.TEST, members[n % len(members)])
        Response.objects.bulk_create(
            (
                Response(
                    proposal=proposal,
                    member_id=member,
                    version=1,
                    position=Position.STAND_ASIDE if j % 50 == 1 else Position.AGREE,
                    reason=REASONS[1] if j % 50 == 1 else "",
                )
                for j, member in enumerate(members)
            ),
            batch_size=BATCH,
        )
        ids.append(proposal.pk)
    return ids


def _measure(
    client: Any, name: str, path: str, size: tuple[int, int], requests: int, *, warm: str
) -> tuple[Measure, list[str]]:
    # The counted request is timed too: the exports are too long to fetch once more for nothing.
    status, length, queries, timings = measure_requests(
        client, path, requests, warm=warm, time_counted=True
    )
    measure = Measure(
        name=name,
        path=path,
        members=size[0],
        closed=size[1],
        queries=len(queries),
        requests=requests,
        kbytes=round(length / 1024),
        status=status,
        **latency(timings),
    )
    return measure, queries


def _measure_close(ids: list[int], members: int) -> tuple[CloseMeasure, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from alongside.decisions.actions.closing import close_proposal
    from alongside.decisions.models import Proposal, Response

    answers = Response.objects.filter(proposal_id=ids[0]).count()
    timings: list[float] = []
    counts: set[int] = set()
    first: list[str] = []
    for proposal_id in ids:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            closed = close_proposal(proposal_id=proposal_id, now=timezone.now())
            timings.append((time.perf_counter() - started) * 1000)
        assert closed is not None and closed.is_closed, f"proposal {proposal_id} did not close"
        counts.add(len(captured.captured_queries))
        first = first or [q["sql"] for q in captured.captured_queries]
    outcome = Proposal.objects.get(pk=ids[0]).outcome
    if len(counts) > 1:
        first.append(f"-- and {sorted(counts)} queries over the {len(ids)} closes")
    measure = CloseMeasure(
        members=members,
        answers=answers,
        closes=len(ids),
        queries=max(counts),
        median_ms=round(statistics.median(timings), 2),
        max_ms=round(max(timings), 2),
        outcome=outcome,
    )
    return measure, first


def run_in_child(requests: int) -> dict[str, Any]:
    import django

    django.setup()
    from alongside.decisions.models import Proposal, ProposalVersion, Response

    prepare_database()
    world = _world()
    client = signed_in_client(world.viewer)
    measures: list[Measure] = []
    closes: list[CloseMeasure] = []
    sql: dict[str, dict[str, list[str]]] = {}
    members: list[int] = [world.viewer.pk]
    closed = opened = 0
    for step, size in enumerate(SIZES):
        started = time.perf_counter()
        members += _add_members(world, len(members), size[0])
        _add_closed(world, members, closed, size[1])
        closed = size[1]
        _add_open(world, members, opened, OPEN_PER_STEP[step])
        opened += OPEN_PER_STEP[step]
        test = _test_proposal(world, members)
        to_close = _to_close(world, members, CLOSES)
        # The same closed proposal at every step: the first written (amended, under a
        # mandate, with an action item and a review date).
        first = Proposal.objects.filter(group=world.group).closed().order_by("pk")[0]
        assert len(members) == size[0]
        print(
            f"  {len(members):,} members, {closed:,} closed proposals "
            f"({ProposalVersion.objects.count():,} versions, "
            f"{Response.objects.count():,} answers in all), "
            f"{Response.objects.filter(proposal=test).count():,} answers to the proposal in its "
            f"test, written in {time.perf_counter() - started:.1f}s"
        )
        for name, suffix, share in PAGES:
            path = BASE + suffix.format(test=test.pk, closed=first.pk)
            count = max(3, round(requests * share))
            # The exports warm up on an empty search rather than on the whole register.
            warm = f"{path}?q=no-such-words" if name in EXPORTS else path
            measure, queries = _measure(client, name, path, size, count, warm=warm)
            measures.append(measure)
            sql.setdefault(name, {})[label(size)] = queries
        close, queries = _measure_close(to_close, len(members))
        closes.append(close)
        sql.setdefault("close", {})[label(size)] = queries
    return {
        "measures": [asdict(m) for m in measures],
        "closes": [asdict(c) for c in closes],
        "growing": _growing(sql),
        "sql": sql,
    }


def _chunks(size: tuple[int, int]) -> int:
    from alongside.decisions.register import EXPORT_CHUNK

    # The closes of the steps before add CLOSES closed proposals each to the register.
    rows = size[1] + CLOSES * SIZES.index(size)
    return max(1, math.ceil(rows / EXPORT_CHUNK))


def _growing(sql: dict[str, dict[str, list[str]]]) -> list[str]:
    """The pages (and the close) whose queries grow with the rows. The exports may add the same
    number of queries for each chunk of proposals they read, and nothing else."""
    growing = []
    for name, by_size in sql.items():
        counts = [len(by_size[label(size)]) for size in SIZES]
        if name in EXPORTS:
            chunks = [_chunks(size) for size in SIZES]
            per_chunk = (counts[1] - counts[0]) / max(1, chunks[1] - chunks[0])
            fixed = counts[0] - per_chunk * chunks[0]
            if any(c != fixed + per_chunk * k for c, k in zip(counts, chunks, strict=True)):
                growing.append(name)
        elif len(set(counts)) > 1:
            growing.append(name)
    return growing


# --- the parent ------------------------------------------------------------------------------


def report(result: dict[str, Any]) -> int:
    measures = [Measure(**m) for m in result["measures"]]
    header = (
        f"{'decisions page':22} {'members':>7} {'closed':>7} {'queries':>8} {'median ms':>10} "
        f"{'p95 ms':>9} {'KiB':>7} {'requests':>9}  status"
    )
    print(header)
    print("-" * len(header))
    for m in measures:
        print(
            f"{m.name:22} {m.members:7,} {m.closed:7,} {m.queries:8d} {m.median_ms:10.1f} "
            f"{m.p95_ms:9.1f} {m.kbytes:7,} {m.requests:9d}  {m.status}"
        )
    closes = [CloseMeasure(**c) for c in result["closes"]]
    header = (
        f"\n{'close_proposal':22} {'members':>7} {'answers':>7} {'queries':>8} {'median ms':>10} "
        f"{'max ms':>9} {'closes':>7}  outcome"
    )
    print(header)
    print("-" * (len(header) - 1))
    for c in closes:
        print(
            f"{'':22} {c.members:7,} {c.answers:7,} {c.queries:8d} {c.median_ms:10.1f} "
            f"{c.max_ms:9.1f} {c.closes:7d}  {c.outcome}"
        )
    sizes = ", ".join(f"{m:,} members/{c:,} closed proposals" for m, c in SIZES)
    failed = report_failures(
        result,
        [m.name for m in measures if m.status != 200],
        most=label(SIZES[-1]),
        same=f"{sizes} on every page and in the close (the exports: the same number per chunk "
        "of proposals read)",
    )
    return 1 if failed else 0


def run(requests: int, json_path: Path | None = None) -> tuple[int, dict[str, Any] | None]:
    """Measure in a child process with its own VAR_DIR; return the exit code and results."""
    # As in production: the close queues its emails for the worker rather than sending them.
    result = run_child(
        __file__, "decisions", requests, {"TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    )
    if result is None:
        return 1, None
    code = report(result)
    if json_path is not None:
        json_path.write_text(
            json.dumps({"pages": result["measures"], "closes": result["closes"]}, indent=2)
        )
    return code, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=20, help="requests per page and size")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    requests = max(3, min(args.requests, 500))  # bounded, whatever is asked
    if args.child:
        assert args.out is not None
        args.out.write_text(json.dumps(run_in_child(requests)))
        return 0
    sizes = ", ".join(f"{m:,}/{c:,}" for m, c in SIZES)
    print(f"Decisions pages with {sizes} members/closed proposals (in-process, DEBUG off)...")
    code, _result = run(requests, args.json)
    return code


if __name__ == "__main__":
    sys.exit(main())
