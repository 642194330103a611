"""What the shift page shows about safety check-ins (owned by the safety part of the app)."""

from __future__ import annotations

from typing import Any

from alongside.field.models import SignUp


def panel_context(signup: SignUp | None) -> dict[str, Any]:
    """Context for `field/_checkin_panel.html` on the shift page of a confirmed volunteer."""
    return {"checkin_signup": signup}
