"""Accounts: people who sign in, by email, with a second factor when they can see others' data.

Roles are not stored here: they come from memberships in groups and partner communities
(`alongside.movement`), so that a person can hold several roles in several groups.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


def _new_security_stamp() -> str:
    return secrets.token_hex(16)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("How others in your group see you.")
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("en", _("English")), ("ar", _("Arabic"))],
        default="en",
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Empty: the zone your browser reports."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Part of the session hash: changing it signs out every other session of this person
    # (used when the password or a second factor changes).
    security_stamp = models.CharField(max_length=32, default=_new_security_stamp, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def first_name(self) -> str:
        """The only part of a name that may appear in an email body (DESIGN invariant 2)."""
        return self.name.split(" ")[0] if self.name else ""

    def get_short_name(self) -> str:
        return self.first_name

    def get_full_name(self) -> str:
        return self.name

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "alongside.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.security_stamp}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def rotate_security_stamp(self) -> None:
        self.security_stamp = _new_security_stamp()
        self.save(update_fields=["security_stamp"])
