"""Forms of the group management screens. They check input and say what is wrong beside the
field; the actions in `movement.actions` make the change."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.core.validators import MaxLengthValidator
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.movement.actions import (
    COMMUNITY_FIELDS,
    FAQ_FIELDS,
    PAGE_FIELDS,
    PROFILE_FIELDS,
    PrincipleText,
)
from alongside.movement.countries import COUNTRY_CODES
from alongside.movement.models import FaqEntry, Group, Page, PartnerCommunity, Role

# Markdown fields are TextFields without a limit in the database; the forms keep what one
# person may paste within reason (the request body limit stops anything larger anyway).
MARKDOWN_MAX_LENGTH = 20_000
MAX_PRINCIPLES = 30
KNOWN_LANGUAGES = frozenset(code for code, info in LANG_INFO.items() if "name" in info)


class SideBySideForm(forms.ModelForm):
    """English and Arabic fields of group-written content, shown in two columns.

    Arabic inputs get `lang` and `dir` so that browsers pick the right font, direction and
    spell checker even when the page itself is in English."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.endswith("_ar"):
                field.widget.attrs.update({"lang": "ar", "dir": "rtl"})
            elif name.endswith("_en"):
                field.widget.attrs.update({"lang": "en", "dir": "ltr"})
            if isinstance(field.widget, forms.Textarea):
                _limit(field, MARKDOWN_MAX_LENGTH)
            if name in {"slug", "public_email", "languages", "countries"}:
                # Codes and addresses read left to right on an Arabic page too.
                field.widget.attrs["dir"] = "ltr"

    @property
    def fields_en(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.endswith("_en")]

    @property
    def fields_ar(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.endswith("_ar")]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not re.search(r"_(en|ar)$", name)]


def _limit(field: forms.Field, max_length: int) -> None:
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = max_length
        field.validators.append(MaxLengthValidator(max_length))
        field.widget.attrs["maxlength"] = str(max_length)


def _codes(value: str) -> list[str]:
    """Split "en, ar es" into ["en", "ar", "es"], keeping the first of any repeats."""
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", value.strip()):
        if code and code not in seen:
            seen.append(code)
    return seen


class GroupProfileForm(SideBySideForm):
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Language codes separated by commas, such as: en, ar, es."),
    )
    countries = forms.CharField(
        label=_("Countries served"),
        required=False,
        max_length=400,
        help_text=_("Two-letter country codes separated by commas, such as: US, GB, PS."),
    )

    class Meta:
        model = Group
        fields = list(PROFILE_FIELDS)
        widgets = {
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "summary_ar": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages or [])
            self.initial["countries"] = ", ".join(self.instance.countries or [])

    def clean_languages(self) -> list[str]:
        codes = [code.lower() for code in _codes(self.cleaned_data["languages"])]
        unknown = [code for code in codes if code not in KNOWN_LANGUAGES]
        if unknown:
            raise forms.ValidationError(
                _("Unknown language code: %(codes)s. Use codes such as en, ar, es, fr."),
                params={"codes": ", ".join(unknown)},
                code="unknown_language",
            )
        return codes

    def clean_countries(self) -> list[str]:
        codes = [code.upper() for code in _codes(self.cleaned_data["countries"])]
        unknown = [code for code in codes if code not in COUNTRY_CODES]
        if unknown:
            raise forms.ValidationError(
                _("Unknown country code: %(codes)s. Use two-letter codes such as US, GB, PS."),
                params={"codes": ", ".join(unknown)},
                code="unknown_country",
            )
        return codes


class _GroupScopedForm(SideBySideForm):
    """A form for content that belongs to one group, whose address is unique in the group."""

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        self.group = group
        super().__init__(*args, **kwargs)

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        others = self._meta.model._default_manager.exclude(pk=self.instance.pk)
        taken = others.filter(group=self.group, slug=slug)
        if taken.exists():
            raise forms.ValidationError(
                _("Another one in this group already uses this address. Choose another."),
                code="slug_taken",
            )
        return slug


class PageForm(_GroupScopedForm):
    class Meta:
        model = Page
        fields = list(PAGE_FIELDS)
        help_texts = {
            "slug": _("The last part of the page's web address: lower-case letters, digits, -."),
        }
        widgets = {
            "body_en": forms.Textarea(attrs={"rows": 16}),
            "body_ar": forms.Textarea(attrs={"rows": 16}),
        }


class FaqEntryForm(SideBySideForm):
    class Meta:
        model = FaqEntry
        fields = list(FAQ_FIELDS)
        widgets = {
            "question_en": forms.Textarea(attrs={"rows": 2}),
            "question_ar": forms.Textarea(attrs={"rows": 2}),
        }


class PartnerCommunityForm(_GroupScopedForm):
    class Meta:
        model = PartnerCommunity
        fields = list(COMMUNITY_FIELDS)


# --- principles ----------------------------------------------------------------------------


class PrinciplesVersionForm(forms.Form):
    intro_en = forms.CharField(
        label=_("Introduction (English, Markdown)"),
        required=False,
        max_length=MARKDOWN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "en", "dir": "ltr"}),
    )
    intro_ar = forms.CharField(
        label=_("Introduction (Arabic, Markdown)"),
        required=False,
        max_length=MARKDOWN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "ar", "dir": "rtl"}),
    )
    change_note_en = forms.CharField(
        label=_("What changed (English)"),
        max_length=280,
        help_text=_("Volunteers read this when they are asked to agree to the new version."),
        widget=forms.TextInput(attrs={"lang": "en", "dir": "ltr"}),
    )
    change_note_ar = forms.CharField(
        label=_("What changed (Arabic)"),
        required=False,
        max_length=280,
        widget=forms.TextInput(attrs={"lang": "ar", "dir": "rtl"}),
    )


class PrincipleForm(forms.Form):
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=160,
        widget=forms.TextInput(attrs={"lang": "en", "dir": "ltr"}),
    )
    text_en = forms.CharField(
        label=_("Text (English, Markdown)"),
        max_length=MARKDOWN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "lang": "en", "dir": "ltr"}),
    )
    title_ar = forms.CharField(
        label=_("Title (Arabic)"),
        required=False,
        max_length=160,
        widget=forms.TextInput(attrs={"lang": "ar", "dir": "rtl"}),
    )
    text_ar = forms.CharField(
        label=_("Text (Arabic, Markdown)"),
        required=False,
        max_length=MARKDOWN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "lang": "ar", "dir": "rtl"}),
    )


class BasePrincipleFormSet(BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["DELETE"].label = _("Remove this principle")

    def clean(self) -> None:
        super().clean()
        # A broken management form (a tampered request) already has its own message.
        if any(self.errors) or self.non_form_errors():
            return
        if not self.principles():
            raise forms.ValidationError(
                _("The principles need at least one principle."), code="no_principles"
            )

    def principles(self) -> list[PrincipleText]:
        """The principles to publish, in the order their positions give; rows marked for
        removal and untouched empty rows are left out. Only once the rows are valid."""
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if not form.cleaned_data.get("DELETE")
            and (index < self.initial_form_count() or form.has_changed())
        ]
        kept.sort(
            key=lambda pair: (
                pair[1].cleaned_data.get("ORDER") is None,
                pair[1].cleaned_data.get("ORDER") or 0,
                pair[0],
            )
        )
        return [
            PrincipleText(
                title_en=form.cleaned_data["title_en"],
                text_en=form.cleaned_data["text_en"],
                title_ar=form.cleaned_data.get("title_ar", ""),
                text_ar=form.cleaned_data.get("text_ar", ""),
            )
            for _index, form in kept
        ]


PrincipleFormSet = formset_factory(
    PrincipleForm,
    formset=BasePrincipleFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=MAX_PRINCIPLES,
    validate_max=True,
    absolute_max=MAX_PRINCIPLES + 10,
)


# --- people --------------------------------------------------------------------------------


class AccountEmailForm(forms.Form):
    """Finds an existing account by its email address. Core members may learn whether an
    account exists: they are signed in with a second factor and run the group."""

    email = forms.EmailField(
        label=_("Their account's email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("The person must already have an account on Alongside."),
    )

    user: User | None = None

    @property
    def account(self) -> User:
        """The account found (after `is_valid`)."""
        assert self.user is not None, "account is known only once the form is valid"
        return self.user

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        self.user = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.user is None:
            raise forms.ValidationError(
                _(
                    "No account uses this email address. Ask the person to create an account "
                    "first, then add them here."
                ),
                code="no_account",
            )
        return email


# The roles these screens grant. The core role is not one of them: joining the core group is
# decided by the group, by consensus on a proposal (see `movement.actions.grant_role`).
GRANTABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.CORE]
CORE_BY_CONSENSUS = _(
    "Joining the core group is decided by the group, by consensus: it is not granted here. "
    "Propose it in the group's decisions."
)


class _GrantableRolesField(forms.MultipleChoiceField):
    def validate(self, value: Any) -> None:
        # A crafted request asking for the core role hears why, not just "not a choice".
        if Role.CORE.value in (value or []):
            raise forms.ValidationError(CORE_BY_CONSENSUS, code="core_by_consensus")
        super().validate(value)


class AddMemberForm(AccountEmailForm):
    roles = _GrantableRolesField(
        label=_("Roles"),
        choices=GRANTABLE_ROLES,
        initial=[Role.MEMBER],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )


class RoleForm(forms.Form):
    # Explicit, so that a POST without a known action changes nothing rather than revoking.
    action = forms.ChoiceField(choices=[("grant", "grant"), ("revoke", "revoke")])
    # Every role, since any can be taken away; granting the core role the view refuses.
    role = forms.ChoiceField(choices=Role.choices)
    confirm = forms.BooleanField(required=False)
