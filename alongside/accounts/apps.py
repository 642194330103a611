from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
    label = "accounts"
    # allauth's own app is already called "Accounts" in the admin.
    verbose_name = _("People")
    default = True

    def ready(self) -> None:
        from alongside.accounts import key_rotation, receivers  # noqa: F401  (connects signals)

        key_rotation.register()


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app with our site: staff only, through allauth's sign-in, with a second
    factor used in the session (see `admin_site.AlongsideAdminSite`)."""

    default = False
    default_site = "alongside.accounts.admin_site.AlongsideAdminSite"
