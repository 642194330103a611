"""Closing proposals (helper B implements)."""

from __future__ import annotations

import datetime as dt


def close_due(now: dt.datetime) -> int:
    """Close every proposal whose test (or second round) deadline passed. Idempotent."""
    return 0
