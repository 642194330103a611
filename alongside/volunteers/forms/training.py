"""Forms of the training screens: a session, and the attendance taken on the day."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.lib.timezones import zone_label
from alongside.movement.forms import SideBySideForm
from alongside.movement.models import Group
from alongside.volunteers.actions.training import TRAINING_FIELDS
from alongside.volunteers.models import QualificationKind, Training, TrainingRegistration

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or obj.email)


class QualificationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_en)


def _zone_help() -> str:
    return gettext("Times are in %(zone)s.") % {"zone": zone_label()}


# Read when the form is shown: the viewer's zone, which the form reads typed times in.
_lazy_zone_help = lazy(_zone_help, str)


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_lazy_zone_help(),
    )


def language_choices(group: Group) -> list[tuple[str, str]]:
    """The group's languages and the site's own, named in their own language."""
    codes: list[str] = []
    for code in [*(group.languages or []), *(code for code, _name in settings.LANGUAGES)]:
        if code not in codes and code in LANG_INFO:
            codes.append(code)
    return [(code, LANG_INFO[code].get("name_local", code)) for code in codes]


class TrainingForm(SideBySideForm):
    qualification = QualificationChoiceField(
        label=_("Qualification it grants"), queryset=QualificationKind.objects.all()
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    language = forms.ChoiceField(label=_("Language"))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    trainers = TrainerChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the group who give the training."),
    )

    class Meta:
        model = Training
        fields = [*TRAINING_FIELDS, "trainers"]

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = language_choices(group)
        cast(TrainerChoiceField, self.fields["trainers"]).queryset = (
            User.objects.filter(memberships__group=group).distinct().order_by("name", "email")
        )
        self.fields["place"].help_text = _("Leave empty for an online training.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The training must end after it starts."))
        if not cleaned.get("is_online") and not cleaned.get("place", "").strip():
            self.add_error("place", _("Give the place, or mark the training as online."))
        return cleaned


class AttendanceForm(forms.Form):
    """One checkbox per registered person: did they come?"""

    def __init__(
        self, *args: Any, registrations: list[TrainingRegistration], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[f"attended_{registration.pk}"] = forms.BooleanField(
                label=str(registration.application.user.name or _("(no name given)")),
                required=False,
                initial=bool(registration.attended),
            )

    def attended_ids(self) -> set[int]:
        return {
            registration.pk
            for registration in self.registrations
            if self.cleaned_data.get(f"attended_{registration.pk}")
        }
