"""Private iCalendar feeds (RFC 5545): a volunteer's shifts, a partner community's invitations.

Calendar apps copy a feed to their makers' servers, so a feed holds no more than its owner
already sees, and less where that is enough: the kind of activity, the community's name and its
locality (never the exact place or coordinates), the times, a link back, and for partners the
number of volunteers coming. No names at all.

Times are written on the field's clock with its VTIMEZONE, so that a calendar app shows a
Friday demonstration at noon in Bil'in whatever its own zone and whatever daylight-saving did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.field.models import Shift, SignUpStatus
from alongside.lib.email import absolute_url
from alongside.lib.i18n import localized
from alongside.lib.timezones import field_zone
from alongside.movement.models import PartnerCommunity

# Past shifts kept in a feed: enough to look back at last month.
KEEP_PAST = dt.timedelta(days=30)
# Shifts further ahead than this are left out of a feed (recurring ones are laid out 8 weeks).
LOOK_AHEAD = dt.timedelta(days=400)


def volunteer_feed(user: object, *, language: str = "en") -> bytes:
    """The person's confirmed shifts, from a month ago on; shifts cancelled while they were on
    them stay, marked cancelled, so that calendar apps take them away."""
    now = timezone.now()
    shifts = (
        Shift.objects.filter(
            Q(signups__user=user, signups__status=SignUpStatus.CONFIRMED)
            | Q(
                signups__user=user,
                signups__status=SignUpStatus.CANCELLED,
                is_cancelled=True,
                signups__cancelled_at__gte=F("cancelled_at"),
            ),
            ends_at__gte=now - KEEP_PAST,
            starts_at__lte=now + LOOK_AHEAD,
        )
        .select_related("invitation__community")
        .distinct()
        .order_by("starts_at", "pk")
    )
    with translation.override(language):
        return _calendar(
            shifts,
            name=_("My shifts"),
            link=_shift_link,
            description=lambda shift: "",
        )


def community_feed(community: PartnerCommunity, *, language: str = "ar") -> bytes:
    """The community's invitations' shifts, from a month ago on, each with how many volunteers
    are coming of those asked for."""
    now = timezone.now()
    shifts = (
        Shift.objects.filter(
            invitation__community=community,
            ends_at__gte=now - KEEP_PAST,
            starts_at__lte=now + LOOK_AHEAD,
        )
        .select_related("invitation__community")
        .annotate(
            coming=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
        )
        .order_by("starts_at", "pk")
    )
    with translation.override(language):
        return _calendar(
            shifts,
            name=localized(community, "name"),
            link=lambda shift: absolute_url(
                reverse("partner:invitation", kwargs={"invitation_id": shift.invitation_id})
            ),
            description=lambda shift: (
                _("Volunteers coming: %(coming)d; asked for: %(low)d to %(high)d.")
                % {
                    "coming": shift.coming,  # type: ignore[attr-defined]
                    "low": shift.min_volunteers,
                    "high": shift.places,
                }
            ),
        )


def _calendar(
    shifts: Iterable[Shift],
    *,
    name: str,
    link: Callable[[Shift], str],
    description: Callable[[Shift], str],
) -> bytes:
    zone = field_zone()
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Alongside//Field shifts//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone.key)
    stamp = timezone.now()
    first: dt.date | None = None
    last: dt.date | None = None
    for shift in shifts:
        invitation = shift.invitation
        community = invitation.community
        event = icalendar.Event()
        event.add("uid", f"shift-{shift.pk}@{_host()}")
        event.add("dtstamp", stamp)
        event.add("last-modified", shift.changed_at)
        event.add("dtstart", shift.starts_at.astimezone(zone))
        event.add("dtend", shift.ends_at.astimezone(zone))
        event.add("summary", f"{invitation.get_kind_display()} · {localized(community, 'name')}")
        locality = localized(community, "locality")
        if locality:
            event.add("location", locality)
        text = description(shift)
        if text:
            event.add("description", text)
        event.add("url", link(shift))
        cancelled = shift.is_cancelled or invitation.status != "active"
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
        day = shift.starts_at.astimezone(zone).date()
        first = day if first is None else min(first, day)
        last = day if last is None else max(last, day)
    if first is not None and last is not None:
        # The zone's rules around the feed's dates only: the whole history would be kilobytes.
        cal.add_missing_timezones(
            first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366)
        )
    return cal.to_ical()


def _shift_link(shift: Shift) -> str:
    """The volunteer's shift page."""
    return absolute_url(reverse("field:shift", kwargs={"shift_id": shift.pk}))


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "alongside"
