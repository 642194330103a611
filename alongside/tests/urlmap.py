"""The whole URL map as a list, for the tests that must cover every page (permissions, security
headers), so that a new page is checked as soon as it is in the map. The `samples` fixture in
`conftest.py` gives the arguments to open each one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

GROUP_SLUG = "northern-california"
# The field team of the `world` fixture: the field coordinators' screens name it.
TEAM_SLUG = "palestine"


@dataclass(frozen=True)
class Endpoint:
    route: str  # the pattern as text, for messages
    name: str | None  # "namespace:name"
    callback: Callable[..., Any]
    kwargs: tuple[str, ...]

    @property
    def module(self) -> str:
        return getattr(self.callback, "__module__", "") or ""

    @property
    def label(self) -> str:
        return f"/{self.route} ({self.name or 'unnamed'} → {self.module})"


def _walk(
    patterns: list[URLPattern | URLResolver],
    prefix: str = "",
    namespace: str | None = None,
    kwargs: tuple[str, ...] = (),
) -> Iterator[Endpoint]:
    for pattern in patterns:
        names = tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), inner, kwargs + names
            )
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Endpoint(prefix + str(pattern.pattern), name, pattern.callback, kwargs + names)


def endpoints() -> list[Endpoint]:
    """Every URL pattern, recursively (the admin's and allauth's too), with English prefixes."""
    with translation.override("en"):
        return list(_walk(get_resolver().url_patterns))


def path_for(endpoint: Endpoint, samples: dict[str, Any], language: str = "en") -> str:
    unknown = [name for name in endpoint.kwargs if name not in samples]
    assert not unknown, f"no sample value for {unknown} in {endpoint.label}: add one to `samples`"
    with translation.override(language):
        return reverse(endpoint.name or "", kwargs={k: samples[k] for k in endpoint.kwargs})
