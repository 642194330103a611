"""What the benchmarks share: latency figures, the child process with its throwaway VAR_DIR and
its database, a signed-in test client, the queries and timings of a page, and the checks that
fail a run (queries growing with the rows, answers other than 200).

Imported before Django is set up: whatever needs Django imports it inside the function.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
# Queries of the session's own bookkeeping, which allauth does now and then whatever the page.
SESSION_TABLES = ("django_session", "usersessions")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def latency(timings: list[float]) -> dict[str, float]:
    """The median and 95th percentile of `timings`, in milliseconds, as the results keep them."""
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
    }


def label(size: tuple[int, int]) -> str:
    """How the results name a step of two sizes."""
    return f"{size[0]}/{size[1]}"


# --- the parent: a child process with a throwaway VAR_DIR -----------------------------------


def child_environment(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # A fresh SQLite database and generated keys, whatever the caller's shell has set.
        if key not in {"DATABASE_URL", "SECRET_KEY", "ENCRYPTION_KEYS", "REDIS_URL", "HTTPS"}
    }
    env.update(
        VAR_DIR=str(var_dir),
        DEBUG="0",
        ALLOWED_HOSTS="testserver",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        DJANGO_SETTINGS_MODULE="alongside.settings",
        PYTHONUNBUFFERED="1",
    )
    env.pop("TESTING", None)
    return env


def run_child(
    script: str, name: str, requests: int, env: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """Run `script --child` in its own VAR_DIR (`env` added to its environment) and return the
    results it wrote, or None when it failed."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"alongside-bench-{name}-"))
    out = var_dir / "result.json"
    try:
        completed = subprocess.run(
            [sys.executable, script, "--child", "--requests", str(requests), "--out", str(out)],
            cwd=BASE_DIR,
            env={**child_environment(var_dir), **(env or {})},
            check=False,
            timeout=600,
        )
        if completed.returncode != 0 or not out.exists():
            print(f"The {name} benchmark failed.", file=sys.stderr)
            return None
        result: dict[str, Any] = json.loads(out.read_text())
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return result


# --- the child process: Django, in-process ---------------------------------------------------


def prepare_database() -> None:
    """What `make demo` prepares: the schema, the cache table (rate limits), hashed static
    files."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)


def signed_in_client(user: Any) -> Any:
    """A test client signed in as `user`, the second factor marked used (as `conftest.sign_in`
    does)."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def fetch(client: Any, path: str) -> tuple[int, int]:
    """Status and size of one answer, streamed ones read to the end (their queries run then)."""
    response = client.get(path)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def measure_requests(
    client: Any, path: str, requests: int, *, warm: str | None = None, time_counted: bool = False
) -> tuple[int, int, list[str], list[float]]:
    """Fetch `path` once after a warm-up on `warm` (the same path unless given) to count its
    queries (the session's bookkeeping left out), then time `requests` fetches; when
    `time_counted`, the counted fetch is one of them. Returns the worst status, the size of the
    counted answer, its queries, and the timings in milliseconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch(client, warm or path)  # warm up: templates compiled, the session's bookkeeping done
    timings: list[float] = []
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        status, size = fetch(client, path)
    if time_counted:
        timings.append((time.perf_counter() - started) * 1000)
    queries = [
        q["sql"]
        for q in captured.captured_queries
        if not any(table in q["sql"] for table in SESSION_TABLES)
    ]
    while len(timings) < requests:
        started = time.perf_counter()
        status = max(status, fetch(client, path)[0])
        timings.append((time.perf_counter() - started) * 1000)
    return status, size, queries, timings


# --- the parent: the checks ------------------------------------------------------------------


def report_failures(result: dict[str, Any], bad: Iterable[str], *, most: str, same: str) -> bool:
    """Print, to stderr, the pages whose queries grow (with the queries of the largest step,
    `most`) and the pages `bad` that did not answer 200; or, when no query grows, that they are
    the "same number of queries with `same`". True when something failed."""
    failed = False
    for name in result["growing"]:
        failed = True
        by_size = result["sql"][name]
        counts = ", ".join(f"{len(q)} with {size}" for size, q in by_size.items())
        print(f"\n{name}: the queries grow ({counts}); with the most:", file=sys.stderr)
        print("\n".join(by_size[most]), file=sys.stderr)
    not_ok = sorted(set(bad))
    if not_ok:
        failed = True
        print(f"\nNot every answer was 200: {', '.join(not_ok)}", file=sys.stderr)
    if not result["growing"]:
        print(f"\nSame number of queries with {same}.")
    return failed
