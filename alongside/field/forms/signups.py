"""Forms of the sign-ups part: the filters of the shift lists and the coordinator's "assign"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.field import recurrence
from alongside.field.models import ActivityKind
from alongside.lib.i18n import localized
from alongside.lib.timezones import field_zone
from alongside.movement.models import Group, PartnerCommunity

WEEKS_AHEAD = 12
# The coordinators' list checks team rules in memory: a range longer than this is refused.
LONGEST_RANGE = dt.timedelta(days=92)


def week_choices() -> list[tuple[str, str]]:
    """The weeks from this one on (Monday to Sunday, Hebron time), by their Monday."""
    today = recurrence.today()
    monday = today - dt.timedelta(days=today.weekday())
    choices: list[tuple[str, str]] = [("", str(_("Any week")))]
    for number in range(WEEKS_AHEAD):
        start = monday + dt.timedelta(weeks=number)
        if number == 0:
            label = str(_("This week"))
        elif number == 1:
            label = str(_("Next week"))
        else:
            label = str(_("Week of %(date)s")) % {"date": formats.date_format(start, "j M")}
        choices.append((start.isoformat(), label))
    return choices


def kind_choices() -> list[tuple[str, Any]]:
    return [("", pgettext_lazy("kind of activity", "Any kind")), *ActivityKind.choices]


class ShiftFilterForm(forms.Form):
    """ "Shifts I can take": by kind of activity and by week."""

    kind = forms.ChoiceField(label=_("Kind of activity"), required=False, choices=kind_choices)
    week = forms.ChoiceField(label=_("Week"), required=False, choices=week_choices)

    def week_span(self) -> tuple[dt.datetime, dt.datetime] | None:
        value = self.cleaned_data.get("week")
        if not value:
            return None
        start = dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), tzinfo=field_zone())
        return start, start + dt.timedelta(weeks=1)


class CommunityChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # the stubs' generic is not needed here
    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "name")


class RosterFilterForm(forms.Form):
    """The coordinators' list of the team's shifts."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    community = CommunityChoiceField(
        label=_("Community"),
        required=False,
        queryset=PartnerCommunity.objects.none(),
        empty_label=_("Any community"),
    )
    kind = forms.ChoiceField(label=_("Kind of activity"), required=False, choices=kind_choices)
    needs_people = forms.BooleanField(label=_("Needs people"), required=False)
    breaks_rules = forms.BooleanField(label=_("Breaks team rules"), required=False)

    def __init__(self, *args: Any, team: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, CommunityChoiceField)
        field.queryset = PartnerCommunity.objects.filter(group=team).order_by("name_en")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("date_from") or recurrence.today()
        end = data.get("date_to") or start + dt.timedelta(days=13)
        if end < start:
            self.add_error("date_to", _("The end comes before the start."))
        elif end - start > LONGEST_RANGE:
            self.add_error("date_to", _("Choose at most three months at a time."))
        data["date_from"], data["date_to"] = start, end
        return data

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        """The dates chosen as instants: from the first day's midnight to the last's end."""
        zone = field_zone()
        start = dt.datetime.combine(self.cleaned_data["date_from"], dt.time(), tzinfo=zone)
        last = self.cleaned_data["date_to"] + dt.timedelta(days=1)
        return start, dt.datetime.combine(last, dt.time(), tzinfo=zone)


class AssignForm(forms.Form):
    user_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
