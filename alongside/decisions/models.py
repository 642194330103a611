"""Decisions by consensus: proposals that move through stages (clarifying questions, concerns,
amendments, the test for agreement), their versions, the responses, blocks and the threads that
try to resolve them, each group's decision rule, mandates, excused absences, and action items.

A proposal is taken by a *body* of people: all the members of its group, the group's core group,
or, for a quick decision in the field, the team on one shift. Its outcome is computed by the pure
function in `alongside.decisions.rule` from the group's decision rule and the responses that
count, and stored with the rule and the numbers it was computed from. Once a proposal is closed
its record (versions, responses, outcome) is never changed again: the actions refuse, and the
register shows what was stored at the close.

Responses are never edited or deleted: a changed answer, or an answer confirmed again after an
amendment, supersedes the earlier row, which is kept (a conditional unique constraint allows one
answer in force per person and proposal).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.decisions import rule as decision_rule
from alongside.lib.crypto import EncryptedDateField
from alongside.movement.models import Group, Principle


class Body(models.TextChoices):
    """Who takes a decision."""

    MEMBERS = "members", _("All members of the group")
    CORE = "core", _("The core group")
    SHIFT_TEAM = "shift_team", _("The team on a shift")


class ProposalKind(models.TextChoices):
    GENERAL = "general", pgettext_lazy("proposal kind", "Proposal")
    QUICK = "quick", _("Quick decision in the field")
    CORE_MEMBERSHIP = "core_membership", _("Joining the core group")
    DECISION_RULE = "decision_rule", _("Changing the decision rule")
    MANDATE = "mandate", _("Giving a mandate")
    MANDATE_WITHDRAWAL = "mandate_withdrawal", _("Withdrawing a mandate")
    RATIFICATION = "ratification", _("Ratifying an emergency decision")


class Stage(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal stage", "Draft")
    QUESTIONS = "questions", _("Clarifying questions")
    CONCERNS = "concerns", _("Concerns")
    AMENDMENTS = "amendments", _("Amendments")
    TEST = "test", _("Test for agreement")
    DISCUSSION = "discussion", _("Further discussion")
    SECOND_ROUND = "second_round", _("Second round")
    CLOSED = "closed", pgettext_lazy("proposal stage", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal stage", "Withdrawn")


# The stages a proposal moves through in order once opened; each has its own deadline field.
STAGE_SEQUENCE = (Stage.QUESTIONS, Stage.CONCERNS, Stage.AMENDMENTS, Stage.TEST)
# After a failed first round, when the group's fallback is a supermajority.
FALLBACK_SEQUENCE = (Stage.DISCUSSION, Stage.SECOND_ROUND)
OPEN_STAGES = (*STAGE_SEQUENCE, *FALLBACK_SEQUENCE)
# Stages in which members answer the proposal.
RESPONDING_STAGES = (Stage.TEST, Stage.SECOND_ROUND)
# Stages in which amendments may be suggested, and in which the proposer may accept them.
SUGGESTING_STAGES = (Stage.CONCERNS, Stage.AMENDMENTS, Stage.TEST)
AMENDING_STAGES = (Stage.AMENDMENTS, Stage.TEST)
DEADLINE_FIELD = {
    Stage.QUESTIONS: "questions_end",
    Stage.CONCERNS: "concerns_end",
    Stage.AMENDMENTS: "amendments_end",
    Stage.TEST: "test_end",
    Stage.DISCUSSION: "discussion_end",
    Stage.SECOND_ROUND: "second_round_end",
}


class Position(models.TextChoices):
    AGREE = "agree", _("Agree")
    RESERVATIONS = "reservations", _("Agree with reservations")
    STAND_ASIDE = "stand_aside", _("Stand aside")
    BLOCK = "block", _("Block")
    ABSTAIN = "abstain", _("Abstain / recuse")


# Positions that must give a reason; a block must also name the principle it rests on.
NEEDS_REASON = (Position.RESERVATIONS, Position.STAND_ASIDE, Position.BLOCK)


class Outcome(models.TextChoices):
    CONSENSUS = decision_rule.CONSENSUS, _("Consensus")
    WEAK = decision_rule.WEAK, _("Weak consensus")
    BLOCKED = decision_rule.BLOCKED, _("Blocked")
    NO_QUORUM = decision_rule.NO_QUORUM, _("No quorum")
    NO_SUPPORT = decision_rule.NO_SUPPORT, _("Nobody agreed")
    FALLBACK_PASSED = decision_rule.FALLBACK_PASSED, _("Passed by the fallback rule")
    FALLBACK_FAILED = decision_rule.FALLBACK_FAILED, _("Failed under the fallback rule")


AGREED_OUTCOMES = (Outcome.CONSENSUS, Outcome.WEAK, Outcome.FALLBACK_PASSED)


class Fallback(models.TextChoices):
    NONE = decision_rule.FALLBACK_NONE, _("None: without consensus the proposal fails")
    MINUS_ONE = decision_rule.FALLBACK_MINUS_ONE, _("Consensus minus one")
    MINUS_TWO = decision_rule.FALLBACK_MINUS_TWO, _("Consensus minus two")
    SUPERMAJORITY = (
        decision_rule.FALLBACK_SUPERMAJORITY,
        _("A supermajority in a second round, after a further discussion"),
    )


class ClosedHow(models.TextChoices):
    DEADLINE = "deadline", _("At the deadline")
    ALL_RESPONDED = "all_responded", _("Everyone had responded")
    BLOCK = "block", _("A block stopped it")


class Ratification(models.TextChoices):
    NOT_NEEDED = "", _("Not needed")
    PENDING = "pending", _("Waiting for the group to ratify")
    RATIFIED = "ratified", _("Ratified by the group")
    REFUSED = "refused", _("Not ratified by the group")


class MandateHolder(models.TextChoices):
    CORE = "core", _("The core group")
    SHIFT_TEAMS = "shift_teams", _("The teams on shift in the field")


# --- the decision rule ---------------------------------------------------------------------


class DecisionRuleQuerySet(models.QuerySet["DecisionRule"]):
    def in_force(self, group: Group) -> DecisionRule:
        """The group's rule in force: its latest adopted one, else the defaults (unsaved)."""
        found = self.filter(group=group).order_by("-adopted_at", "-pk").first()
        return found if found is not None else DecisionRule(group=group)

    def snapshot(self, group: Group) -> dict[str, object]:
        """The rule in force, as stored on a proposal when its test begins (`test_rule`)."""
        row = self.in_force(group)
        return {"id": row.pk, **row.as_rule().as_dict()}


class DecisionRule(models.Model):
    """How a group decides, agreed in advance. A new rule is a new row, adopted by a proposal
    of kind "decision rule"; earlier rows stay, as the history the register refers to."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="decision_rules")
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (percent of active members who must respond)"),
        default=decision_rule.DEFAULT_QUORUM_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    weak_at_stand_asides = models.PositiveSmallIntegerField(
        _("weak consensus from this many stand-asides"),
        default=decision_rule.DEFAULT_WEAK_AT,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    block_needs_second = models.BooleanField(
        _("a block holds only when a second member also blocks"), default=False
    )
    fallback = models.CharField(
        _("if consensus fails"),
        max_length=16,
        choices=Fallback.choices,
        default=Fallback.NONE,
    )
    supermajority_percent = models.PositiveSmallIntegerField(
        _("supermajority in the second round (percent)"),
        default=decision_rule.DEFAULT_SUPERMAJORITY_PERCENT,
        validators=[MinValueValidator(51), MaxValueValidator(100)],
    )
    adopted_at = models.DateTimeField(_("adopted"), default=timezone.now)
    adopted_by = models.OneToOneField(
        "decisions.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_rule",
        verbose_name=_("adopted by the proposal"),
    )

    objects = DecisionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision rule")
        verbose_name_plural = _("decision rules")
        ordering = ["group", "-adopted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="decisions_rule_quorum_range",
            ),
            models.CheckConstraint(
                condition=Q(supermajority_percent__gte=51, supermajority_percent__lte=100),
                name="decisions_rule_supermajority_range",
            ),
            models.CheckConstraint(
                condition=Q(weak_at_stand_asides__gte=1), name="decisions_rule_weak_at_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.adopted_at:%Y-%m-%d}"

    def as_rule(self) -> decision_rule.Rule:
        return decision_rule.Rule(
            quorum_percent=self.quorum_percent,
            weak_at=self.weak_at_stand_asides,
            block_needs_second=self.block_needs_second,
            fallback=self.fallback,
            supermajority_percent=self.supermajority_percent,
        )


# --- mandates --------------------------------------------------------------------------------


class MandateQuerySet(models.QuerySet["Mandate"]):
    def in_force(self, on: dt.date | None = None) -> MandateQuerySet:
        """The mandates not withdrawn and not expired on `on` (today): `Mandate.is_in_force`."""
        return self.filter(withdrawn_at__isnull=True, until__gte=on or timezone.localdate())


class Mandate(models.Model):
    """What a team may decide alone, given by its group by consensus: the scope, the limits,
    until when, and when it reports back. Withdrawn by the group (again by a proposal)."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="mandates")
    holder = models.CharField(_("given to"), max_length=16, choices=MandateHolder.choices)
    title = models.CharField(_("title"), max_length=160)
    scope = models.TextField(_("what it may decide alone (Markdown)"))
    limits = models.TextField(_("within which limits (Markdown)"))
    until = models.DateField(_("until"))
    report_back = models.CharField(_("when it reports back"), max_length=280)
    granted_by = models.OneToOneField(
        "decisions.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="granted_mandate",
        verbose_name=_("given by the proposal"),
    )
    granted_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.OneToOneField(
        "decisions.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawn_mandate",
        verbose_name=_("withdrawn by the proposal"),
    )

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["group", "-granted_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def is_in_force(self, on: dt.date | None = None) -> bool:
        today = on or timezone.localdate()
        return self.withdrawn_at is None and self.until >= today


# --- proposals -------------------------------------------------------------------------------


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def open(self) -> ProposalQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def closed(self) -> ProposalQuerySet:
        return self.filter(stage=Stage.CLOSED)


class Proposal(models.Model):
    """A proposal and its way through the stages. Its words live in versions (`versions`); the
    current one is number `version`. Kind-specific terms: `candidate` (joining the core group),
    `terms` (a new decision rule, or a mandate's terms), `target_mandate` (a withdrawal),
    `ratifies` (a ratification), `shift` (a quick decision of the team on that shift)."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(
        _("kind"), max_length=24, choices=ProposalKind.choices, default=ProposalKind.GENERAL
    )
    body = models.CharField(
        _("decided by"), max_length=16, choices=Body.choices, default=Body.MEMBERS
    )
    shift = models.ForeignKey(
        "field.Shift",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("shift"),
    )
    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("taken under the mandate"),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
        verbose_name=_("proposed by"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_proposals",
        verbose_name=_("facilitator"),
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DRAFT)
    version = models.PositiveSmallIntegerField(_("current version"), default=1)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    # Each stage's deadline, to the minute; the facilitator may extend them.
    questions_end = models.DateTimeField(_("clarifying questions until"), null=True, blank=True)
    concerns_end = models.DateTimeField(_("concerns until"), null=True, blank=True)
    amendments_end = models.DateTimeField(_("amendments until"), null=True, blank=True)
    test_end = models.DateTimeField(_("test for agreement until"), null=True, blank=True)
    discussion_end = models.DateTimeField(_("further discussion until"), null=True, blank=True)
    second_round_end = models.DateTimeField(_("second round until"), null=True, blank=True)
    stage_started_at = models.DateTimeField(_("stage started"), null=True, blank=True)
    # The first moment of the test for agreement: absences that overlap the test excuse.
    test_started_at = models.DateTimeField(_("test started"), null=True, blank=True)
    # The group's rule in force when the test began (`Rule.as_dict()`): the close applies it, so
    # that a rule adopted while this test runs does not change its outcome. Empty: not begun.
    test_rule = models.JSONField(_("decision rule of the test"), default=dict, blank=True)
    # Set while a block stands: the proposal does not close early; the deadline still holds.
    paused_at = models.DateTimeField(_("paused by a block"), null=True, blank=True)
    created_at = models.DateTimeField(_("drafted"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, db_index=True)
    closed_how = models.CharField(
        _("how it closed"), max_length=16, choices=ClosedHow.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    # How the rule was applied: the rule, the numbers, the reasons (codes, shown translated).
    outcome_detail = models.JSONField(_("how the outcome was reached"), default=dict, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    # Kind-specific terms.
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="core_proposals",
        verbose_name=_("who would join the core group"),
    )
    terms = models.JSONField(_("terms"), default=dict, blank=True)
    target_mandate = models.ForeignKey(
        Mandate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawal_proposals",
        verbose_name=_("mandate to withdraw"),
    )
    ratifies = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratification_proposals",
        verbose_name=_("emergency decision to ratify"),
    )
    ratification = models.CharField(
        _("ratification"),
        max_length=16,
        choices=Ratification.choices,
        default=Ratification.NOT_NEEDED,
        blank=True,
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ProposalKind.QUICK) | Q(shift__isnull=False),
                name="decisions_quick_has_shift",
            ),
            models.CheckConstraint(
                condition=~Q(body=Body.SHIFT_TEAM) | Q(shift__isnull=False),
                name="decisions_shift_team_has_shift",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.CLOSED) | ~Q(outcome=""),
                name="decisions_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1) & Q(round__gte=1) & Q(round__lte=2),
                name="decisions_version_and_round",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "stage"], name="decisions_proposal_group_stage"),
            models.Index(fields=["stage", "test_end"], name="decisions_proposal_stage_end"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    @property
    def is_quick(self) -> bool:
        return self.kind == ProposalKind.QUICK

    @property
    def is_agreed(self) -> bool:
        return self.outcome in AGREED_OUTCOMES

    def rule_to_apply(self) -> decision_rule.Rule:
        """The rule the close applies: the one in force when the test began, else (a test not
        begun yet: the page's "if it closed now") the one in force now."""
        if self.test_rule:
            terms = {k: v for k, v in self.test_rule.items() if k != "id"}
            return decision_rule.Rule(**terms)  # type: ignore[arg-type]
        return DecisionRule.objects.in_force(self.group).as_rule()

    @property
    def stage_ends_at(self) -> dt.datetime | None:
        field = DEADLINE_FIELD.get(self.stage)  # type: ignore[call-overload]
        return getattr(self, field) if field else None


class ProposalVersion(models.Model):
    """The words of a proposal at one version. Version 1 is the draft as opened; each accepted
    amendment makes the next."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=160)
    text = models.TextField(_("the proposal (Markdown)"))
    why = models.TextField(_("why"), blank=True)
    if_agreed = models.TextField(_("what happens if agreed"), blank=True)
    concerns_whom = models.CharField(_("who it concerns"), max_length=280, blank=True)
    amendment = models.OneToOneField(
        "decisions.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resulting_version",
        verbose_name=_("made by the amendment"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="decisions_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.number}"


class Comment(models.Model):
    """A comment in one stage; in the clarifying-questions stage, a question that the proposer,
    the facilitator or the asker marks answered."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"))
    is_question = models.BooleanField(_("question"), default=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked answered by"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["proposal", "created_at", "pk"]
        indexes = [models.Index(fields=["proposal", "stage"], name="decisions_comment_stage")]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.stage} · {self.pk}"


class AmendmentStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the proposer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Amendment(models.Model):
    """A member's suggested change: the whole text as they would have it, and why. The proposer
    accepts it (a new version) or declines it, with a reason either way."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("suggested by"),
    )
    against_version = models.PositiveSmallIntegerField(_("suggested for version"))
    title = models.CharField(_("title"), max_length=160)
    text = models.TextField(_("the proposal (Markdown)"))
    why = models.TextField(_("why"), blank=True)
    if_agreed = models.TextField(_("what happens if agreed"), blank=True)
    concerns_whom = models.CharField(_("who it concerns"), max_length=280, blank=True)
    reason = models.TextField(_("why this change"))
    status = models.CharField(
        _("status"), max_length=16, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("the proposer's reason"), blank=True)
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["proposal", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id} · amendment {self.pk}"


class ResponseQuerySet(models.QuerySet["Response"]):
    def in_force(self) -> ResponseQuerySet:
        """Each person's latest answer (whether or not it counts for the current version)."""
        return self.filter(superseded_at__isnull=True)

    def current_of(self, user: Any) -> ResponseQuerySet:
        """For a subquery over proposals (`Exists(...)`): `user`'s answer in force to the outer
        proposal's current version, in its current round."""
        return self.filter(
            proposal=OuterRef("pk"),
            member=user,
            superseded_at__isnull=True,
            version=OuterRef("version"),
            round=OuterRef("round"),
        )

    def counting(self, proposal: Proposal) -> ResponseQuerySet:
        """The answers that count now: in force, in the current round, to the current version;
        a block counts whatever version it answered, until its author answers again (an
        amendment asks the blocker to look again; it does not lift the block for them)."""
        return self.filter(
            Q(version=proposal.version) | Q(position=Position.BLOCK),
            proposal=proposal,
            superseded_at__isnull=True,
            round=proposal.round,
        )


class Response(models.Model):
    """One person's answer to one version of a proposal, in one round. Kept when superseded."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="decision_responses",
        verbose_name=_("member"),
    )
    version = models.PositiveSmallIntegerField(_("answers version"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    position = models.CharField(_("response"), max_length=16, choices=Position.choices)
    reason = models.TextField(_("reason"), blank=True)
    principle = models.ForeignKey(
        Principle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the principle the proposal would break"),
    )
    created_at = models.DateTimeField(_("answered"), default=timezone.now)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member"],
                condition=Q(superseded_at__isnull=True),
                name="decisions_one_response_in_force",
            ),
            models.CheckConstraint(
                condition=~Q(position=Position.BLOCK) | Q(principle__isnull=False),
                name="decisions_block_cites_principle",
            ),
        ]
        indexes = [
            models.Index(fields=["proposal", "superseded_at"], name="decisions_response_force"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.member_id} · {self.position}"


class BlockMessage(models.Model):
    """The thread in which a blocker, the proposer and the facilitator try to resolve a block."""

    block = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="thread")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("block thread message")
        verbose_name_plural = _("block thread messages")
        ordering = ["block", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.block_id} · {self.pk}"


class ActionItem(models.Model):
    """Something to do once a proposal is agreed, with an owner and a due date."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("what"), max_length=280)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision_action_items",
        verbose_name=_("who"),
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["proposal", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class Absence(models.Model):
    """A member's excused absence: decisions whose test overlaps it do not count them toward
    the quorum."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="absences")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="decision_absences",
        verbose_name=_("member"),
    )
    # When someone is away is often when they travel: encrypted, compared in Python.
    starts_on = EncryptedDateField(_("away from"))
    ends_on = EncryptedDateField(_("back after"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("excused absence")
        verbose_name_plural = _("excused absences")
        ordering = ["group", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.pk}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day cannot be before the first.")})

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """Does this absence share a day with `first`..`last` (both included)?"""
        starts = cast(dt.date, self.starts_on)
        ends = cast(dt.date, self.ends_on)
        return starts <= last and ends >= first


def away_between(
    group: Group, member_ids: Iterable[int], first: dt.date, last: dt.date
) -> set[int]:
    """Which of `member_ids` have an absence in `group` sharing a day with `first`..`last`.
    The dates are encrypted, so the candidates' rows are read (one query) and compared here."""
    ids = set(member_ids)
    if not ids:
        return set()
    rows = Absence.objects.filter(group=group, member_id__in=ids).only(
        "member_id", "starts_on", "ends_on"
    )
    return {row.member_id for row in rows if row.overlaps(first, last)}


def decision_day(moment: dt.datetime) -> dt.date:
    """The calendar day of `moment` for absences, in the site's zone whoever asks (the close
    may run in a request in the viewer's zone or in the task)."""
    return timezone.localdate(moment, timezone.get_default_timezone())
