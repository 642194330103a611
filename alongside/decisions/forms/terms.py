"""Kind-specific terms of a proposal draft: the candidate for the core group, a new decision
rule, a mandate's terms, the mandate to withdraw, the decision to ratify.

The draft view (views/proposals.py) calls `terms_form(kind, group, ...)`; when it returns a
form, the draft page shows it under the proposal's words and saves it with `save_terms`. The
fields carry the prefix "terms" (a mandate has a title of its own, as the proposal has).

What the terms name is checked again when the proposal closes (`actions/effects.py`): a person
may have left the group, a mandate may have been withdrawn by another proposal meanwhile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.decisions.forms.fields import MandateChoiceField, PersonChoiceField
from alongside.decisions.models import (
    OPEN_STAGES,
    DecisionRule,
    Mandate,
    MandateHolder,
    Proposal,
    ProposalKind,
    Ratification,
)
from alongside.decisions.participants import members_of
from alongside.decisions.register import with_final_title
from alongside.movement.models import Group, GroupKind, Role

PREFIX = "terms"
# The names a decision-rule proposal stores in `terms`: the model's own field names.
RULE_FIELDS = (
    "quorum_percent",
    "weak_at_stand_asides",
    "block_needs_second",
    "fallback",
    "supermajority_percent",
)
MANDATE_FIELDS = ("holder", "title", "scope", "limits", "until", "report_back")


def _others_open(proposal: Proposal | None, **lookup: Any) -> bool:
    """Is another proposal of this kind already open for the same person, mandate or decision?
    Two at once would decide the same thing twice. (Drafts are private to their authors: one
    does not keep anyone else from drafting.)"""
    found = Proposal.objects.filter(stage__in=OPEN_STAGES, **lookup)
    if proposal is not None and proposal.pk:
        found = found.exclude(pk=proposal.pk)
    return found.exists()


def _initial_pk(initial: Mapping[str, Any] | None, key: str) -> int | None:
    """A primary key given in the page's address (`?decision=12`), ignored when malformed."""
    value = (initial or {}).get(key)
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


class _TermsForm(forms.Form):
    """What every terms form offers the draft view."""

    def __init__(self, *, group: Group, proposal: Proposal | None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(**kwargs)
        self.group = group
        self.proposal = proposal

    def apply(self, proposal: Proposal) -> None:
        raise NotImplementedError


class CoreMembershipTerms(_TermsForm):
    candidate = PersonChoiceField(
        label=_("Who would join the core group"),
        queryset=User.objects.none(),
        help_text=_(
            "A member of the group who takes on coordinating responsibilities. Their joining "
            "is decided by the group, never granted by rank."
        ),
        error_messages={"invalid_choice": _("Choose a member of the group who is not core yet.")},
    )

    def __init__(self, *, user: Any = None, initial: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        not_core = members_of(self.group).exclude(
            memberships__group=self.group, memberships__role=Role.CORE
        )
        field = self.fields["candidate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = not_core.order_by("name", "pk")
        named = _initial_pk(initial, "candidate")
        if self.proposal is not None and self.proposal.candidate_id:
            field.initial = self.proposal.candidate_id
        elif named is not None:
            field.initial = named
        elif user is not None and getattr(user, "pk", None):
            field.initial = user.pk

    def clean_candidate(self) -> User:
        candidate: User = self.cleaned_data["candidate"]
        if _others_open(
            self.proposal,
            group=self.group,
            kind=ProposalKind.CORE_MEMBERSHIP,
            candidate=candidate,
        ):
            raise forms.ValidationError(
                _("A proposal for this person to join the core group is already open.")
            )
        return candidate

    def apply(self, proposal: Proposal) -> None:
        proposal.candidate = self.cleaned_data["candidate"]


class _RuleFields(forms.ModelForm):
    """The rule's fields with the model's validators (ranges, choices)."""

    class Meta:
        model = DecisionRule
        fields = RULE_FIELDS


class DecisionRuleTerms(_TermsForm):
    def __init__(self, *, initial: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        proposal = self.proposal
        if proposal is not None and proposal.terms:
            start = {name: proposal.terms[name] for name in RULE_FIELDS if name in proposal.terms}
        else:
            in_force = DecisionRule.objects.in_force(self.group)
            start = {name: getattr(in_force, name) for name in RULE_FIELDS}
        self.fields.update(_RuleFields().fields)
        for name, value in start.items():
            self.fields[name].initial = value
        self.fields["quorum_percent"].help_text = _(
            "Members on an excused absence who do not respond are not counted."
        )
        self.fields["fallback"].help_text = _(
            "Consensus minus one or two lets a proposal pass over that many blocks."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = {name: cleaned[name] for name in RULE_FIELDS if name in cleaned}
        # The model's validators (the ranges), beside each field, as a model form would.
        row = DecisionRule(group=self.group, **values)
        skipped = [
            "group",
            "adopted_at",
            "adopted_by",
            *(n for n in RULE_FIELDS if n not in values),
        ]
        try:
            row.full_clean(exclude=skipped, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
            return cleaned
        if self.errors:
            return cleaned
        in_force = DecisionRule.objects.in_force(self.group)
        if all(getattr(in_force, name) == cleaned.get(name) for name in RULE_FIELDS):
            raise forms.ValidationError(
                _("This is the rule in force already: change at least one part of it.")
            )
        return cleaned

    def apply(self, proposal: Proposal) -> None:
        proposal.terms = {name: self.cleaned_data[name] for name in RULE_FIELDS}


class _MandateFields(forms.ModelForm):
    class Meta:
        model = Mandate
        fields = MANDATE_FIELDS
        widgets = {"until": forms.DateInput(attrs={"type": "date"})}


class MandateTerms(_TermsForm):
    def __init__(self, *, initial: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields.update(_MandateFields().fields)
        holder = self.fields["holder"]
        assert isinstance(holder, forms.ChoiceField)
        if self.group.kind == GroupKind.FIELD:
            holder.choices = MandateHolder.choices
        else:
            # Only a field team has teams on shift; a support group gives mandates to its core.
            holder.choices = [(MandateHolder.CORE.value, MandateHolder.CORE.label)]
        holder.initial = MandateHolder.CORE
        self.fields["until"].help_text = _("The last day the mandate holds.")
        self.fields["report_back"].help_text = _("For example: at each monthly meeting.")
        terms = self.proposal.terms if self.proposal is not None else {}
        for name in MANDATE_FIELDS:
            if name in (terms or {}):
                self.fields[name].initial = terms[name]

    def clean_until(self) -> dt.date:
        until: dt.date = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError(_("A mandate must hold until a day after today."))
        return until

    def apply(self, proposal: Proposal) -> None:
        terms = {name: self.cleaned_data[name] for name in MANDATE_FIELDS}
        terms["until"] = terms["until"].isoformat()
        proposal.terms = terms


class MandateWithdrawalTerms(_TermsForm):
    target_mandate = MandateChoiceField(
        label=_("The mandate to withdraw"),
        queryset=Mandate.objects.none(),
        error_messages={"invalid_choice": _("Choose a mandate of the group that is in force.")},
    )

    def __init__(self, *, initial: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        field = self.fields["target_mandate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = mandates_in_force(self.group)
        if self.proposal is not None and self.proposal.target_mandate_id:
            field.initial = self.proposal.target_mandate_id
        else:
            field.initial = _initial_pk(initial, "mandate")

    def clean_target_mandate(self) -> Mandate:
        mandate: Mandate = self.cleaned_data["target_mandate"]
        if _others_open(
            self.proposal, kind=ProposalKind.MANDATE_WITHDRAWAL, target_mandate=mandate
        ):
            raise forms.ValidationError(_("A proposal to withdraw this mandate is already open."))
        return mandate

    def apply(self, proposal: Proposal) -> None:
        proposal.target_mandate = self.cleaned_data["target_mandate"]


class _DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        closed = timezone.localtime(obj.closed_at).date().isoformat() if obj.closed_at else ""
        return str(_("%(title)s (%(date)s)") % {"title": obj.final_title or "", "date": closed})


class RatificationTerms(_TermsForm):
    ratifies = _DecisionChoice(
        label=_("The emergency decision to ratify"),
        queryset=Proposal.objects.none(),
        help_text=_("A decision taken in the field outside any mandate, waiting for the group."),
        error_messages={
            "invalid_choice": _("Choose a decision of the group that is waiting to be ratified.")
        },
    )

    def __init__(self, *, initial: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        field = self.fields["ratifies"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = waiting_for_ratification(self.group)
        if self.proposal is not None and self.proposal.ratifies_id:
            field.initial = self.proposal.ratifies_id
        else:
            field.initial = _initial_pk(initial, "decision")

    def clean_ratifies(self) -> Proposal:
        decision: Proposal = self.cleaned_data["ratifies"]
        if _others_open(self.proposal, kind=ProposalKind.RATIFICATION, ratifies=decision):
            raise forms.ValidationError(_("A proposal to ratify this decision is already open."))
        return decision

    def apply(self, proposal: Proposal) -> None:
        proposal.ratifies = self.cleaned_data["ratifies"]


def waiting_for_ratification(group: Group) -> QuerySet[Proposal]:
    """The group's emergency decisions that wait for the group to ratify them, oldest first."""
    return with_final_title(
        Proposal.objects.filter(group=group, ratification=Ratification.PENDING)
    ).order_by("closed_at", "pk")


def mandates_in_force(group: Group) -> QuerySet[Mandate]:
    return Mandate.objects.filter(
        group=group, withdrawn_at__isnull=True, until__gte=timezone.localdate()
    ).order_by("title", "pk")


FORMS: dict[str, type[_TermsForm]] = {
    ProposalKind.CORE_MEMBERSHIP: CoreMembershipTerms,
    ProposalKind.DECISION_RULE: DecisionRuleTerms,
    ProposalKind.MANDATE: MandateTerms,
    ProposalKind.MANDATE_WITHDRAWAL: MandateWithdrawalTerms,
    ProposalKind.RATIFICATION: RatificationTerms,
}


def terms_form(
    kind: str,
    group: Group,
    *,
    data: Any = None,
    proposal: Proposal | None = None,
    user: Any = None,
    initial: Mapping[str, Any] | None = None,
) -> forms.Form | None:
    """The form of `kind`'s terms, bound to `data` when given, or None for kinds without.

    `initial` may carry the page's query string: `decision` (the decision to ratify, from the
    ratification queue's "propose ratification" link) and `mandate` (the mandate to withdraw,
    from a mandate's page). `user` is the default candidate for joining the core group."""
    form_class = FORMS.get(kind)
    if form_class is None:
        return None
    extra: dict[str, Any] = {"initial": initial}
    if form_class is CoreMembershipTerms:
        extra["user"] = user
    return form_class(group=group, proposal=proposal, data=data, **extra)


def save_terms(proposal: Proposal, form: forms.Form) -> None:
    """Copy a valid terms form onto the (unsaved or draft) proposal's fields; the caller saves."""
    if isinstance(form, _TermsForm):
        form.apply(proposal)
