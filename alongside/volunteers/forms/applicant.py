"""Forms of the applicant's own screens. They check input and say what is wrong beside the
field; the actions in `volunteers.actions.applying` make the change."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alongside.lib.i18n import localized
from alongside.movement.models import Group, GroupKind, Principle
from alongside.volunteers.forms.applicant_countries import COUNTRY_NAMES
from alongside.volunteers.models import ReportBack

# Languages most applicants speak, by code; each shown in its own name so that a person finds
# theirs whatever the page's language. The board filters on these codes.
COMMON_LANGUAGES = (
    "ar", "en", "es", "fr", "de", "it", "pt", "nl", "sv", "nb", "da", "fi", "pl", "tr", "he",
    "ru", "ja", "ko", "zh-hans",
)  # fmt: skip
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{6,40}$")
# Values that are lists in a saved draft (several checkboxes of one name).
MULTI_VALUE_FIELDS = frozenset({"languages"})


def country_choices(language: str | None = None) -> list[tuple[str, Any]]:
    index = 1 if (language or get_language() or "en").startswith("ar") else 0
    names = sorted(((code, names[index]) for code, names in COUNTRY_NAMES.items()), key=_by_name)
    return [("", _("Choose your country")), *names]


def _by_name(item: tuple[str, str]) -> str:
    return item[1].casefold()


def language_choices() -> list[tuple[str, str]]:
    return [(code, LANG_INFO[code]["name_local"]) for code in COMMON_LANGUAGES]


def support_groups() -> Any:
    return Group.objects.listed().filter(kind=GroupKind.SUPPORT)


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = localized(obj, "name")
        region = localized(obj, "region")
        return f"{name} · {region}" if region else name


def _phone(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"}),
        error_messages={"required": _("Give a phone number.")},
    )


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give a date."), "invalid": _("Give a date as YYYY-MM-DD.")},
    )


class PresenceWindowForm(forms.Form):
    """When the volunteer plans to be in the field."""

    arrival_on = _date(_("Arrival in the field"))
    departure_on = _date(_("Departure from the field"))
    dates_flexible = forms.BooleanField(label=_("My dates are flexible"), required=False)

    def __init__(self, *args: Any, current_arrival: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An arrival already recorded may be in the past (a volunteer in the field moves only
        # their departure); a new one may not.
        self.current_arrival = current_arrival

    def clean_arrival_on(self) -> dt.date:
        arrival: dt.date = self.cleaned_data["arrival_on"]
        if arrival < timezone.localdate() and arrival != self.current_arrival:
            raise forms.ValidationError(
                _("The arrival date cannot be in the past."), code="arrival_past"
            )
        return arrival

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        arrival, departure = cleaned.get("arrival_on"), cleaned.get("departure_on")
        if arrival and departure and departure <= arrival:
            self.add_error(
                "departure_on",
                forms.ValidationError(
                    _("The departure must be after the arrival."), code="departure_before"
                ),
            )
        return cleaned


class ApplicationForm(PresenceWindowForm):
    """Everything the group needs to consider an application, and nothing more: no passport
    numbers, no social-media handles."""

    field_order = [
        "full_name", "country", "languages", "phone", "motivation", "experience", "arrival_on",
        "departure_on", "dates_flexible", "emergency_contact_name", "emergency_contact_phone",
        "reference_1_name", "reference_1_email", "reference_2_name", "reference_2_email", "group",
        "stay_in_touch",
    ]  # fmt: skip

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Give your full name.")},
    )
    country = forms.ChoiceField(
        label=_("Country where you live"),
        choices=country_choices,
        error_messages={"required": _("Choose the country where you live.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    phone = _phone(_("Phone number"))
    motivation = forms.CharField(
        label=_("Why do you want to go?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tell the group why you want to go.")},
    )
    experience = forms.CharField(
        label=_("Relevant experience"),
        help_text=_("Nonviolent action, solidarity work, languages, first aid: anything useful."),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    emergency_contact_name = forms.CharField(
        label=_("Emergency contact: name"),
        max_length=150,
        error_messages={"required": _("Name someone we can reach in an emergency.")},
    )
    emergency_contact_phone = _phone(_("Emergency contact: phone"))
    reference_1_name = forms.CharField(label=_("First reference: name"), max_length=150)
    reference_1_email = forms.EmailField(
        label=_("First reference: email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    reference_2_name = forms.CharField(label=_("Second reference: name"), max_length=150)
    reference_2_email = forms.EmailField(
        label=_("Second reference: email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    group = GroupChoiceField(
        label=_("Support group"),
        queryset=Group.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "The group of your country or region prepares you. Where there is none, the general "
            "group welcomes you."
        ),
        error_messages={"required": _("Choose a support group.")},
    )
    stay_in_touch = forms.BooleanField(
        label=_("Keep my data after I return, so that the group can stay in touch"),
        required=False,
    )

    def __init__(self, *args: Any, own_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_email = own_email.casefold()
        self.fields["group"].queryset = support_groups()  # type: ignore[attr-defined]

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])

    def clean_emergency_contact_phone(self) -> str:
        return _clean_phone(self.cleaned_data["emergency_contact_phone"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("reference_1_email"), cleaned.get("reference_2_email")
        for name in ("reference_1_email", "reference_2_email"):
            email = cleaned.get(name)
            if email and email.casefold() == self.own_email:
                self.add_error(
                    name, forms.ValidationError(_("A reference cannot be you."), code="self")
                )
        if first and second and first.casefold() == second.casefold():
            self.add_error(
                "reference_2_email",
                forms.ValidationError(
                    _("Give two different people as references."), code="same_reference"
                ),
            )
        return cleaned


def _clean_phone(value: str) -> str:
    value = value.strip()
    if not PHONE_PATTERN.match(value):
        raise forms.ValidationError(
            _("Give a phone number with digits only, such as +1 415 555 0100."), code="phone"
        )
    return value


class PrinciplesAgreementForm(forms.Form):
    """One checkbox for each principle: a person agrees to each separately."""

    def __init__(self, *args: Any, principles: list[Principle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.principles = principles
        for principle in principles:
            self.fields[f"principle_{principle.pk}"] = forms.BooleanField(
                label=_("I agree to this principle."),
                error_messages={"required": _("Agree to this principle to go on.")},
            )

    def rows(self) -> list[tuple[Principle, forms.BoundField]]:
        return [(p, self[f"principle_{p.pk}"]) for p in self.principles]


class ReportBackForm(forms.ModelForm):
    class Meta:
        model = ReportBack
        fields = ["held_on", "audience", "place", "size"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"audience": _("Audience (who came)"), "size": _("Number of people")}

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(
                _("Record talks and events once they have taken place."), code="future"
            )
        return held_on

    def clean_size(self) -> int:
        size: int = self.cleaned_data["size"]
        if size < 1:
            raise forms.ValidationError(_("At least one person came."), code="size")
        return size
