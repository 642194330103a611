"""Forms of the screening page and of the referee's one-time form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.movement.models import Group, Role

TEXT_MAX = 4000


def core_members(group: Group) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__group=group, memberships__role=Role.CORE)
        .distinct()
        .order_by("name", "email")
    )


class _OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or obj.email)


class AssignStepForm(forms.Form):
    owner = _OwnerChoice(
        label=_("Owner of this step"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = core_members(group)

    def clean_due_on(self) -> Any:
        due = self.cleaned_data["due_on"]
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return due


class InterviewForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Interview on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Choose the day and time of the interview.")},
    )

    def clean_at(self) -> Any:
        at = self.cleaned_data["at"]
        if at < timezone.now():
            raise forms.ValidationError(_("Choose a time that is still to come."))
        return at


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of the interview"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what came out of the interview.")},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the group only; the applicant is not sent it."),
        error_messages={"required": _("Give the reason for declining.")},
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("New note"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted; only the group's core members can read it."),
        error_messages={"required": _("Write the note first.")},
    )


class ReferenceAnswerForm(forms.Form):
    knows_applicant_for = forms.CharField(
        label=_("How do you know the applicant, and for how long?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tell us how you know the applicant.")},
    )
    recommends = forms.TypedChoiceField(
        label=_("Do you recommend them for time in the field?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    comments = forms.CharField(
        label=_("Anything else the group should know"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
