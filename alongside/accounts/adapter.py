"""Extension points of django-allauth: how people sign up and sign in, what emails say, and how
second-factor secrets are kept."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.forms import BaseForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

# Secrets of authenticator apps and the seed of recovery codes are encrypted with this context,
# so a value copied into another column cannot be decrypted there.
from alongside.accounts.key_rotation import MFA_SECRET_CONTEXT
from alongside.lib.access import has_second_factor, is_privileged
from alongside.lib.crypto import decrypt_value, encrypt_value


def _supported_language(code: str | None) -> str:
    code = (code or settings.LANGUAGE_CODE)[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: BaseForm, commit: bool = True
    ) -> AbstractBaseUser:
        """Sign-up asks only for an email address, a password and, if the person wants, a name;
        the language they signed up in becomes the language of their emails."""
        user = super().save_user(request, user, form, commit=False)
        user.language = _supported_language(translation.get_language())  # type: ignore[attr-defined]
        name = (form.cleaned_data.get("name") or "").strip()
        if name:
            user.name = name  # type: ignore[attr-defined]
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # People who can see others' data must set up a second factor before anything else.
        if is_privileged(request.user) and not has_second_factor(request.user):
            return reverse("mfa_index")
        return super().get_login_redirect_url(request)

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """Security notices greet the person by first name and link to a password reset; they
        leave out the IP address and browser that allauth would add."""
        request = self.request
        reset_url = build_absolute_uri(request, reverse("account_reset_password"))
        super().send_notification_mail(
            template_prefix,
            user,
            {**(context or {}), "user": user, "password_reset_url": reset_url},
            email,
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Write to a person in the language they chose, not the one of whoever triggered it."""
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(_supported_language(language)):
            super().send_mail(template_prefix, email, context)


class MFAAdapter(DefaultMFAAdapter):
    """A copy of the database must not hand out working second factors: the TOTP secret and the
    recovery-code seed are encrypted with the platform's keys (`alongside.lib.crypto`)."""

    def encrypt(self, text: str) -> str:
        return encrypt_value(text, context=MFA_SECRET_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_value(encrypted_text, context=MFA_SECRET_CONTEXT)
