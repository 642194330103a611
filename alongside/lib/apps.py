from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibConfig(AppConfig):
    """Holds the models of the shared helpers: the audit log and key-rotation progress."""

    name = "alongside.lib"
    label = "lib"
    verbose_name = _("Platform")
