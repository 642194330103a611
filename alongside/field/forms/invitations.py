"""Forms of invitations: a partner's (phone first), a coordinator's on a partner's behalf, and
the team's rules per kind of activity."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.field import recurrence
from alongside.field.models import (
    ActivityKind,
    ActivityRules,
    FieldSettings,
    Invitation,
    InvitedVia,
    Recurrence,
)
from alongside.lib.i18n import localized
from alongside.movement.models import PartnerCommunity
from alongside.volunteers.models import QualificationKind

# The languages a community may ask for, by the code volunteers' applications use.
LANGUAGE_CHOICES = [
    ("ar", _("Arabic")),
    ("en", _("English")),
    ("he", _("Hebrew")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("sv", _("Swedish")),
]
# Sunday first: the week as it is lived in Palestine. Values are Python weekdays.
WEEKDAY_CHOICES = [
    (6, _("Sunday")),
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
]
# Values the action takes from the form (the rest are the platform's).
FORM_VALUES = (
    "kind",
    "title",
    "recurrence",
    "weekdays",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "volunteers_min",
    "volunteers_max",
    "languages",
    "briefing",
    "place",
    "coordinates",
)
COORDINATOR_VALUES = (*FORM_VALUES, "signup_cutoff_hours", "checkin_every_hours", "invited_by")
LONGEST_SEASON = dt.timedelta(days=366)


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "name")


class InvitationForm(forms.ModelForm):
    """A partner's invitation. `communities`: those the person may invite for; the choice is
    shown only when there are several."""

    community = CommunityChoiceField(
        label=_("Community"), queryset=PartnerCommunity.objects.none(), empty_label=None
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For example, a demonstration every Friday: choose Friday."),
    )
    school_days = forms.BooleanField(
        label=_("School days (Sunday to Thursday)"),
        required=False,
        help_text=_("Chooses Sunday to Thursday for you."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages wanted"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    volunteers_min = forms.IntegerField(
        label=_("Volunteers needed, at least"), min_value=1, max_value=50
    )
    volunteers_max = forms.IntegerField(
        label=_("Volunteers needed, at most"), min_value=1, max_value=50
    )

    class Meta:
        model = Invitation
        fields = list(FORM_VALUES)
        widgets = {
            "kind": forms.RadioSelect,
            "recurrence": forms.RadioSelect,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "briefing": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "starts_on": _("Date (the first date when it repeats)"),
            "ends_on": _("Last date"),
            "start_time": _("From (Hebron time)"),
            "end_time": _("Until (Hebron time)"),
            "place": _("Exact place (optional)"),
            "coordinates": _("Map coordinates (optional)"),
        }
        help_texts = {
            "ends_on": _("Needed for every day; for every week, leave empty to keep going."),
            "end_time": _("An end at or before the start means the next day (an overnight stay)."),
            "place": _("Shown only to the team and the field coordinators."),
            "coordinates": _(
                "e.g. 31.9270, 35.0750. Shown only to the team and the field coordinators."
            ),
        }

    def __init__(
        self,
        *args: Any,
        communities: Any,
        invitation: Invitation | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs["instance"] = invitation or Invitation()
        super().__init__(*args, **kwargs)
        self.editing = invitation is not None
        field = cast(CommunityChoiceField, self.fields["community"])
        field.queryset = communities
        if self.editing:
            del self.fields["community"]
            self.fields["kind"].disabled = True
        elif len(field.queryset) == 1:
            # One community: nothing to choose, and nothing to lose if the field is not sent.
            self.only_community = field.queryset[0]
            field.initial = self.only_community.pk
            field.required = False
            field.widget = forms.HiddenInput()
        cast(forms.ChoiceField, self.fields["kind"]).choices = ActivityKind.choices
        cast(forms.ChoiceField, self.fields["recurrence"]).choices = Recurrence.choices
        self.fields["title"].required = False

    only_community: PartnerCommunity | None = None

    def clean_community(self) -> PartnerCommunity | None:
        return self.cleaned_data.get("community") or self.only_community

    def clean_coordinates(self) -> str:
        text = str(self.cleaned_data.get("coordinates") or "").strip()
        if not text:
            return ""
        try:
            lat_text, lon_text = text.replace(";", ",").split(",")
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            raise forms.ValidationError(
                _("Write the latitude and longitude separated by a comma, e.g. 31.9270, 35.0750.")
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise forms.ValidationError(_("These are not coordinates on Earth."))
        return f"{lat:.5f}, {lon:.5f}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        how = cleaned.get("recurrence")
        if cleaned.get("school_days"):
            cleaned["weekdays"] = list(recurrence.SCHOOL_DAYS)
            if how == Recurrence.ONCE:
                cleaned["recurrence"] = how = Recurrence.WEEKLY
        low, high = cleaned.get("volunteers_min"), cleaned.get("volunteers_max")
        if low and high and high < low:
            self.add_error("volunteers_max", _("At most cannot be fewer than at least."))
        self._clean_dates(cleaned, how)
        return cleaned

    def _clean_dates(self, cleaned: dict[str, Any], how: str | None) -> None:
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if how == Recurrence.ONCE:
            cleaned["ends_on"] = ends_on = None
            cleaned["weekdays"] = []
        elif how == Recurrence.WEEKLY and not cleaned.get("weekdays"):
            self.add_error("weekdays", _("Choose at least one day of the week."))
            return
        elif how == Recurrence.DAILY:
            cleaned["weekdays"] = []
            if not ends_on:
                self.add_error("ends_on", _("Give the last date for every day."))
                return
        if not starts_on:
            return
        unchanged = self.editing and self.instance.starts_on == starts_on
        if starts_on < recurrence.today() and not unchanged:
            self.add_error("starts_on", _("This date has passed."))
            return
        if ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last date cannot be before the first."))
            return
        if ends_on and ends_on - starts_on > LONGEST_SEASON:
            self.add_error("ends_on", _("Ask for at most a year at a time."))
            return
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if how is None or start_time is None or end_time is None or self.errors:
            return
        schedule = recurrence.Schedule(
            recurrence=how,
            weekdays=tuple(cleaned.get("weekdays") or ()),
            starts_on=starts_on,
            ends_on=ends_on,
            start_time=start_time,
            end_time=end_time,
        )
        if not self.editing and recurrence.next_start(schedule, now=timezone.now()) is None:
            if how == Recurrence.ONCE:
                self.add_error("start_time", _("This time has passed."))
            else:
                self.add_error(None, _("No date still to come matches these choices."))

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FORM_VALUES if name in self.cleaned_data}


class CoordinatorInvitationForm(InvitationForm):
    """An invitation a field coordinator enters on a community's behalf: how it invited and who,
    and the team's timings for its shifts (prefilled from the kind's rules)."""

    invited_via = forms.ChoiceField(
        label=_("How the community invited"),
        choices=[c for c in InvitedVia.choices if c[0] != InvitedVia.PLATFORM],
        widget=forms.RadioSelect,
    )
    invited_by = forms.CharField(
        label=_("Who invited"),
        max_length=150,
        required=False,
        help_text=_("A name or a role, e.g. “the committee's secretary”. Kept encrypted."),
    )
    signup_cutoff_hours = forms.IntegerField(
        label=_("Sign-up and cancellation close (hours before the start)"),
        min_value=0,
        max_value=168,
    )
    checkin_every_hours = forms.IntegerField(
        label=_("Check in every (hours)"),
        min_value=1,
        max_value=24,
        required=False,
        help_text=_("Besides on arrival and on leaving. Empty: only those two."),
    )

    class Meta(InvitationForm.Meta):
        fields = list(COORDINATOR_VALUES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.editing:
            self.fields["invited_via"].required = False
            self.fields["invited_via"].widget = forms.HiddenInput()
            self.fields["invited_by"].disabled = self.instance.invited_via == InvitedVia.PLATFORM

    def values(self) -> dict[str, Any]:
        values = super().values()
        for name in ("signup_cutoff_hours", "checkin_every_hours"):
            values[name] = self.cleaned_data.get(name)
        if not self.editing or self.instance.invited_via != InvitedVia.PLATFORM:
            values["invited_by"] = self.cleaned_data.get("invited_by", "").strip()
        return values


class ActivityRulesForm(forms.ModelForm):
    """One kind's rules on the team-rules page (prefixed with the kind)."""

    required_qualification = forms.ModelChoiceField(
        label=_("Qualification needed"),
        queryset=QualificationKind.objects.all(),
        required=False,
        empty_label=pgettext_lazy("no qualification", "None"),
    )

    class Meta:
        model = ActivityRules
        fields = [
            "min_team_size",
            "needs_experienced",
            "needs_language_coverage",
            "required_qualification",
            "checkin_every_hours",
            "signup_cutoff_hours",
        ]
        widgets = {
            "min_team_size": forms.NumberInput(attrs={"min": 1, "max": 20}),
            "checkin_every_hours": forms.NumberInput(attrs={"min": 1, "max": 24}),
            "signup_cutoff_hours": forms.NumberInput(attrs={"min": 0, "max": 168}),
        }

    def clean_min_team_size(self) -> int:
        size = int(self.cleaned_data["min_team_size"])
        if not 1 <= size <= 20:
            raise forms.ValidationError(_("Between 1 and 20."))
        return size

    def clean_checkin_every_hours(self) -> int | None:
        hours = self.cleaned_data.get("checkin_every_hours")
        if hours is not None and not 1 <= hours <= 24:
            raise forms.ValidationError(_("Between 1 and 24 hours, or empty."))
        return hours

    def clean_signup_cutoff_hours(self) -> int:
        hours = int(self.cleaned_data["signup_cutoff_hours"])
        if hours > 168:
            raise forms.ValidationError(_("At most a week (168 hours)."))
        return hours


class FieldSettingsForm(forms.ModelForm):
    class Meta:
        model = FieldSettings
        fields = ["offer_hours", "checkin_grace_minutes", "escalate_every_minutes"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        bounds = {
            "offer_hours": (1, 72),
            "checkin_grace_minutes": (5, 240),
            "escalate_every_minutes": (5, 240),
        }
        for name, (low, high) in bounds.items():
            value = cleaned.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(
                    name,
                    _("Between %(low)d and %(high)d.") % {"low": low, "high": high},
                )
        return cleaned
