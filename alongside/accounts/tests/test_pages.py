"""Every allauth page wears the site's look, in English and Arabic, under the strict CSP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from alongside.accounts.tests.helpers import reauthenticated
from conftest import World, enable_totp, sign_in

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)

ANONYMOUS_PAGES = [
    "accounts/login/",
    "accounts/signup/",
    "accounts/password/reset/",
    "accounts/password/reset/done/",
    "accounts/confirm-email/",
    "accounts/inactive/",
]
SIGNED_IN_PAGES = [
    "accounts/home/",
    "accounts/email/",
    "accounts/password/change/",
    "accounts/logout/",
    "accounts/2fa/",
    "accounts/2fa/totp/activate/",
    "accounts/2fa/webauthn/add/",
    "accounts/2fa/webauthn/",
    "accounts/sessions/",
    "accounts/reauthenticate/",
]
WITH_TOTP_PAGES = [
    "accounts/2fa/totp/deactivate/",
    "accounts/2fa/recovery-codes/",
    "accounts/2fa/recovery-codes/generate/",
    "accounts/2fa/reauthenticate/",
]


def assert_follows_csp(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html)


def assert_site_page(html: str, language: str) -> None:
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert 'class="site-header"' in html
    assert "accounts/accounts.css" in html
    assert_follows_csp(html)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("page", ANONYMOUS_PAGES)
def test_anonymous_account_pages_render_in_the_site_layout(
    client: Client, world: World, language: str, page: str
) -> None:
    response = client.get(f"/{language}/{page}")
    assert response.status_code == 200
    assert_site_page(response.content.decode(), language)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_account_pages_render_in_the_site_layout(
    client: Client, world: World, language: str, page: str
) -> None:
    reauthenticated(sign_in(client, world.applicant))
    response = client.get(f"/{language}/{page}")
    assert response.status_code == 200, response.get("Location")
    assert_site_page(response.content.decode(), language)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("page", WITH_TOTP_PAGES)
def test_second_factor_pages_render_in_the_site_layout(
    client: Client, world: World, language: str, page: str
) -> None:
    enable_totp(world.applicant)
    RecoveryCodes.activate(world.applicant)
    reauthenticated(sign_in(client, world.applicant))
    response = client.get(f"/{language}/{page}")
    assert response.status_code == 200, response.get("Location")
    assert_site_page(response.content.decode(), language)


def test_the_passkey_page_loads_its_scripts_from_static_files(
    client: Client, world: World, settings: Any
) -> None:
    # Serve from the apps' static folders as `runserver` would, without collectstatic.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    reauthenticated(sign_in(client, world.applicant))
    html = client.get("/en/accounts/2fa/webauthn/add/").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert "/static/mfa/js/webauthn.js" in scripts
    assert "/static/mfa/js/webauthn-json.js" in scripts
    assert "/static/account/js/onload.js" in scripts
    assert 'data-allauth-onload="allauth.webauthn.forms.addForm" type="application/json"' in html
    assert '<script id="js_data" type="application/json">' in html
    for src in scripts:
        response = client.get(src)
        assert response.status_code == 200, src
        assert response["Content-Type"].startswith("text/javascript")
        assert b"function" in b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a file response


def test_the_sign_in_page_offers_a_passkey_through_a_static_script(
    client: Client, world: World
) -> None:
    html = client.get("/en/accounts/login/").content.decode()
    assert 'id="passkey_login"' in html
    assert '<form id="mfa_login" action="/en/accounts/2fa/webauthn/login/" method="post">' in html
    assert '<script src="/static/mfa/js/webauthn.js"></script>' in html
    assert_follows_csp(html)


def test_the_authenticator_app_page_shows_the_qr_code_as_an_image_and_the_secret_as_text(
    client: Client, world: World
) -> None:
    reauthenticated(sign_in(client, world.applicant))
    html = client.get("/ar/accounts/2fa/totp/activate/").content.decode()
    assert re.search(
        r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+" class="qr-code"', html
    )
    secret = client.session["mfa.totp.secret"]
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert '<code class="totp-secret" dir="ltr"' in html
    assert grouped in html
    assert "<svg" not in html
