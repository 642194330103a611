"""Forms of proposals: the draft (its words, who decides, who facilitates, a deadline for each
stage), a comment, an amendment, the proposer's answer to one, and the facilitator's deadlines.

Deadlines are typed on a `datetime-local` input, to the minute, and read on the viewer's clock
(the `TimeZoneMiddleware` activates it; the help text names it)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.decisions.actions import proposals as actions
from alongside.decisions.forms.fields import MandateChoiceField, PersonChoiceField
from alongside.decisions.models import Body, Mandate, Proposal, ProposalKind, ProposalVersion, Stage
from alongside.decisions.participants import core_of, members_of
from alongside.lib.timezones import zone_label
from alongside.movement.models import Group

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TEXT_MAX = 20_000


def _zone_help() -> str:
    return gettext("To the minute, on your clock: %(zone)s.") % {"zone": zone_label()}


# Read when the form is shown: the viewer's zone, which the form reads typed times in.
_lazy_zone_help = lazy(_zone_help, str)


def deadline_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_lazy_zone_help(),
    )


class MemberChoiceField(PersonChoiceField):
    """Members by their names, core members marked (the core group's decisions are
    facilitated by one of them)."""

    core_ids: frozenset[int] = frozenset()

    def label_from_instance(self, obj: Any) -> str:
        name = super().label_from_instance(obj)
        if obj.pk in self.core_ids:
            return gettext("%(name)s (core group)") % {"name": name}
        return name


class WordsForm(forms.Form):
    """The words of a proposal (a draft's, or an amendment's as its author would have them)."""

    title = forms.CharField(label=_("Title"), max_length=160)
    text = forms.CharField(
        label=_("The proposal"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the group would do. Markdown: **bold**, *italic*, lists with -."),
    )
    why = forms.CharField(
        label=_("Why"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    if_agreed = forms.CharField(
        label=_("What happens if agreed"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who does what, by when."),
    )
    concerns_whom = forms.CharField(label=_("Who it concerns"), max_length=280, required=False)

    def words(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in actions.WORDS}


def words_of(version: ProposalVersion) -> dict[str, str]:
    return {name: getattr(version, name) for name in actions.WORDS}


class DraftForm(WordsForm):
    """A new proposal, or a draft being changed."""

    body = forms.ChoiceField(label=_("Who decides"), widget=forms.RadioSelect)
    facilitator = MemberChoiceField(
        label=_("Facilitator"),
        queryset=User.objects.none(),
        empty_label=None,
        help_text=_("Keeps time through the stages; can extend a deadline or move on early."),
    )
    questions_end = deadline_field(_("Clarifying questions until"))
    concerns_end = deadline_field(_("Concerns until"))
    amendments_end = deadline_field(_("Amendments until"))
    test_end = deadline_field(_("Test for agreement until"))
    review_on = forms.DateField(
        label=_("Review on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When the group looks again at how the decision works out."),
    )
    mandate = MandateChoiceField(
        label=_("Taken under the mandate (optional)"),
        queryset=Mandate.objects.none(),
        required=False,
        empty_label=_("No mandate"),
        help_text=_(
            "A mandate the group gave its core group, when this decision is one the core group "
            "takes under it. Only for the core group's decisions."
        ),
        error_messages={"invalid_choice": _("Choose a mandate of the core group in force.")},
    )

    def __init__(
        self,
        *args: Any,
        group: Group,
        user: Any,
        kind: str = ProposalKind.GENERAL,
        proposal: Proposal | None = None,
        version: ProposalVersion | None = None,
        now: dt.datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.group = group
        self.kind = proposal.kind if proposal is not None else kind
        # The whole group decides the special kinds: nothing to choose.
        self.members_only = self.kind in actions.MEMBERS_ONLY_KINDS
        if self.members_only:
            del self.fields["body"]
        else:
            is_core = actions.may_put_to_core(user, group)
            bodies = [(Body.MEMBERS.value, Body.MEMBERS.label)]
            if is_core or (proposal is not None and proposal.body == Body.CORE):
                bodies.append((Body.CORE.value, Body.CORE.label))
            cast(forms.ChoiceField, self.fields["body"]).choices = bodies
        facilitator = cast(MemberChoiceField, self.fields["facilitator"])
        facilitator.queryset = members_of(group).order_by("name", "pk")
        if not self.members_only:
            facilitator.core_ids = frozenset(core_of(group).values_list("pk", flat=True))
            facilitator.help_text = _(
                "Keeps time through the stages; can extend a deadline or move on early. When "
                "the core group decides, choose one of its members."
            )
        mandates = actions.core_mandates(group, on=timezone.localdate(self.now))
        if self.kind == ProposalKind.GENERAL and (
            mandates.exists() or (proposal is not None and proposal.mandate_id)
        ):
            cast(MandateChoiceField, self.fields["mandate"]).queryset = mandates
        else:
            del self.fields["mandate"]
        if proposal is None:
            self.initial.setdefault("body", Body.MEMBERS.value)
            self.initial.setdefault("facilitator", user.pk)
            for name, value in actions.default_deadlines(self.now).items():
                self.initial.setdefault(name, value)
        else:
            related = ("facilitator", "mandate")
            self.initial.update(
                {name: getattr(proposal, name) for name in actions.SETTINGS if name not in related}
            )
            self.initial["facilitator"] = proposal.facilitator_id
            self.initial["mandate"] = proposal.mandate_id
            if version is not None:
                self.initial.update(words_of(version))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        body = Body.MEMBERS.value if self.members_only else cleaned.get("body")
        facilitator = cleaned.get("facilitator")
        if body is not None and facilitator is not None:
            problem = actions.core_facilitator_problem(body, facilitator, self.group)
            if problem is not None:
                self.add_error("facilitator", problem)
        mandate = cleaned.get("mandate")
        if body is not None and mandate is not None:
            problem = actions.mandate_problem(
                mandate,
                group=self.group,
                kind=self.kind,
                body=body,
                on=timezone.localdate(self.now),
            )
            if problem is not None:
                self.add_error("mandate", problem)
        deadlines = {name: cleaned.get(name) for name in actions.DEADLINES}
        if all(value is not None for value in deadlines.values()):
            for name, message in actions.deadline_problems(deadlines, now=self.now):
                self.add_error(name, message)
        review = cleaned.get("review_on")
        if review is not None and review < timezone.localdate(self.now):
            self.add_error("review_on", _("The review date has passed: give a later one."))
        return cleaned

    def values(self) -> dict[str, Any]:
        """The settings the draft action takes, deadlines to the minute."""
        values = {name: self.cleaned_data.get(name) for name in actions.SETTINGS}
        if self.members_only:
            values["body"] = Body.MEMBERS.value
        for name in actions.DEADLINES:
            values[name] = actions.to_minute(self.cleaned_data[name])
        return values


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=actions.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, stage: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stage == Stage.QUESTIONS:
            self.fields["body"].label = _("Your question")
            self.fields["body"].help_text = _(
                "A clarifying question: what is meant, how it would work. Concerns come next."
            )


class AmendmentForm(WordsForm):
    """The proposal's words as the member would have them, and why."""

    reason = forms.CharField(
        label=_("Why this change"),
        max_length=actions.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = ["reason", *actions.WORDS]


class AmendmentDecisionForm(forms.Form):
    """The proposer accepts or declines; the button pressed says which."""

    reason = forms.CharField(
        label=_("Your reason"),
        max_length=actions.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The members read it with the amendment, whichever you choose."),
    )


class ExtendForm(forms.Form):
    """The facilitator gives the current stage more time."""

    until = deadline_field(_("New deadline"))

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        current = proposal.stage_ends_at
        if current is not None:
            self.initial.setdefault("until", current)
            self.fields["until"].label = _("Extend the current stage until")

    def clean_until(self) -> dt.datetime:
        until = actions.to_minute(self.cleaned_data["until"])
        current = self.proposal.stage_ends_at
        if until <= timezone.now():
            raise forms.ValidationError(_("Give a time in the future."))
        if current is not None and until <= current:
            raise forms.ValidationError(
                _("Give a time after the current deadline: it can only be extended.")
            )
        return until
