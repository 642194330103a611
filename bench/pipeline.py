"""The pipeline board under load: the same number of queries with 10,000 applications as with
10, and how long it takes.

Run by `bench/run.py` (so by `make bench`) in a child process, against a throwaway SQLite
database in a temporary VAR_DIR: migrate, one support group (Northern California, from the
demo's content) with the demo core member, then 10 applications and later 10,000, written with
`bulk_create` (which encrypts names and travel dates like `save()`). Each board page is fetched
in-process through Django's test client, signed in as the core member with the second factor
marked used (as `conftest.sign_in` does), with DEBUG off as in production. Reports the queries of
one request and the median and 95th percentile of N requests. Exits 1 when a page's queries grow
with the number of applications, or a page does not answer 200.

    .venv/bin/python bench/pipeline.py [--requests 30] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.common import (  # noqa: E402  (after sys.path is set)
    latency,
    measure_requests,
    prepare_database,
    report_failures,
    run_child,
    signed_in_client,
)

BOARD = "/en/manage/northern-california/pipeline/"
FEW, MANY = 10, 10_000
BATCH = 1_000
# The board as a core member opens it, its last page, and two filters: by stage (SQL) and by
# presence window (the dates are encrypted, so every candidate is decrypted in Python; see
# docs/decisions/0006-filtering-encrypted-presence-dates.md). Those pages need fewer requests.
PAGES: list[tuple[str, str, float]] = [
    ("board", BOARD, 1.0),
    ("board, stage filter", f"{BOARD}?stage=training", 1.0),
    ("board, last page", f"{BOARD}?page=999999", 1.0),
    ("board, presence window", f"{BOARD}?present_from=2027-01-01&present_to=2027-01-31", 0.2),
]


@dataclass
class Measure:
    name: str
    path: str
    applications: int
    queries: int
    requests: int
    median_ms: float
    p95_ms: float
    status: int


# --- the child process: Django, in-process ---------------------------------------------------


def _world() -> tuple[Any, Any, Any]:
    """Northern California, its core member and a campaign period under way."""
    from django.utils import timezone

    from alongside.accounts.models import User
    from alongside.demo import content
    from alongside.movement.models import Group, Membership, Role
    from alongside.volunteers.models import CampaignPeriod

    data = dict(next(g for g in content.GROUPS if g["slug"] == "northern-california"))
    group = Group.objects.create(**data)
    person = next(p for p in content.PEOPLE if p.persona == "core")
    core = User.objects.create_user(person.email, None, name=person.name)
    for role in (Role.MEMBER, Role.CORE):
        Membership.objects.create(group=group, user=core, role=role)
    today = timezone.localdate()
    period = CampaignPeriod.objects.create(
        group=group,
        name_en="Olive harvest 2026",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        target_volunteers=12,
    )
    return group, core, period


def _add_applications(group: Any, core: Any, period: Any, start: int, stop: int) -> None:
    """Applications number `start` to `stop - 1`, spread over every stage of the board, each
    with an account of its own (one open application per person and group)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from alongside.accounts.models import User
    from alongside.volunteers.forms.board import FILTER_STAGES
    from alongside.volunteers.models import Application

    now = timezone.now()
    today = timezone.localdate()
    unusable = make_password(None)
    for first in range(start, stop, BATCH):
        numbers = range(first, min(first + BATCH, stop))
        users = User.objects.bulk_create(
            User(email=f"bench-{n}@example.org", name=f"Bench {n}", password=unusable)
            for n in numbers
        )
        # The encrypted date fields are typed as text by django-stubs; they take dates.
        windows: list[dict[str, Any]] = [
            {"arrival_on": day, "departure_on": day + dt.timedelta(days=21)}
            for day in (dt.date(2027, 1, 1) + dt.timedelta(days=n % 180) for n in numbers)
        ]
        Application.objects.bulk_create(
            Application(
                user=user,
                group=group,
                campaign_period=period if n % 3 else None,
                stage=FILTER_STAGES[n % len(FILTER_STAGES)],
                full_name=f"Bench Applicant {n}",
                country="US",
                languages=["en", "es"] if n % 4 else ["en"],
                owner=core if n % 2 else None,
                step_due_on=today + dt.timedelta(days=n % 30 - 10) if n % 2 else None,
                submitted_at=now - dt.timedelta(minutes=n),
                stage_changed_at=now,
                **window,
            )
            for n, user, window in zip(numbers, users, windows, strict=True)
        )


def _measure(
    client: Any, name: str, path: str, applications: int, requests: int
) -> tuple[Measure, list[str]]:
    status, _size, queries, timings = measure_requests(client, path, requests)
    measure = Measure(
        name=name,
        path=path,
        applications=applications,
        queries=len(queries),
        requests=requests,
        status=status,
        **latency(timings),
    )
    return measure, queries


def run_in_child(requests: int) -> dict[str, Any]:
    import django

    django.setup()
    from alongside.volunteers.models import Application

    prepare_database()
    group, core, period = _world()
    client = signed_in_client(core)
    measures: list[Measure] = []
    sql: dict[str, dict[int, list[str]]] = {}
    total = 0
    for count in (FEW, MANY):
        started = time.perf_counter()
        _add_applications(group, core, period, total, count)
        total = count
        assert Application.objects.filter(group=group).count() == total
        print(f"  {total:,} applications written in {time.perf_counter() - started:.1f}s")
        for name, path, share in PAGES:
            measure, queries = _measure(client, name, path, total, max(3, round(requests * share)))
            measures.append(measure)
            sql.setdefault(name, {})[total] = queries
    growing = [name for name, by_count in sql.items() if len(by_count[MANY]) != len(by_count[FEW])]
    return {"measures": [asdict(m) for m in measures], "growing": growing, "sql": sql}


# --- the parent ------------------------------------------------------------------------------


def report(result: dict[str, Any]) -> int:
    measures = [Measure(**m) for m in result["measures"]]
    header = (
        f"{'pipeline page':26} {'applications':>12} {'queries':>8} {'median ms':>10} "
        f"{'p95 ms':>9} {'requests':>9}  status"
    )
    print(header)
    print("-" * len(header))
    for m in measures:
        print(
            f"{m.name:26} {m.applications:12,} {m.queries:8d} {m.median_ms:10.1f} "
            f"{m.p95_ms:9.1f} {m.requests:9d}  {m.status}"
        )
    failed = report_failures(
        result,
        [m.name for m in measures if m.status != 200],
        most=str(MANY),
        same=f"{FEW} and {MANY:,} applications on every page",
    )
    return 1 if failed else 0


def run(requests: int, json_path: Path | None = None) -> tuple[int, dict[str, Any] | None]:
    """Measure in a child process with its own VAR_DIR; return the exit code and results."""
    result = run_child(__file__, "pipeline", requests)
    if result is None:
        return 1, None
    code = report(result)
    if json_path is not None:
        json_path.write_text(json.dumps(result["measures"], indent=2))
    return code, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=30, help="requests per board page")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    requests = max(3, min(args.requests, 500))  # bounded, whatever is asked
    if args.child:
        result = run_in_child(requests)
        assert args.out is not None
        args.out.write_text(json.dumps(result))
        return 0
    print(f"Pipeline board with {FEW} and then {MANY:,} applications (in-process, DEBUG off)...")
    code, _result = run(requests, args.json)
    return code


if __name__ == "__main__":
    sys.exit(main())
