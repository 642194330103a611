"""Template helpers of the public site."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from alongside.lib.i18n import has_translation
from alongside.public.forms import language_name

register = template.Library()


@register.filter
def language_names(codes: Iterable[str] | None) -> str:
    """`["en", "es"]` → "English, Spanish", in the reader's language."""
    separator = pgettext("separator between items of a list", ", ")
    return separator.join(language_name(code) for code in codes or [] if isinstance(code, str))


@register.simple_tag
def fallback_lang(obj: Any, field: str) -> SafeString:
    """Attributes for a block of group-written text that is shown in English because the reader's
    language is missing, so that screen readers pronounce it as English and it runs left to
    right inside a right-to-left page."""
    if has_translation(obj, field):
        return mark_safe("")
    return mark_safe(' lang="en" dir="ltr"')


@register.filter
def is_translated(obj: Any, field: str) -> bool:
    """Has the group written `field` in the reader's language?"""
    return has_translation(obj, field)
