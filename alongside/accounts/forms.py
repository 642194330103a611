"""Forms of the account pages."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User


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
    class Meta:
        model = User
        fields = ["name", "language"]
        labels = {"language": _("Language of your emails")}
