"""A throwaway copy of the site with the demo data, served by gunicorn on a free loopback port.

The browser tests (`e2e/`) and the benchmark (`bench/run.py`) use it, so that both exercise the
real production stack (gunicorn, WhiteNoise with compressed manifest static files, DEBUG off)
against a fresh SQLite database in a temporary VAR_DIR, and never touch the developer's `var/`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"


@dataclass(frozen=True)
class DemoServer:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    var_dir: Path
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(var_dir: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # A fresh SQLite database and generated secrets, whatever the caller's shell has set.
        if key not in {"DATABASE_URL", "SECRET_KEY", "ENCRYPTION_KEYS", "REDIS_URL", "HTTPS"}
    }
    env.update(
        VAR_DIR=str(var_dir),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        # Notifications are sent (to files in VAR_DIR/mail) within the request: no worker needed.
        TASKS_BACKEND=IMMEDIATE_TASKS,
        PYTHONUNBUFFERED="1",
    )
    env.pop("TESTING", None)
    return env


def prepare(var_dir: Path, env: dict[str, str], log: Path) -> None:
    """What `make demo` does, into `var_dir`."""
    commands = [
        ["migrate", "--noinput", "--verbosity", "0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
        ["load_demo", "--verbosity", "0"],
    ]
    with log.open("a") as out:
        for command in commands:
            subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
                [sys.executable, "manage.py", *command],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=300,
            )


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url}/healthz within {timeout:.0f}s")


@contextmanager
def demo_server(*, workers: int = 1, threads: int = 4, keep: bool = False) -> Iterator[DemoServer]:
    var_dir = Path(tempfile.mkdtemp(prefix="alongside-demo-"))
    log_path = var_dir / "server.log"
    port = free_port()
    env = server_environment(var_dir, port)
    server = DemoServer(url=f"http://127.0.0.1:{port}", var_dir=var_dir, log_path=log_path)
    process: subprocess.Popen[bytes] | None = None
    try:
        try:
            prepare(var_dir, env, log_path)
        except subprocess.CalledProcessError as error:
            raise RuntimeError(
                f"preparing the demo failed: {error}\n{server.log_tail()}"
            ) from error
        with log_path.open("a") as out:
            process = subprocess.Popen(  # noqa: S603  (gunicorn, fixed arguments)
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "alongside.wsgi",
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={workers}",
                    f"--threads={threads}",
                    # Access log format: gunicorn.conf.py in BASE_DIR (no client addresses).
                    "--graceful-timeout=5",
                    # No shared socket in ~/.gunicorn: several servers may run at once.
                    "--no-control-socket",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_healthy(server.url, process)
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n{server.log_tail()}") from error
        yield server
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if not keep:
            shutil.rmtree(var_dir, ignore_errors=True)
