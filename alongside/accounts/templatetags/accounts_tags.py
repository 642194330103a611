"""Template helpers for the account pages: the person's security status, readable secrets."""

from __future__ import annotations

from typing import Any

from django import template

from alongside.lib.access import has_second_factor, is_privileged, used_second_factor

register = template.Library()


@register.simple_tag(takes_context=True)
def security_status(context: dict[str, Any]) -> dict[str, bool]:
    """Whether the signed-in person needs, has, and has used a second factor in this session."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"privileged": False, "has_second_factor": False, "used_second_factor": False}
    return {
        "privileged": is_privileged(user),
        "has_second_factor": has_second_factor(user),
        "used_second_factor": used_second_factor(request),
    }


@register.filter
def group_by_four(secret: str) -> str:
    """`JBSWY3DPEHPK3PXP` → `JBSW Y3DP EHPK 3PXP`: easier to type into a phone without a slip."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
