"""Field work under load: the coordinators' live board and the volunteer's "Shifts I can take"
with 2,000 volunteers and 20,000 shifts, in the same number of queries as with 10 and 100; and
sign-ups per second with 50 concurrent clients against gunicorn, without overbooking.

Run by `bench/run.py` (so by `make bench`). Two parts:

1. Pages, as `bench/pipeline.py` measures the pipeline board: in a child process, against a
   throwaway SQLite database in a temporary VAR_DIR, with DEBUG off. The field team in
   Palestine (from the demo's content) with its partner communities, a field coordinator, the
   current principles; then 10 volunteers and 100 shifts, later 100 and 1,000, then 2,000 and
   20,000, written with `bulk_create` (which encrypts presence dates like `save()`): READY or
   IN_FIELD applications whose windows cover now, the two-day training, agreements to the
   principles, invitations of the partner communities with weekly shifts spread around now
   (some under way and some later this week), confirmed sign-ups and a few on waiting lists,
   the check-ins each confirmed volunteer owes (`checkin_plan.planned_times`; those due are
   answered, some under way are missed) and a few open escalations. Each page is fetched
   in-process with Django's test client, signed in with the second factor marked used: the
   board (today and this week) as the coordinator, "Shifts I can take" (first and second page)
   as a volunteer ready for the coming weeks. Reports the queries of one request and the median
   and 95th percentile of N requests.
2. Sign-ups: a fresh demo site served by gunicorn (`alongside.demo.server`), to which a child
   process with the server's environment adds 50 volunteers ready for the field (each with a
   signed-in session) and shifts with few places on separate days; then 50 threads, one per
   volunteer, each POST a sign-up to every shift in the same order, all at once. Reports
   sign-ups per second, then counts in the server's database that no shift holds more
   confirmed and offered places than it has.

Only 127.0.0.1 is ever contacted. Exits 1 when a page's queries grow with the number of rows, a
page does not answer 200, a sign-up is not answered with its redirect, or a shift overflows.

    .venv/bin/python bench/field.py [--requests 20] [--workers 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
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

TEAM_SLUG = "palestine"
BOARD = f"/en/coordinate/{TEAM_SLUG}/"
HOME = "/en/field/"
# (volunteers, shifts) at each step; rows are added to those of the step before.
SIZES = ((10, 100), (100, 1_000), (2_000, 20_000))
FEW, MANY = SIZES[0], SIZES[-1]
BATCH = 1_000
PAGES: list[tuple[str, str]] = [
    ("board, today", BOARD),
    ("board, this week", f"{BOARD}?tab=week"),
    ("shifts I can take", HOME),
    ("shifts I can take, page 2", f"{HOME}?page=2"),
]
SHIFTS_PER_INVITATION = 10  # weekly
# Invitations number i: i % 40 == 0 runs now, i % 40 == 1 starts later today or this week, the
# others start somewhere from PAST_DAYS ago to SPAN_DAYS after that.
PAST_DAYS, SPAN_DAYS = 120, 300

# The sign-up race: one client per volunteer, all on the same shifts in the same order.
CLIENTS = 50
RACE_SHIFTS = 20
RACE_PLACES = 3
THREADS = 4  # per gunicorn worker, as `make run` serves


@dataclass
class Measure:
    name: str
    path: str
    volunteers: int
    shifts: int
    queries: int
    requests: int
    median_ms: float
    p95_ms: float
    status: int


# --- part 1, the child process: Django, in-process -------------------------------------------


@dataclass
class World:
    team: Any
    support: Any
    communities: list[Any]
    coordinator: Any
    viewer: Any
    training: Any
    version: Any


def _world() -> World:
    """The field team and its partner communities, Northern California (the volunteers' support
    group), a field coordinator, the current principles and the volunteer who looks for
    shifts."""
    from alongside.accounts.models import User
    from alongside.demo import content
    from alongside.field.rules import TRAINING_SLUG
    from alongside.movement.models import (
        Group,
        Membership,
        PartnerCommunity,
        PrinciplesVersion,
        Role,
    )
    from alongside.volunteers.models import QualificationKind

    def group(slug: str) -> Any:
        return Group.objects.create(**next(g for g in content.GROUPS if g["slug"] == slug))

    team, support = group(TEAM_SLUG), group("northern-california")
    communities = [PartnerCommunity.objects.create(group=team, **c) for c in content.COMMUNITIES]
    person = next(p for p in content.PEOPLE if p.persona == "coordinator")
    coordinator = User.objects.create_user(person.email, None, name=person.name)
    for role in (Role.MEMBER, Role.CORE):
        Membership.objects.create(group=team, user=coordinator, role=role)
    version = PrinciplesVersion.objects.create(group=team, number=1, published_by=coordinator)
    training, _ = QualificationKind.objects.get_or_create(
        slug=TRAINING_SLUG, defaults={"name_en": "The movement's two-day training"}
    )
    viewer = User.objects.create_user("bench-viewer@example.org", None, name="Vera Viewer")
    world = World(team, support, communities, coordinator, viewer, training, version)
    _make_ready(world, [viewer], first=0)
    return world


def _make_ready(world: World, users: list[Any], *, first: int) -> None:
    """Applications ready for the field (or in it) with a window from a few days ago to some
    weeks ahead, the two-day training and the agreement to the current principles."""
    from django.utils import timezone

    from alongside.volunteers.models import (
        Application,
        PrinciplesAgreement,
        Qualification,
        Stage,
    )

    now = timezone.now()
    today = timezone.localdate()
    # The encrypted date fields are typed as text by django-stubs; they take dates.
    windows: list[dict[str, Any]] = [
        {
            "arrival_on": today - dt.timedelta(days=1 + n % 20),
            "departure_on": today + dt.timedelta(days=30 + n % 60),
        }
        for n in range(first, first + len(users))
    ]
    Application.objects.bulk_create(
        Application(
            user=user,
            group=world.support,
            stage=Stage.IN_FIELD if n % 3 == 0 else Stage.READY,
            full_name=user.name,
            country="US",
            languages=["en", "ar"] if n % 4 == 0 else ["en", "es"] if n % 4 == 1 else ["en"],
            submitted_at=now - dt.timedelta(days=60),
            stage_changed_at=now - dt.timedelta(days=5),
            **window,
        )
        for n, user, window in zip(range(first, first + len(users)), users, windows, strict=True)
    )
    Qualification.objects.bulk_create(
        Qualification(user=user, kind=world.training, granted_on=today - dt.timedelta(days=40))
        for user in users
    )
    PrinciplesAgreement.objects.bulk_create(
        PrinciplesAgreement(user=user, version=world.version) for user in users
    )


def _add_volunteers(world: World, start: int, stop: int) -> list[int]:
    """Volunteers number `start` to `stop - 1`; returns their user ids."""
    from django.contrib.auth.hashers import make_password

    from alongside.accounts.models import User

    unusable = make_password(None)
    ids: list[int] = []
    for first in range(start, stop, BATCH):
        numbers = range(first, min(first + BATCH, stop))
        users = User.objects.bulk_create(
            User(email=f"bench-field-{n}@example.org", name=f"Field{n} Bench", password=unusable)
            for n in numbers
        )
        _make_ready(world, users, first=first + 1)
        ids.extend(user.pk for user in users)
    return ids


def _first_start(i: int, now: dt.datetime, kind: str) -> dt.datetime:
    """When the first shift of invitation number `i` starts."""
    from alongside.lib.timezones import field_zone

    if i % 40 == 0:  # under way now
        return now.replace(second=0, microsecond=0) - dt.timedelta(hours=1 + (i // 40) % 2)
    if i % 40 == 1:  # later today, or later this week
        return now.replace(second=0, microsecond=0) + dt.timedelta(hours=5 + 17 * ((i // 40) % 8))
    day = _field_today(now) + dt.timedelta(days=(i * 37) % SPAN_DAYS - PAST_DAYS)
    hour = 5 + (i * 5) % 12 if kind != "presence" else 15
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=field_zone())


def _field_today(now: dt.datetime) -> dt.date:
    from alongside.lib.timezones import field_zone

    return now.astimezone(field_zone()).date()


def _add_shifts(world: World, volunteer_ids: list[int], start: int, stop: int) -> None:
    """Shifts number `start` to `stop - 1` (ten weekly shifts per invitation), with their
    sign-ups, check-ins and, under way, some missed check-ins and open escalations."""
    from django.utils import timezone

    from alongside.field.checkin_plan import planned_times
    from alongside.field.models import (
        ActivityKind,
        CheckIn,
        CheckInAnswer,
        Escalation,
        EscalationLevel,
        EscalationReason,
        Invitation,
        Recurrence,
        Shift,
        SignUp,
        SignUpStatus,
    )
    from alongside.field.rules import DEFAULT_CHECKIN_HOURS
    from alongside.lib.timezones import field_zone

    now = timezone.now()
    kinds = list(ActivityKind.values)
    hours = {"harvest": 8, "school_run": 2, "demonstration": 3, "presence": 16, "other": 4}
    for first in range(start, stop, BATCH):
        numbers = range(first, min(first + BATCH, stop), SHIFTS_PER_INVITATION)
        invitations: list[Any] = []
        starts: list[dt.datetime] = []
        for n in numbers:
            i = n // SHIFTS_PER_INVITATION
            kind = "harvest" if i % 40 in (0, 1) else kinds[i % len(kinds)]
            begins = _first_start(i, now, kind)
            local = begins.astimezone(field_zone())
            last = local + dt.timedelta(days=7 * (SHIFTS_PER_INVITATION - 1))
            places = 2 + i % 5
            starts.append(begins)
            invitations.append(
                Invitation(
                    community=world.communities[i % len(world.communities)],
                    kind=kind,
                    title=f"Bench invitation {i}",
                    language="ar" if i % 2 else "en",
                    recurrence=Recurrence.WEEKLY,
                    weekdays=[local.weekday()],
                    starts_on=local.date(),
                    ends_on=last.date(),
                    start_time=local.time(),
                    end_time=(local + dt.timedelta(hours=hours[kind])).time(),
                    volunteers_min=min(2, places),
                    volunteers_max=places,
                    languages=["ar", "en"] if i % 3 == 0 else ["en"],
                    briefing="Stay with the farmers; leave if the army declares a closed zone.",
                    place=f"Grove {i}" if i % 2 else "",
                    checkin_every_hours=DEFAULT_CHECKIN_HOURS[kind],
                    created_by=world.coordinator,
                )
            )
        Invitation.objects.bulk_create(invitations)
        pairs = zip(numbers, invitations, strict=True)
        number_of = {id(inv): n // SHIFTS_PER_INVITATION for n, inv in pairs}
        shifts: list[Any] = []
        for invitation, begins in zip(invitations, starts, strict=True):
            length = dt.timedelta(hours=hours[invitation.kind])
            for k in range(SHIFTS_PER_INVITATION):
                at = begins + dt.timedelta(days=7 * k)
                shifts.append(
                    Shift(
                        invitation=invitation,
                        starts_at=at,
                        ends_at=at + length,
                        places=invitation.volunteers_max,
                        min_volunteers=invitation.volunteers_min,
                        cutoff_at=at - dt.timedelta(hours=invitation.signup_cutoff_hours),
                        checkin_every_hours=invitation.checkin_every_hours,
                    )
                )
        Shift.objects.bulk_create(shifts)
        signups: list[Any] = []
        for n, shift in zip(range(first, first + len(shifts)), shifts, strict=True):
            under_way = shift.starts_at <= now < shift.ends_at
            confirmed = shift.places if under_way else (n * 3) % (shift.places + 1)
            waiting = 1 if confirmed == shift.places and n % 3 == 0 else 0
            for j in range(confirmed + waiting):
                signups.append(
                    SignUp(
                        shift=shift,
                        user_id=volunteer_ids[(n * 7 + j * 13) % len(volunteer_ids)],
                        status=SignUpStatus.CONFIRMED if j < confirmed else SignUpStatus.WAITING,
                        joined_at=shift.starts_at - dt.timedelta(days=3, minutes=j),
                    )
                )
        SignUp.objects.bulk_create(signups)
        # The check-ins each confirmed volunteer owes: those due are answered, except on every
        # other invitation under way, where the first volunteer missed the latest one; every
        # other of those has been raised.
        checkins: list[Any] = []
        missed: list[Any] = []
        first_on_shift: set[int] = set()
        for signup in signups:
            if signup.status != SignUpStatus.CONFIRMED:
                continue
            shift = signup.shift
            i = number_of[id(shift.invitation)]
            misses = shift.starts_at <= now < shift.ends_at and (i // 40) % 2 == 0
            misses = misses and id(shift) not in first_on_shift
            first_on_shift.add(id(shift))
            due = planned_times(shift)
            last_due = max((at for _kind, at in due if at <= now), default=None)
            for kind, at in due:
                row = CheckIn(signup=signup, kind=kind, due_at=at)
                if at <= now:
                    if misses and at == last_due:
                        missed.append((i, row))
                    else:
                        row.answered_at = at + dt.timedelta(minutes=4)
                        row.answer = CheckInAnswer.OK
                checkins.append(row)
        CheckIn.objects.bulk_create(checkins)
        Escalation.objects.bulk_create(
            Escalation(
                checkin=row,
                reason=EscalationReason.MISSED,
                level=EscalationLevel.TEAM if i % 3 else EscalationLevel.COORDINATORS,
                raised_at=row.due_at + dt.timedelta(minutes=30),
                level_changed_at=row.due_at + dt.timedelta(minutes=30),
            )
            for i, row in missed
            if (i // 40) % 4 == 0
        )


def _hold_two_shifts(world: World) -> None:
    """The viewing volunteer holds places on two coming shifts (so that others overlap)."""
    from django.utils import timezone

    from alongside.field.models import Shift, SignUp, SignUpStatus

    coming = Shift.objects.filter(starts_at__gt=timezone.now() + dt.timedelta(days=1))
    for shift in coming.order_by("starts_at")[:2]:
        SignUp.objects.create(shift=shift, user=world.viewer, status=SignUpStatus.CONFIRMED)


def _measure(
    client: Any, name: str, path: str, size: tuple[int, int], requests: int
) -> tuple[Measure, list[str]]:
    status, _size, queries, timings = measure_requests(client, path, requests)
    measure = Measure(
        name=name,
        path=path,
        volunteers=size[0],
        shifts=size[1],
        queries=len(queries),
        requests=requests,
        status=status,
        **latency(timings),
    )
    return measure, queries


def run_in_child(requests: int) -> dict[str, Any]:
    import django

    django.setup()
    from alongside.field.models import CheckIn, Escalation, Shift, SignUp

    prepare_database()
    world = _world()
    coordinator = signed_in_client(world.coordinator)
    viewer = signed_in_client(world.viewer)
    measures: list[Measure] = []
    sql: dict[str, dict[str, list[str]]] = {}
    volunteer_ids: list[int] = []
    shifts = 0
    for size in SIZES:
        started = time.perf_counter()
        volunteer_ids += _add_volunteers(world, len(volunteer_ids), size[0])
        _add_shifts(world, volunteer_ids, shifts, size[1])
        shifts = size[1]
        if size == FEW:
            _hold_two_shifts(world)
        assert Shift.objects.count() == shifts
        print(
            f"  {len(volunteer_ids):,} volunteers, {shifts:,} shifts, "
            f"{SignUp.objects.count():,} sign-ups, {CheckIn.objects.count():,} check-ins, "
            f"{Escalation.objects.open().count()} open escalations written in "
            f"{time.perf_counter() - started:.1f}s"
        )
        for name, path in PAGES:
            client = coordinator if path.startswith(BOARD) else viewer
            measure, queries = _measure(client, name, path, size, requests)
            measures.append(measure)
            sql.setdefault(name, {})[label(size)] = queries
    growing = [
        name
        for name, by_size in sql.items()
        if len({len(queries) for queries in by_size.values()}) > 1
    ]
    return {"measures": [asdict(m) for m in measures], "growing": growing, "sql": sql}


# --- part 2: sign-ups against gunicorn -------------------------------------------------------


def prepare_race(out: Path) -> None:
    """In the server's environment: CLIENTS volunteers ready for the field, each with a
    signed-in session, and RACE_SHIFTS shifts of RACE_PLACES places on separate days."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from alongside.accounts.models import User
    from alongside.field.models import ActivityKind, Invitation, Recurrence, Shift
    from alongside.field.rules import TRAINING_SLUG, rules_for
    from alongside.lib.timezones import field_zone
    from alongside.movement.models import Group, PartnerCommunity
    from alongside.volunteers.models import QualificationKind
    from alongside.volunteers.principles import principles_for

    team = Group.objects.get(slug=TEAM_SLUG)
    support = Group.objects.get(slug="northern-california")
    community = PartnerCommunity.objects.filter(group=team).order_by("pk")[0]
    kind = ActivityKind.DEMONSTRATION
    training = rules_for(team, kind).required_qualification
    if training is None:
        training = QualificationKind.objects.get(slug=TRAINING_SLUG)
    version = principles_for(support)
    world = World(team, support, [community], None, None, training, version)
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"bench-race-{n}@example.org", name=f"Race{n} Bench", password=unusable)
        for n in range(CLIENTS)
    )
    if version is None:
        raise RuntimeError("the demo's field team has no principles")
    _make_ready(world, users, first=1)
    today = _field_today(timezone.now())
    first = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(10), tzinfo=field_zone())
    invitation = Invitation.objects.create(
        community=community,
        kind=kind,
        title="Bench sign-ups",
        recurrence=Recurrence.DAILY,
        starts_on=first.date(),
        ends_on=first.date() + dt.timedelta(days=RACE_SHIFTS - 1),
        start_time=dt.time(10),
        end_time=dt.time(13),
        volunteers_min=2,
        volunteers_max=RACE_PLACES,
    )
    shifts = Shift.objects.bulk_create(
        Shift(
            invitation=invitation,
            starts_at=first + dt.timedelta(days=k),
            ends_at=first + dt.timedelta(days=k, hours=3),
            places=RACE_PLACES,
            min_volunteers=2,
            cutoff_at=first + dt.timedelta(days=k, hours=-3),
        )
        for k in range(RACE_SHIFTS)
    )
    sessions = []
    for user in users:
        client = signed_in_client(user)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    out.write_text(
        json.dumps(
            {
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "sessions": sessions,
                "shifts": [shift.pk for shift in shifts],
            }
        )
    )


def count_race(out: Path, shift_ids: list[int]) -> None:
    """In the server's environment: the sign-ups of each raced shift, by status."""
    import django

    django.setup()
    from django.db.models import Count

    from alongside.field.models import Shift, SignUp

    places = dict(Shift.objects.filter(pk__in=shift_ids).values_list("pk", "places"))
    counts: dict[str, dict[str, int]] = {str(pk): {"places": places[pk]} for pk in shift_ids}
    rows = (
        SignUp.objects.filter(shift__in=shift_ids)
        .values("shift", "status")
        .annotate(n=Count("pk"))
        .values_list("shift", "status", "n")
    )
    for shift_id, status, n in rows:
        counts[str(shift_id)][status] = n
    out.write_text(json.dumps(counts))


def _in_server(server: Any, mode: str, out: Path, *extra: str) -> dict[str, Any]:
    from alongside.demo.server import server_environment

    port = int(urllib.parse.urlsplit(server.url).port or 0)
    env = server_environment(server.var_dir, port)
    env["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    subprocess.run(
        [sys.executable, __file__, mode, "--out", str(out), *extra],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _race(url: str, prepared: dict[str, Any], workers: int) -> dict[str, Any]:
    """Each client signs up for every shift, all clients on the same shift at the same moment
    as far as the server lets them."""
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    shifts: list[int] = prepared["shifts"]
    gate = threading.Barrier(len(prepared["sessions"]))
    timings: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client(session: str) -> None:
        token = secrets.token_hex(16)  # 32 characters: a valid CSRF cookie of its own
        headers = {
            "Cookie": f"{prepared['session_cookie']}={session}; {prepared['csrf_cookie']}={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token})
        gate.wait()
        for shift_id in shifts:
            started = time.perf_counter()
            connection = http.client.HTTPConnection(host, port, timeout=60)
            try:
                connection.request("POST", f"/en/field/shifts/{shift_id}/sign-up/", body, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 0
            finally:
                connection.close()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(s,)) for s in prepared["sessions"]]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "clients": len(threads),
        "workers": workers,
        "shifts": len(shifts),
        "places": RACE_PLACES,
        "requests": len(timings),
        "seconds": round(seconds, 2),
        "signups_per_second": round(len(timings) / seconds, 1),
        **latency(timings),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def run_race(workers: int) -> dict[str, Any]:
    from alongside.demo.server import demo_server

    with demo_server(workers=workers, threads=THREADS) as server:
        prepared = _in_server(server, "--prepare-race", server.var_dir / "race.json")
        result = _race(server.url, prepared, workers)
        ids = ",".join(map(str, prepared["shifts"]))
        counts = _in_server(server, "--count-race", server.var_dir / "counts.json", "--ids", ids)
    over = [
        shift_id
        for shift_id, by_status in counts.items()
        if by_status.get("confirmed", 0) + by_status.get("offered", 0) > by_status["places"]
    ]
    result.update(
        confirmed=sum(c.get("confirmed", 0) for c in counts.values()),
        waiting=sum(c.get("waiting", 0) for c in counts.values()),
        overbooked=over,
    )
    return result


# --- the parent ------------------------------------------------------------------------------


def report(result: dict[str, Any]) -> int:
    measures = [Measure(**m) for m in result["measures"]]
    header = (
        f"{'field page':26} {'volunteers':>10} {'shifts':>7} {'queries':>8} {'median ms':>10} "
        f"{'p95 ms':>9} {'requests':>9}  status"
    )
    print(header)
    print("-" * len(header))
    for m in measures:
        print(
            f"{m.name:26} {m.volunteers:10,} {m.shifts:7,} {m.queries:8d} {m.median_ms:10.1f} "
            f"{m.p95_ms:9.1f} {m.requests:9d}  {m.status}"
        )
    sizes = ", ".join(f"{v:,} volunteers/{s:,} shifts" for v, s in SIZES)
    failed = report_failures(
        result,
        [m.name for m in measures if m.status != 200],
        most=label(MANY),
        same=f"{sizes} on every page",
    )
    race = result.get("race")
    if race is not None:
        print(
            f"\nSign-ups, {race['clients']} concurrent clients on {race['shifts']} shifts of "
            f"{race['places']} places (gunicorn, {race['workers']} workers of {THREADS} threads): "
            f"{race['requests']} sign-ups in "
            f"{race['seconds']}s, {race['signups_per_second']} sign-ups/s, median "
            f"{race['median_ms']} ms, p95 {race['p95_ms']} ms; {race['confirmed']} confirmed, "
            f"{race['waiting']} on waiting lists; answers {race['statuses']}."
        )
        if race["overbooked"]:
            failed = True
            print(f"\nShifts overbooked: {', '.join(race['overbooked'])}", file=sys.stderr)
        if set(race["statuses"]) != {"302"}:
            failed = True
            print("\nNot every sign-up was answered with its redirect (302).", file=sys.stderr)
        if race["confirmed"] + race["waiting"] != race["requests"]:
            # A redirect to the login page is a 302 too: count what the database holds.
            failed = True
            print(
                f"\n{race['requests']} sign-ups sent, "
                f"{race['confirmed'] + race['waiting']} recorded.",
                file=sys.stderr,
            )
    return 1 if failed else 0


def run(
    requests: int, workers: int = 2, json_path: Path | None = None
) -> tuple[int, dict[str, Any] | None]:
    """Measure the pages in a child process with its own VAR_DIR, then the sign-ups against a
    throwaway gunicorn; return the exit code and the results."""
    result = run_child(__file__, "field", requests)
    if result is None:
        return 1, None
    print(f"  sign-ups: {CLIENTS} volunteers racing for {RACE_SHIFTS} shifts on gunicorn...")
    try:
        result["race"] = run_race(workers)
    except (RuntimeError, subprocess.SubprocessError) as error:
        print(f"The sign-up benchmark failed: {error}", file=sys.stderr)
        return 1, result
    code = report(result)
    if json_path is not None:
        json_path.write_text(json.dumps({"pages": result["measures"], "race": result["race"]}))
    return code, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=20, help="requests per page and size")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare-race", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count-race", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ids", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    requests = max(3, min(args.requests, 500))  # bounded, whatever is asked
    if args.child or args.prepare_race or args.count_race:
        assert args.out is not None
        if args.prepare_race:
            prepare_race(args.out)
        elif args.count_race:
            count_race(args.out, [int(i) for i in args.ids.split(",") if i])
        else:
            args.out.write_text(json.dumps(run_in_child(requests)))
        return 0
    sizes = ", ".join(f"{v:,}/{s:,}" for v, s in SIZES)
    print(f"Field pages with {sizes} volunteers/shifts (in-process, DEBUG off), then sign-ups...")
    code, _result = run(requests, max(1, min(args.workers, 8)), args.json)
    return code


if __name__ == "__main__":
    sys.exit(main())
