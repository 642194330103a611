"""Template helpers of the pipeline screens."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from alongside.volunteers.forms.applicant_countries import COUNTRY_NAMES

register = template.Library()


@register.filter
def country_name(code: str | None) -> str:
    """`"US"` → "United States" (or its Arabic name on Arabic pages); unknown codes as given."""
    names = COUNTRY_NAMES.get((code or "").upper())
    if not names:
        return code or ""
    return names[1] if (get_language() or "en").startswith("ar") else names[0]
