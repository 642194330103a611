"""What the shift page shows about safety check-ins (owned by the safety part of the app).

The shift page includes `field/_checkin_panel.html` with `panel_context(signup)`: big "OK" and
"Need help" buttons while checking in is open, the next check-in due, the last one given and a
link to the incident note form. The buttons post to `safety:checkin`, which comes back to the
page it was sent from."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from alongside.field.actions.checkins import NOTE_MAX, checkin_window
from alongside.field.models import CheckIn, CheckInKind, SignUp, SignUpStatus


def panel_context(signup: SignUp | None, *, note: str = "", error: str = "") -> dict[str, Any]:
    """Context for `field/_checkin_panel.html` on the shift page of a confirmed volunteer (an
    empty panel for anyone else). `note` and `error` re-show what was typed and what was wrong."""
    if signup is None or signup.status != SignUpStatus.CONFIRMED:
        return {"checkin_signup": None}
    now = timezone.now()
    opens, closes = checkin_window(signup.shift)
    next_due = (
        CheckIn.objects.filter(signup=signup, answered_at__isnull=True, escalation__isnull=True)
        .exclude(kind=CheckInKind.EXTRA)
        .order_by("due_at", "pk")
        .first()
    )
    last_given = (
        CheckIn.objects.filter(signup=signup, answered_at__isnull=False)
        .order_by("-answered_at", "-pk")
        .first()
    )
    return {
        "checkin_signup": signup,
        "checkin_shift": signup.shift,
        "checkin_open": opens <= now <= closes,
        "checkin_opens_at": opens,
        "checkin_not_yet": now < opens,
        "checkin_next": next_due,
        "checkin_next_overdue": next_due is not None and next_due.due_at < now,
        "checkin_last": last_given,
        "checkin_note": note,
        "checkin_error": error,
        "checkin_note_max": NOTE_MAX,
    }
