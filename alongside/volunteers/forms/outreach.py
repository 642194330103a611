from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RetentionForm(forms.Form):
    retention_months = forms.IntegerField(
        label=_("Keep personal data for (months after return)"),
        min_value=1,
        max_value=120,
        help_text=_(
            "After this many months, what identifies a returned, withdrawn or declined volunteer "
            "is deleted, unless they chose to stay in touch. Only anonymous counts remain."
        ),
        error_messages={
            "min_value": _("Keep it for at least one month."),
            "max_value": _("Ten years (120 months) is the longest the platform keeps it."),
            "invalid": _("Give a whole number of months."),
            "required": _("Give a whole number of months."),
        },
    )
