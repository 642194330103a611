"""gunicorn's access log without secrets in paths.

A referee's one-time link carries its token in the path (`/<lang>/volunteer/reference/<token>/`);
a log that kept it would keep a working link to a form about a named applicant. The access log
shows such paths with the token replaced, and so does a calendar feed's address
(`/calendar/<token>.ics`), which is a standing key to a person's shifts."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# Path segments that follow these words are secrets (one-time or feed tokens): a referee's
# link anywhere in a path, a calendar feed's `/calendar/<token>.ics` at the start of one.
_SECRET_PATH = re.compile(r"((?<!\S)/calendar/|/reference/)[^/\s]+")


def redact_path(path: str) -> str:
    return _SECRET_PATH.sub(r"\1…", path)


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_path(atoms[key])
        return atoms
