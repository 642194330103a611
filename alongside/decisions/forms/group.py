"""Forms of a group's decision pages: an excused absence, an action item, the register's search
and filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.decisions.forms.fields import PersonChoiceField
from alongside.decisions.models import ActionItem, Body, Mandate, Outcome, ProposalKind
from alongside.decisions.register import UNDER_ANY_MANDATE, UNDER_NO_MANDATE

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class AbsenceForm(forms.Form):
    starts_on = forms.DateField(label=_("Away from"), widget=DATE_INPUT)
    ends_on = forms.DateField(
        label=_("Back after"), widget=DATE_INPUT, help_text=_("The last day you are away.")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        elif ends_on and ends_on < timezone.localdate():
            self.add_error("ends_on", _("This day has passed."))
        return cleaned


class ActionItemForm(forms.ModelForm):
    owner = PersonChoiceField(
        label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )

    class Meta:
        model = ActionItem
        fields = ("text", "owner", "due_on")
        widgets = {"due_on": DATE_INPUT}

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owners.order_by("name", "pk")

    def clean_due_on(self) -> dt.date | None:
        due_on: dt.date | None = self.cleaned_data.get("due_on")
        if due_on is not None and due_on < timezone.localdate():
            raise forms.ValidationError(_("This day has passed."))
        return due_on


class RegisterFilterForm(forms.Form):
    """Search the register and narrow it. Every field is optional; an unknown value is an
    error shown beside the field, and the list is then not narrowed by it."""

    q = forms.CharField(
        label=_("Search the title and text"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any outcome")), *Outcome.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ProposalKind.choices]
    )
    body = forms.ChoiceField(
        label=_("Decided by"), required=False, choices=[("", _("Anyone")), *Body.choices]
    )
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, choices=[]
    )
    mandate = forms.ChoiceField(label=_("Mandate"), required=False, choices=[])

    def __init__(
        self, *args: Any, years: list[int], mandates: list[Mandate], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [("", _("Any year")), *((str(y), str(y)) for y in years)]
        mandate = self.fields["mandate"]
        assert isinstance(mandate, forms.ChoiceField)
        mandate.choices = [
            ("", _("With or without a mandate")),
            (UNDER_ANY_MANDATE, _("Under any mandate")),
            (UNDER_NO_MANDATE, _("Under no mandate")),
            *((str(m.pk), m.title) for m in mandates),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters given (empty ones left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if value not in (None, "") and name not in self.errors
        }
