"""The headers that keep browsers from running, framing, caching or leaking what they should not,
on every page; and a production configuration that Django's own deployment check accepts."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from alongside.tests.urlmap import endpoints, path_for
from conftest import World, sign_in

PUBLIC_PAGES = [
    "/en/",
    "/en/about/",
    "/en/principles/",
    "/en/faq/",
    "/en/groups/",
    "/en/groups/northern-california/",
    "/en/groups/northern-california/contact/",
    "/en/get-involved/",
    "/en/accounts/login/",
    "/ar/",
    "/ar/groups/northern-california/",
    "/en/no-such-page/",
]


def _directives(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TESTING"}}
    env.update(
        VAR_DIR=str(tmp_path),
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="alongside.example",
        DJANGO_SETTINGS_MODULE="alongside.settings",
    )
    return env


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_carries_a_strict_content_security_policy(
    demo: None, client: Client, path: str
) -> None:
    response = client.get(path)
    assert response.status_code in {200, 404}
    policy = _directives(response)
    assert policy.get("default-src") == ["'none'"]
    assert policy.get("script-src") == ["'self'"], "no inline or foreign scripts"
    assert policy.get("style-src") == ["'self'"], "no inline or foreign styles"
    assert policy.get("frame-ancestors") == ["'none'"]
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("base-uri") == ["'none'"]
    assert policy.get("form-action") == ["'self'"]
    for sources in policy.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(sources)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_carries_the_other_security_headers(
    demo: None, client: Client, path: str
) -> None:
    response = client.get(path)
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
        assert feature in permissions


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_hold_no_inline_script_style_or_event_handler(
    demo: None, client: Client, path: str
) -> None:
    """The policy would block them, so a page that had one would be broken for every visitor."""
    html = client.get(path).content.decode()
    # A JSON data block (type="application/json") is not executed; anything else needs src.
    inline = r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>"
    assert not re.search(inline, html, re.I), "inline <script>"
    assert not re.search(r"<style\b", html, re.I), "inline <style>"
    assert not re.search(r"\sstyle\s*=", html, re.I), 'style="..." attribute'
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "inline event handler"


def test_public_pages_may_be_cached_by_the_browser_when_nobody_is_signed_in(
    demo: None, client: Client
) -> None:
    response = client.get("/en/about/")
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_signed_in_home_is_never_stored(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    response = client.get("/en/accounts/home/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("persona", ["volunteer", "core"])
def test_every_page_shown_to_a_signed_in_person_is_never_stored(
    world: World, samples: dict[str, Any], persona: str
) -> None:
    client = sign_in(Client(), world.persona(persona))
    problems = []
    for endpoint in endpoints():
        if endpoint.name is None:
            continue
        for language in ("en", "ar"):
            path = path_for(endpoint, samples, language)
            response = client.get(path)
            if "no-store" not in response.headers.get("Cache-Control", ""):
                problems.append(f"{path}: Cache-Control {response.headers.get('Cache-Control')}")
            is_page = response.status_code == 200 and "text/html" in response["Content-Type"]
            policy = response.headers.get("Content-Security-Policy", "")
            if is_page and "script-src 'self'" not in policy:
                problems.append(f"{path}: no strict Content-Security-Policy")
    assert not problems, "\n".join(problems)


def test_a_production_configuration_passes_djangos_deployment_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Run in a separate process so that the settings are read from the environment as in production.
_PRODUCTION_REQUEST = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="alongside.example")
secure = client.get("/healthz", secure=True)
plain = client.get("/en/about/", secure=False)
print(json.dumps({
    "secure_status": secure.status_code,
    "hsts": secure.headers.get("Strict-Transport-Security", ""),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
}))
"""


def test_https_sites_send_hsts_and_redirect_plain_http(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_REQUEST],
        cwd=settings.BASE_DIR,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["secure_status"] == 200
    hsts = answer["hsts"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))  # type: ignore[union-attr]
    assert max_age >= 31536000
    assert "includeSubDomains" in hsts
    assert answer["plain_status"] == 301
    assert answer["plain_location"].startswith("https://alongside.example/")
