from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "alongside.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")
