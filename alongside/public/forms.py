"""Forms a visitor fills in on the public site: the group directory filter and the contact form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 5000


def language_name(code: str) -> str:
    """The name of a language in the reader's language ("Spanish", "الإسبانية"); the code itself
    for a language Django does not know, so that an odd code in a group's profile never breaks
    the directory."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class GroupFilterForm(forms.Form):
    """Narrow the directory by a word or a language. A GET form: it works without JavaScript and
    the result has an address that can be shared."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A city, region, country or group name."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, languages: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = sorted(((code, language_name(code)) for code in set(languages)), key=_by_name)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any language")), *choices]


def _by_name(choice: tuple[str, str]) -> str:
    return choice[1].casefold()


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please tell us your name, so we know how to address you.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
        help_text=_("The group answers you at this address. It is kept only for the reply."),
        error_messages={
            "required": _("Please give an email address, so the group can answer you."),
            "invalid": _("This does not look like an email address. Please check it."),
        },
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("Up to 5000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Please write a message.")},
    )
    # A trap for bots that fill in every field: hidden from people by a CSS class (the strict
    # content security policy forbids inline styles), and labelled for the rare person whose
    # browser shows it anyway.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_from_a_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
