"""Raising a safe-space concern, and choosing who in the group receives them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.lib.i18n import localized
from alongside.movement.models import Group

CONCERN_MAX = 4000


class _GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(localized(obj, "name"))


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or obj.email)


class ConcernForm(forms.Form):
    group = _GroupChoice(
        label=_("Who should receive it"),
        queryset=Group.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your groups.")},
    )
    body = forms.CharField(
        label=_("Your concern"),
        max_length=CONCERN_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What happened, when and where, and what you would like the group to do. Only the "
            "group's safe-space contacts can read it."
        ),
        error_messages={
            "required": _("Write your concern."),
            "max_length": _("Keep it to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    anonymous = forms.BooleanField(
        label=_("Do not tell the group who I am"),
        required=False,
        help_text=_(
            "The group will not know who wrote this, so nobody can reply to you or ask you "
            "more. Leave this unticked if you want them to follow up with you."
        ),
    )

    def __init__(self, *args: Any, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = groups

    def clean_body(self) -> str:
        body = str(self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError(_("Write your concern."))
        return body


class ContactForm(forms.Form):
    user = _PersonChoice(
        label=_("Core member to designate"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose a core member of the group."),
            "invalid_choice": _("Choose a core member of the group who is not designated yet."),
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = candidates
