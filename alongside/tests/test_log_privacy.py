"""Logs are kept, copied and seized: they must not name who visited (DESIGN invariant 2)."""

from __future__ import annotations

import runpy
from pathlib import Path

from django.conf import settings

# gunicorn's atoms for the client's address, forwarded addresses, user agent, referrer, the
# request line and the query string (which may carry what a visitor typed in a GET form).
PERSONAL_ATOMS = ["%(h)s", "%(a)s", "%(f)s", "%(r)s", "%(q)s", "%(u)s", "X-Forwarded-For"]


def test_the_access_log_leaves_out_addresses_agents_referrers_and_query_strings() -> None:
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    log_format = config["access_log_format"]
    assert "%(U)s" in log_format  # the path, which never carries personal data
    for atom in PERSONAL_ATOMS:
        assert atom not in log_format, atom


def test_no_server_command_overrides_the_access_log_format() -> None:
    base = Path(settings.BASE_DIR)
    for path in [base / "Makefile", base / "alongside/demo/server.py", base / "bench/run.py"]:
        assert "access-logformat" not in path.read_text(), path


def test_one_time_tokens_in_paths_are_not_logged() -> None:
    from alongside.lib.gunicorn_logging import redact_path

    config = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    assert config["logger_class"] == "alongside.lib.gunicorn_logging.RedactingLogger"
    token = "q1w2e3r4t5y6u7i8o9p0-ASDFGHJKL_zxcvbnm123"
    redacted = redact_path(f"/en/volunteer/reference/{token}/")
    assert token not in redacted
    assert redacted == "/en/volunteer/reference/…/"
    assert redact_path("/ar/groups/london/") == "/ar/groups/london/"
