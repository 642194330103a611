"""Template helpers: localized group content, safe Markdown, language links."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.safestring import SafeString

from alongside.lib.i18n import localized as _localized
from alongside.lib.markdown import render_markdown

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
