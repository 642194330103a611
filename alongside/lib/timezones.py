"""Whose clock a time is shown on.

Times are stored in UTC. A page shows them in the viewer's zone, named, so that a volunteer in
Oakland and a partner in Bil'in read the same instant without doing sums: the zone the person
chose on their account page, else the one their browser reports (a small script stores it in the
`tz` cookie), else the site's (`settings.TIME_ZONE`). Field work is scheduled in the field's zone
(`settings.FIELD_TIME_ZONE`, Asia/Hebron), whatever the viewer's.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone, translation

COOKIE = "tz"


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_zones())]


def zone_named(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone called `name`, or None for anything that is not a known zone's name."""
    if not name or name not in known_zones():
        return None
    return zoneinfo.ZoneInfo(name)


def field_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.FIELD_TIME_ZONE)


def zone_of(request: HttpRequest) -> zoneinfo.ZoneInfo:
    user = getattr(request, "user", None)
    chosen = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
    return (
        zone_named(chosen)
        # The script stores the name URL-encoded ("America%2FLos_Angeles").
        or zone_named(unquote(request.COOKIES.get(COOKIE, "")))
        or zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )


class TimeZoneMiddleware:
    """Activate the viewer's zone for the request (forms read typed times in it too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(zone_of(request)):
            return self.get_response(request)


def zone_label(zone: dt.tzinfo | None = None) -> str:
    """The zone's name as people read it: "Asia/Hebron", "America/Los Angeles"."""
    zone = zone or timezone.get_current_timezone()
    return str(getattr(zone, "key", zone)).replace("_", " ")


# Clock times and zone names are left-to-right islands in an Arabic sentence: without an isolate,
# "07:00 to 15:00" with an en dash is laid out as "15:00 to 07:00" on a right-to-left page.
LRI, PDI, NBSP = "\u2066", "\u2069", "\u00a0"


def _ltr(text: str) -> str:
    # No-break spaces inside: a line break within an isolate scatters "12:00 (America/Los
    # Angeles)" across an Arabic line.
    return f"{LRI}{text.replace(' ', NBSP)}{PDI}"


def _date(value: dt.datetime) -> str:
    return formats.date_format(value, "D j M Y")


def _clock(value: dt.datetime) -> str:
    return formats.date_format(value, "H:i")


def list_separator() -> str:
    """The reader's comma between the items of a list or a date and a time (Arabic "، ")."""
    return "، " if translation.get_language_bidi() else ", "


def format_when(
    value: dt.datetime, zone: dt.tzinfo | None = None, *, time_only: bool = False
) -> str:
    """`value` on the clock of `zone` (the viewer's by default), the zone named:
    "Fri 27 Nov 2026, 12:00 (Asia/Hebron)"."""
    zone = zone or timezone.get_current_timezone()
    local = value.astimezone(zone)
    clock = _ltr(f"{_clock(local)} ({zone_label(zone)})")
    return clock if time_only else f"{_date(local)}{list_separator()}{clock}"


def format_span(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """ "Fri 27 Nov 2026, 12:00 to 15:00 (Asia/Hebron)" joined by an en dash; the end's date
    too when it is another day."""
    zone = zone or timezone.get_current_timezone()
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    label = zone_label(zone)
    if local_start.date() == local_end.date():
        clocks = _ltr(f"{_clock(local_start)}\u2013{_clock(local_end)} ({label})")
        return f"{_date(local_start)}{list_separator()}{clocks}"
    return (
        f"{_date(local_start)}{list_separator()}{_ltr(_clock(local_start))} \u2013 "
        f"{_date(local_end)}{list_separator()}{_ltr(f'{_clock(local_end)} ({label})')}"
    )
