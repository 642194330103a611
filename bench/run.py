"""`make bench`: how fast and how heavy the public pages are, served as in production.

Starts gunicorn on a free loopback port with a fresh copy of the demo data (see
`alongside.demo.server`), fetches each main public page a bounded number of times, sequentially
and then from a few concurrent clients, and reports median and 95th-percentile latency, bytes
of HTML, and throughput. Then the pipeline board with 10 and with 10,000 applications (see
`bench/pipeline.py`): its queries must not grow, and its median and 95th-percentile time are
reported. Only 127.0.0.1 is ever contacted. Exits non-zero if a page does not answer 200 or the
board's queries grow with the number of applications. Last, field work (see `bench/field.py`):
the coordinators' live board and "Shifts I can take" with 10, 100 and 2,000 volunteers (100,
1,000 and 20,000 shifts), whose queries must not grow, and sign-ups per second with 50
concurrent clients against gunicorn, which must never overbook a shift. Then decisions (see
`bench/decisions.py`): the index, a proposal in its test, the register and its exports with 10,
100 and 1,000 members (up to 5,000 closed proposals), and the close of a proposal with 1,000
answers, whose queries must not grow.

    .venv/bin/python bench/run.py [--requests 50] [--concurrency 4] [--pipeline-requests 30]
                                  [--field-requests 20] [--decisions-requests 20]
                                  [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

from alongside.demo.server import demo_server  # noqa: E402  (after sys.path is set)
from bench import decisions, field, pipeline  # noqa: E402
from bench.common import latency  # noqa: E402

PAGES = [
    "/en/",
    "/en/about/",
    "/en/principles/",
    "/en/principles/v1/",
    "/en/faq/",
    "/en/groups/",
    "/en/groups/northern-california/",
    "/en/groups/northern-california/contact/",
    "/en/get-involved/",
    "/en/accounts/login/",
    "/ar/",
    "/ar/groups/",
    "/healthz",
]


@dataclass
class PageResult:
    path: str
    requests: int
    median_ms: float
    p95_ms: float
    max_ms: float
    html_bytes: int
    statuses: list[int]


def fetch(url: str) -> tuple[int, int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, len(body), (time.perf_counter() - started) * 1000


def measure_page(base: str, path: str, requests: int) -> PageResult:
    fetch(base + path)  # warm up: the first request of a worker compiles templates
    timings: list[float] = []
    statuses: set[int] = set()
    size = 0
    for _ in range(requests):
        status, size, elapsed = fetch(base + path)
        statuses.add(status)
        timings.append(elapsed)
    return PageResult(
        path=path,
        requests=requests,
        **latency(timings),
        max_ms=round(max(timings), 2),
        html_bytes=size,
        statuses=sorted(statuses),
    )


def measure_concurrent(base: str, requests: int, concurrency: int) -> dict[str, float]:
    urls = [base + PAGES[i % len(PAGES)] for i in range(requests)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(fetch, urls))
    elapsed = time.perf_counter() - started
    timings = [result[2] for result in results]
    return {
        "requests": requests,
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(requests / elapsed, 1),
        **latency(timings),
        "errors": sum(1 for result in results if result[0] != 200),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=50, help="sequential requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--pipeline-requests", type=int, default=30, help="requests per pipeline board page"
    )
    parser.add_argument(
        "--field-requests", type=int, default=20, help="requests per field page and size"
    )
    parser.add_argument(
        "--decisions-requests", type=int, default=20, help="requests per decisions page and size"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    requests = max(1, min(args.requests, 1000))  # bounded, whatever is asked
    concurrency = max(1, min(args.concurrency, 16))

    print(f"Preparing a fresh demo site (gunicorn, {args.workers} workers, DEBUG off)...")
    with demo_server(workers=args.workers, threads=4) as server:
        print(f"Serving on {server.url}; {requests} sequential requests per page.\n")
        results = [measure_page(server.url, path, requests) for path in PAGES]
        concurrent = measure_concurrent(server.url, requests * len(PAGES), concurrency)

    header = f"{'page':42} {'median ms':>10} {'p95 ms':>10} {'max ms':>10} {'bytes':>9}  status"
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result.path:42} {result.median_ms:10.1f} {result.p95_ms:10.1f} "
            f"{result.max_ms:10.1f} {result.html_bytes:9d}  {','.join(map(str, result.statuses))}"
        )
    print(
        f"\nAll pages, {concurrent['concurrency']} concurrent clients: "
        f"{concurrent['requests']} requests in {concurrent['seconds']}s, "
        f"{concurrent['requests_per_second']} requests/s, median {concurrent['median_ms']} ms, "
        f"p95 {concurrent['p95_ms']} ms, {concurrent['errors']} errors."
    )

    print(f"\nPipeline board with {pipeline.FEW} and then {pipeline.MANY:,} applications...")
    pipeline_code, pipeline_result = pipeline.run(args.pipeline_requests)

    print("\nField work: the live board and the shifts a volunteer can take, then sign-ups...")
    field_code, field_result = field.run(
        max(3, min(args.field_requests, 500)), max(1, min(args.workers, 8))
    )

    print(
        "\nDecisions: the index, a proposal in its test, the register and its exports, the close..."
    )
    decisions_code, decisions_result = decisions.run(max(3, min(args.decisions_requests, 500)))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "pages": [asdict(r) for r in results],
                    "concurrent": concurrent,
                    "pipeline": pipeline_result["measures"] if pipeline_result else None,
                    "field": (
                        {"pages": field_result["measures"], "race": field_result.get("race")}
                        if field_result
                        else None
                    ),
                    "decisions": (
                        {
                            "pages": decisions_result["measures"],
                            "closes": decisions_result["closes"],
                        }
                        if decisions_result
                        else None
                    ),
                },
                indent=2,
            )
        )
    failures = [r.path for r in results if r.statuses != [200]] + (
        ["concurrent run"] if concurrent["errors"] else []
    )
    if failures:
        print(f"\nNot every answer was 200: {', '.join(failures)}", file=sys.stderr)
    if pipeline_code:
        print("\nThe pipeline board failed its check (see above).", file=sys.stderr)
    if field_code:
        print("\nThe field benchmark failed its check (see above).", file=sys.stderr)
    if decisions_code:
        print("\nThe decisions benchmark failed its check (see above).", file=sys.stderr)
    return 1 if failures or pipeline_code or field_code or decisions_code else 0


if __name__ == "__main__":
    sys.exit(main())
