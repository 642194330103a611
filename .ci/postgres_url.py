"""Print a DATABASE_URL for a PostgreSQL server on this machine, starting one when none answers.

Used by `make test-postgres` when DATABASE_URL is not given. Order of attempts:
1. a server on 127.0.0.1:5432 that trusts local connections (developer machines, CI);
2. the same server with the password this script set on an earlier run;
3. no server answering: install Debian's PostgreSQL (as root), start it, set that password.
pytest-django then creates and drops its own test database on the server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

HOST, PORT = "127.0.0.1", 5432
# Only ever set on a throwaway local test server that listens on loopback.
LOCAL_PASSWORD = "alongside-local-tests"
CANDIDATES = [
    f"postgres://postgres@{HOST}:{PORT}/alongside",
    f"postgres://postgres:{LOCAL_PASSWORD}@{HOST}:{PORT}/alongside",
]


def log(message: str) -> None:
    print(f"postgres_url: {message}", file=sys.stderr)


def answers(url: str) -> bool:
    # Connect to the maintenance database: the one in the URL is created by the tests.
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5):
            return True
    except psycopg.OperationalError:
        return False


def listening() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=3):
            return True
    except OSError:
        return False


def run(*command: str) -> None:
    log("$ " + " ".join(command))
    subprocess.run(command, check=True, stdout=sys.stderr)  # noqa: S603  (fixed commands)


def start_local_server() -> None:
    if os.geteuid() != 0:
        sys.exit("postgres_url: no PostgreSQL answers on 127.0.0.1:5432; set DATABASE_URL")
    if not shutil.which("pg_ctlcluster"):
        run("apt-get", "update", "-qq")
        env_install = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq"]
        run(*env_install, "postgresql")
    if not listening():
        versions = (
            sorted(Path("/etc/postgresql").iterdir()) if Path("/etc/postgresql").exists() else []
        )
        if not versions:
            sys.exit("postgres_url: PostgreSQL is installed but has no cluster")
        run("pg_ctlcluster", "--skip-systemctl-redirect", versions[-1].name, "main", "start")
        for _ in range(30):
            if listening():
                break
            time.sleep(1)


def set_local_password() -> None:
    # Debian lets the postgres OS user in through the socket; TCP from root needs a password.
    sql = f"ALTER USER postgres PASSWORD '{LOCAL_PASSWORD}'"
    run("su", "postgres", "-c", f'psql -q -c "{sql}"')


def main() -> None:
    for url in CANDIDATES:
        if answers(url):
            print(url)
            return
    start_local_server()
    if not answers(CANDIDATES[0]):
        set_local_password()
    for url in CANDIDATES:
        if answers(url):
            print(url)
            return
    sys.exit("postgres_url: could not connect to the local PostgreSQL server")


if __name__ == "__main__":
    main()
