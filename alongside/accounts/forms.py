"""Forms of the account pages."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.lib.timezones import zone_choices


class SignupForm(AllauthSignupForm):
    """An email address and a password; a name only if the person wants to give one."""

    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=150,
        required=False,
        help_text=_("How others in your group will see you. A first name is enough."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    field_order = ["email", "name", "password1", "password2"]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Times are shown on this clock. Empty: the zone your browser reports."),
    )

    class Meta:
        model = User
        fields = ["name", "language", "time_zone"]
        labels = {"language": _("Language of your emails")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = [("", _("From my browser")), *zone_choices()]


def _numeric_code(form: forms.Form) -> None:
    # Codes are digits: phones then show the number pad, and offer the code from a message.
    form.fields["code"].widget.attrs.update(
        {"inputmode": "numeric", "autocomplete": "one-time-code"}
    )


class AuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _numeric_code(self)


class ReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _numeric_code(self)


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _numeric_code(self)
