"""Content that groups write has English and Arabic versions side by side (`name_en`,
`name_ar`). Readers get their language, or English while the Arabic is still missing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def localized(obj: Any, field: str, language: str | None = None) -> str:
    language = (language or get_language() or "en")[:2]
    if language != "en":
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return str(value)
    return str(getattr(obj, f"{field}_en", "") or "")


def has_translation(obj: Any, field: str, language: str | None = None) -> bool:
    language = (language or get_language() or "en")[:2]
    return language == "en" or bool(getattr(obj, f"{field}_{language}", ""))
