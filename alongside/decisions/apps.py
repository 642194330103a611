from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "alongside.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
