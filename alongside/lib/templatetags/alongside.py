"""Template helpers: localized group content, safe Markdown, language links."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import timezone
from django.utils.safestring import SafeString

from alongside.lib.i18n import localized as _localized
from alongside.lib.markdown import render_markdown
from alongside.lib.timezones import field_zone, format_span, format_when, list_separator

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    """`{{ group|localized:"name" }}`: the reader's language, English when missing."""
    return _localized(obj, field)


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def localized_markdown(obj: Any, field: str) -> SafeString:
    return render_markdown(_localized(obj, field))


@register.simple_tag(takes_context=True)
def language_alternates(context: dict[str, Any]) -> list[dict[str, str]]:
    """The current page in each language, so that switching keeps the reader in place."""
    request: HttpRequest | None = context.get("request")
    path = request.get_full_path() if request else "/"
    return [
        {"code": code, "name": str(name), "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]


# --- times: the viewer's clock, the zone named (alongside.lib.timezones) ----------------------


@register.filter
def when(value: Any) -> str:
    """`{{ shift.starts_at|when }}`: "Fri 27 Nov 2026, 12:00 (America/Los Angeles)"."""
    return format_when(value) if value else ""


def _viewer_suffix(moment: Any) -> str:
    """`moment` on the viewer's clock (" · 10:00 (UTC)"), when that is not the field's."""
    viewer = timezone.get_current_timezone()
    if getattr(viewer, "key", None) == field_zone().key:
        return ""
    return " · " + format_when(moment, viewer, time_only=True)


@register.filter
def field_when(value: Any) -> str:
    """On the field's clock (Asia/Hebron), and on the viewer's too when that is another zone."""
    if not value:
        return ""
    return format_when(value, field_zone()) + _viewer_suffix(value)


@register.simple_tag
def span(start: Any, end: Any, field: bool = False) -> str:
    """`{% span shift.starts_at shift.ends_at field=True %}`: a span of time on one clock (the
    field's with `field=True`), then the viewer's start time when that clock is another."""
    if not start or not end:
        return ""
    if not field:
        return format_span(start, end)
    return format_span(start, end, field_zone()) + _viewer_suffix(start)


@register.filter
def list_of(items: Any) -> str:
    """`{{ names|list_of }}`: joined with the reader's comma (Arabic "، ")."""
    return list_separator().join(str(item) for item in items)
