"""Background work of sign-ups: emails about a person's place, offers that pass on when they
expire, and the reminders before a shift.

Every email carries a first name and a link to the shift page, nothing else: not the place, the
date, the community or who else is coming (an inbox may be searched at a border). Each is sent
once, however often its task runs: the notice's key is claimed before sending and released when
sending fails, so that the next run retries."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from alongside.accounts.models import User
from alongside.field.models import InvitationStatus, Shift, SignUp, SignUpStatus
from alongside.lib.email import absolute_url, send_notification
from alongside.lib.notices import send_once
from alongside.lib.timezones import field_zone

# What each change tells the person, and the status the sign-up must still have for it to be
# worth telling (an offer accepted in the meantime needs no email).
_CHANGES = {
    "offer": ("field/email/signup_offer", SignUpStatus.OFFERED),
    "assigned": ("field/email/signup_assigned", SignUpStatus.CONFIRMED),
    "removed": ("field/email/signup_removed", SignUpStatus.CANCELLED),
}
# The evening before a shift begins at this hour on the field's clock.
EVENING = dt.time(18, 0)
HOUR_BEFORE = dt.timedelta(hours=1)
# The furthest a shift can start after its evening-before reminder is due (18:00 to 23:59 the
# next day, plus an hour when the clocks change in between).
_LOOK_AHEAD = dt.timedelta(hours=32)


def _send(key: str, user: User, template: str, shift_id: int) -> int:
    def send() -> int:
        language = user.language or "en"
        with translation.override(language):
            link = absolute_url(reverse("field:shift", kwargs={"shift_id": shift_id}))
        return send_notification(
            to=[user.email],
            template=template,
            context={"first_name": user.first_name, "link": link},
            language=language,
        )

    return send_once(key, send)


@task()
def notify_signup(signup_id: int, change: str, moment: str) -> int:
    """Tell the person about a change to their place (`change`: offer, assigned, removed) that
    happened at `moment`; once per change."""
    template, status = _CHANGES[change]
    signup = SignUp.objects.select_related("user").filter(pk=signup_id, status=status).first()
    if signup is None:
        return 0  # moved on since: nothing to say, or a newer notice says it
    return _send(f"signup-{change}:{signup.pk}:{moment}", signup.user, template, signup.shift_id)


@task()
def notify_cover(shift_id: int, user_id: int) -> int:
    """Ask a volunteer to cover an open place on a shift; once per shift and person."""
    shift = Shift.objects.live().filter(pk=shift_id, starts_at__gt=timezone.now()).first()
    user = User.objects.filter(pk=user_id).first()
    if shift is None or user is None:
        return 0
    return _send(f"shift-cover:{shift_id}:{user_id}", user, "field/email/signup_cover", shift_id)


@task()
def pass_on_expired_offers() -> int:
    """Each minute: expired offers are cancelled and passed on to the next person waiting."""
    from alongside.field.actions.signups import pass_on_expired_offers as pass_on

    return pass_on()


@task()
def send_shift_reminders() -> int:
    """Every few minutes: from 18:00 (Hebron) the evening before a shift until an hour before
    it, a "confirm or cancel" reminder; in its last hour, an "in an hour" reminder; never after
    the start. Keyed on the shift's start too, so that a moved shift reminds again."""
    now = timezone.now()
    due = (
        SignUp.objects.filter(
            status=SignUpStatus.CONFIRMED,
            shift__is_cancelled=False,
            shift__invitation__status=InvitationStatus.ACTIVE,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + _LOOK_AHEAD,
        )
        .select_related("user", "shift")
        .order_by("shift__starts_at", "pk")
    )
    sent = 0
    for signup in due:
        starts_at = signup.shift.starts_at
        start = starts_at.isoformat()
        if now >= starts_at - HOUR_BEFORE:
            key = f"shift-reminder-hour:{signup.pk}:{start}"
            sent += _send(key, signup.user, "field/email/signup_reminder_hour", signup.shift_id)
        elif now >= evening_before(starts_at):
            key = f"shift-reminder-evening:{signup.pk}:{start}"
            sent += _send(key, signup.user, "field/email/signup_reminder_evening", signup.shift_id)
    return sent


def evening_before(starts_at: dt.datetime) -> dt.datetime:
    """18:00 on the field's clock the day before the shift starts."""
    zone = field_zone()
    day = starts_at.astimezone(zone).date() - dt.timedelta(days=1)
    return dt.datetime.combine(day, EVENING, tzinfo=zone)
