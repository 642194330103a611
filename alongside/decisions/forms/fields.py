"""Choice fields the decisions' forms share: people by the names they gave themselves (never
their addresses), mandates with the day they end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or gettext("(no name given)"))


class MandateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return gettext("%(title)s (until %(until)s)") % {
            "title": obj.title,
            "until": obj.until.isoformat(),
        }
