"""Forms of answers, block threads and quick decisions. Each keeps what was typed when it is
refused, and says what is missing in the reader's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.decisions.actions.blocks import MESSAGE_MAX
from alongside.decisions.actions.quick import DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES
from alongside.decisions.actions.responses import REASON_MAX, needs_reason
from alongside.decisions.models import Mandate, Position, Proposal
from alongside.lib.i18n import localized
from alongside.movement.models import Principle


class PrincipleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # stubs: generic
    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "title")


class ResponseForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Choose your answer"), choices=Position.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Your reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_(
            "Needed with reservations, standing aside and a block: the group reads it. "
            "Not needed to agree or abstain."
        ),
    )
    principle = PrincipleChoiceField(
        label=_("For a block: the principle the proposal would break"),
        queryset=Principle.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, proposal: Proposal, principles: list[Principle], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        field = self.fields["principle"]
        assert isinstance(field, PrincipleChoiceField)
        field.queryset = Principle.objects.filter(pk__in=[p.pk for p in principles]).order_by(
            "position"
        )
        if proposal.is_quick:
            self.fields["reason"].help_text = _(
                "Needed with reservations and a block. Not needed to agree, stand aside or abstain."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        position = data.get("position")
        if position and needs_reason(self.proposal, position) and not data.get("reason"):
            self.add_error("reason", _("Please give your reason for this answer."))
        if position == Position.BLOCK and not data.get("principle"):
            self.add_error(
                "principle", _("A block must name the principle the proposal would break.")
            )
        return data


class BlockMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        error_messages={"required": _("Please write your message.")},
    )


class QuickDecisionForm(forms.Form):
    title = forms.CharField(
        label=_("What is the team deciding?"),
        max_length=160,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("A short question, such as: do we stay at the gate?"),
        error_messages={"required": _("Say in a few words what the team is deciding.")},
    )
    text = forms.CharField(
        label=_("The proposal"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("What the team would do, in a few lines."),
        error_messages={"required": _("Say what the team would do.")},
    )
    minutes = forms.IntegerField(
        label=_("Minutes to decide"),
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=DEFAULT_MINUTES,
        help_text=_("Between 5 and 120. It closes earlier when everyone has answered."),
        error_messages={
            "required": _("Give the team between 5 and 120 minutes."),
            "min_value": _("Give the team between 5 and 120 minutes."),
            "max_value": _("Give the team between 5 and 120 minutes."),
            "invalid": _("Give the team between 5 and 120 minutes."),
        },
    )
    mandate = forms.ModelChoiceField(
        label=_("Under a mandate"),
        queryset=Mandate.objects.none(),
        required=False,
        empty_label=_("No mandate: the group will be asked to ratify it"),
        help_text=_("A mandate the group gave to its teams in the field, if this falls under it."),
    )

    def __init__(self, *args: Any, mandates: list[Mandate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mandate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Mandate.objects.filter(pk__in=[m.pk for m in mandates])
        if not mandates:
            field.widget = forms.HiddenInput()
