"""A proposal from its draft to the test for agreement: drafting and editing the draft, opening
it, the facilitator's deadlines (extend, or move on now), comments and clarifying questions,
amendments and the versions they make, and withdrawing.

Who does what: the proposer and the facilitator edit and open a draft; the facilitator keeps
time; members of the deciding body suggest amendments, and the proposer accepts or declines
each with a reason (when the proposer's account is gone, the facilitator speaks for the
proposal). Anyone who can see a proposal comments on it while it is open.

Every action here locks the proposal's row first and checks its stage under the lock, so a
deadline that passes in the same moment, or a second tab, finds the state the first left. A
closed or withdrawn proposal refuses everything: its record is what the register shows.

The whole group decides the special kinds (`MEMBERS_ONLY_KINDS`); the core group's decisions
are facilitated by a core member and may cite a mandate the group gave its core group. Opening
a draft checks all of it again, and its kind's terms, under the lock: what held when the draft
was saved may not any more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.decisions import notify, participants
from alongside.decisions.actions import (
    DecisionError,
    lock_proposal,
    refuse_if_finished,
    why_finished,
)
from alongside.decisions.actions import stages as stage_moves
from alongside.decisions.actions.stages import to_minute
from alongside.decisions.forms import terms as kind_terms
from alongside.decisions.models import (
    AMENDING_STAGES,
    DEADLINE_FIELD,
    FALLBACK_SEQUENCE,
    OPEN_STAGES,
    STAGE_SEQUENCE,
    SUGGESTING_STAGES,
    Amendment,
    AmendmentStatus,
    Body,
    Comment,
    Mandate,
    MandateHolder,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Response,
    Stage,
)
from alongside.lib import audit
from alongside.lib.changes import apply_changes
from alongside.movement.models import Group

# The words of a proposal, kept per version; an amendment carries the same fields.
WORDS = ("title", "text", "why", "if_agreed", "concerns_whom")
REQUIRED_WORDS = ("title", "text")
# The deadlines a draft sets, one per stage, in order.
DEADLINES = tuple(DEADLINE_FIELD[stage] for stage in STAGE_SEQUENCE)
# What a draft sets besides its words and its kind's terms (`mandate`: the core group's mandate
# a decision of the core group is taken under, if any).
SETTINGS = ("body", "facilitator", *DEADLINES, "review_on", "mandate")
# A draft's terms, for the audit of an edit (names only).
TERM_FIELDS = ("candidate", "terms", "target_mandate", "ratifies", "mandate")
DRAFT_BODIES = (Body.MEMBERS, Body.CORE)
# What only the whole group decides: who coordinates, how it decides, what it entrusts to others
# and what they decided for it.
MEMBERS_ONLY_KINDS = (
    ProposalKind.CORE_MEMBERSHIP,
    ProposalKind.DECISION_RULE,
    ProposalKind.MANDATE,
    ProposalKind.MANDATE_WITHDRAWAL,
    ProposalKind.RATIFICATION,
)
COMMENT_MAX = 5000
REASON_MAX = 5000

# How long each stage lasts by default, from the moment the draft is begun: the deadlines the
# draft form offers (questions 2 days, concerns 2 more, amendments 2 more, the test 3 more).
DEFAULT_DEADLINES = {
    "questions_end": dt.timedelta(days=2),
    "concerns_end": dt.timedelta(days=4),
    "amendments_end": dt.timedelta(days=6),
    "test_end": dt.timedelta(days=9),
}


# --- who may ---------------------------------------------------------------------------------


def is_facilitator(user: Any, proposal: Proposal) -> bool:
    """The facilitator keeps time; with no facilitator any more, the proposer does."""
    return user.pk is not None and user.pk == (proposal.facilitator_id or proposal.proposer_id)


def speaks_for(user: Any, proposal: Proposal) -> bool:
    """The proposer decides amendments and may withdraw; with the proposer's account gone, the
    facilitator does."""
    return user.pk is not None and user.pk == (proposal.proposer_id or proposal.facilitator_id)


def may_put_to_core(user: Any, group: Group) -> bool:
    """Only core members put a proposal to the core group: nobody else could follow it."""
    return participants.is_core(user, group)


def drafts(user: Any, proposal: Proposal) -> bool:
    return user.pk is not None and user.pk in (proposal.proposer_id, proposal.facilitator_id)


# Why a person may not do a thing on the proposal now, or None when they may. The actions
# refuse with this message; the views send someone who opens the page anyway back with it.


def why_not_edit(user: Any, proposal: Proposal) -> Any | None:
    if proposal.stage != Stage.DRAFT:
        return why_finished(proposal) or _(
            "The proposal is open: its words change only by amendments."
        )
    if not drafts(user, proposal):
        return _("Only the proposer and the facilitator change a draft.")
    return None


def why_not_keep_time(user: Any, proposal: Proposal, now: dt.datetime | None = None) -> Any | None:
    """Extending the current stage or moving on: the facilitator, while the proposal is open
    and before the stage's deadline (once it passed, the stage is over: the task moves the
    proposal on, or closes its test, within the minute)."""
    if proposal.stage not in OPEN_STAGES:
        return why_finished(proposal) or _("Deadlines are kept once the proposal is open.")
    if not is_facilitator(user, proposal):
        return _("Only the facilitator changes the deadlines.")
    if stage_moves.deadline_passed(proposal, _now(now)):
        if proposal.stage in stage_moves.NEXT_STAGE:
            return _("This stage's deadline has passed; it is moving on.")
        return _("This stage's deadline has passed; the proposal is closing.")
    return None


def why_not_suggest(user: Any, proposal: Proposal) -> Any | None:
    if proposal.stage not in SUGGESTING_STAGES:
        return why_finished(proposal) or _(
            "Amendments are suggested during the concerns, the amendments and the test."
        )
    if not participants.is_in_body(user, proposal):
        return _("Only those who decide this proposal suggest amendments.")
    return None


def is_stale(proposal: Proposal, amendment: Amendment) -> bool:
    """Was the amendment written for an earlier version than the current one? Its words would
    undo what changed since: it can be declined, not accepted."""
    return amendment.against_version != proposal.version


def why_not_accept(proposal: Proposal, amendment: Amendment) -> Any | None:
    if is_stale(proposal, amendment):
        return _(
            "This amendment was written for version %(number)s; the proposal is now at version "
            "%(current)s. Accepting it would undo what changed since: decline it, or suggest "
            "the change again on the current version."
        ) % {"number": amendment.against_version, "current": proposal.version}
    return None


def why_not_decide(user: Any, proposal: Proposal, amendment: Amendment) -> Any | None:
    if proposal.stage not in AMENDING_STAGES:
        return why_finished(proposal) or _(
            "Amendments are accepted or declined during the amendments and the test."
        )
    if not speaks_for(user, proposal):
        return _("Only the proposer accepts or declines amendments.")
    if amendment.status != AmendmentStatus.OPEN:
        return _("This amendment was decided already.")
    return None


def _refuse(problem: Any | None) -> None:
    if problem is not None:
        raise DecisionError(problem)


def _refuse_moved(proposal: Proposal, seen: str | None) -> None:
    """The facilitator acts on the stage they saw; when a deadline moved the proposal on in
    between, their "move on" or new deadline was meant for a stage that is over."""
    if seen is not None and seen != proposal.stage:
        raise DecisionError(
            _("The proposal has moved on meanwhile: it is now in “%(stage)s”. Look again.")
            % {"stage": proposal.get_stage_display()}
        )


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def default_deadlines(now: dt.datetime) -> dict[str, dt.datetime]:
    start = to_minute(now)
    return {name: start + length for name, length in DEFAULT_DEADLINES.items()}


# --- checks shared with the forms ------------------------------------------------------------


def deadline_problems(values: Mapping[str, Any], *, now: dt.datetime) -> list[tuple[str, Any]]:
    """What is wrong with a draft's deadlines, as (field, message): each stage must end after
    the one before it, the first in the future."""
    problems: list[tuple[str, Any]] = []
    previous: dt.datetime | None = None
    for name in DEADLINES:
        value = values.get(name)
        if value is None:
            problems.append((name, _("Give a deadline for this stage.")))
        elif value <= now:
            problems.append((name, _("This deadline has passed: give one in the future.")))
        elif previous is not None and value <= previous:
            problems.append((name, _("This stage must end after the one before it.")))
        previous = value or previous
    return problems


def _check_deadlines(values: Mapping[str, Any], now: dt.datetime) -> None:
    problems = deadline_problems(values, now=now)
    if problems:
        raise DecisionError(problems[0][1])


def _check_words(words: Mapping[str, str]) -> dict[str, str]:
    cleaned = {name: (words.get(name) or "").strip() for name in WORDS}
    if not all(cleaned[name] for name in REQUIRED_WORDS):
        raise DecisionError(_("Give the proposal a title and its text."))
    return cleaned


def core_mandates(group: Group, *, on: dt.date | None = None) -> Any:
    """The mandates in force that `group` gave its core group: a decision of the core group
    may be taken under one of them."""
    return (
        Mandate.objects.in_force(on)
        .filter(group=group, holder=MandateHolder.CORE)
        .order_by("title", "pk")
    )


def mandate_problem(
    mandate: Mandate, *, group: Group, kind: str, body: str, on: dt.date
) -> Any | None:
    """Why `mandate` cannot be cited by a draft of `kind` decided by `body`, or None."""
    if kind != ProposalKind.GENERAL:
        return _("Only a general proposal is taken under a mandate.")
    if mandate.group_id != group.pk or mandate.holder != MandateHolder.CORE:
        return _("Choose a mandate the group gave its core group.")
    if not mandate.is_in_force(on):
        return _("This mandate is no longer in force.")
    if body != Body.CORE:
        return _(
            "A decision under the core group's mandate is the core group's: choose the core "
            "group as who decides."
        )
    return None


def members_only_problem(kind: str, body: str) -> Any | None:
    if kind in MEMBERS_ONLY_KINDS and body != Body.MEMBERS:
        return _("All members of the group decide this kind of proposal, not the core group.")
    return None


def core_facilitator_problem(body: str, facilitator: Any, group: Group) -> Any | None:
    if body == Body.CORE and not participants.is_core(facilitator, group):
        return _("When the core group decides, its facilitator must be a core member.")
    return None


def _check_settings(
    group: Group, values: Mapping[str, Any], proposer: Any, *, kind: str, now: dt.datetime
) -> None:
    body = values["body"]
    if body not in DRAFT_BODIES:
        raise DecisionError(_("Choose who decides: all members or the core group."))
    _refuse(members_only_problem(kind, body))
    facilitator = values["facilitator"]
    if not participants.is_member(facilitator, group):
        raise DecisionError(_("The facilitator must be a member of the group."))
    if body == Body.CORE and not may_put_to_core(proposer, group):
        # They could not see their own proposal once it is open.
        raise DecisionError(_("Only core members put a proposal to the core group."))
    _refuse(core_facilitator_problem(body, facilitator, group))
    mandate = values.get("mandate")
    if mandate is not None:
        _refuse(
            mandate_problem(mandate, group=group, kind=kind, body=body, on=timezone.localdate(now))
        )


def _terms_snapshot(proposal: Proposal) -> dict[str, Any]:
    return {
        name: getattr(proposal, name if name == "terms" else f"{name}_id") for name in TERM_FIELDS
    }


# --- drafts ----------------------------------------------------------------------------------


def draft_proposal(
    *,
    group: Group,
    proposer: Any,
    kind: str,
    words: Mapping[str, str],
    values: Mapping[str, Any],
    terms: forms.Form | None = None,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Proposal:
    """Save a draft of `kind` with its words (version 1), its settings (`SETTINGS`: body,
    facilitator, the four deadlines, the review date) and its kind's terms (a valid form of
    `forms.terms`). Only its proposer and facilitator see it until it is opened."""
    now = _now(now)
    if kind not in ProposalKind.values or kind == ProposalKind.QUICK:
        raise DecisionError(_("Choose a kind of proposal."))
    cleaned = _check_words(words)
    _check_settings(group, values, proposer, kind=kind, now=now)
    _check_deadlines(values, now)
    with transaction.atomic():
        proposal = Proposal(group=group, kind=kind, proposer=proposer, created_at=now)
        for name in SETTINGS:
            setattr(proposal, name, values.get(name))
        if terms is not None:
            kind_terms.save_terms(proposal, terms)
        proposal.save()
        ProposalVersion.objects.create(proposal=proposal, number=1, created_at=now, **cleaned)
        audit.record(
            actor=proposer,
            action="create",
            target=proposal,
            request=request,
            detail={"kind": kind, "body": proposal.body},
        )
    return proposal


def edit_draft(
    *,
    proposal_id: int,
    actor: Any,
    words: Mapping[str, str],
    values: Mapping[str, Any],
    terms: forms.Form | None = None,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change a draft's words, settings and terms (its proposer or facilitator). Returns the
    names of what changed; nothing is written when nothing did."""
    now = _now(now)
    cleaned = _check_words(words)
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        _refuse(why_not_edit(actor, proposal))
        _check_settings(
            proposal.group, values, proposal.proposer or actor, kind=proposal.kind, now=now
        )
        _check_deadlines(values, now)
        changed = [name for name in SETTINGS if getattr(proposal, name) != values.get(name)]
        for name in changed:
            setattr(proposal, name, values.get(name))
        if terms is not None:
            before = _terms_snapshot(proposal)
            kind_terms.save_terms(proposal, terms)
            after = _terms_snapshot(proposal)
            changed += [name for name in TERM_FIELDS if before[name] != after[name]]
        version = ProposalVersion.objects.select_for_update().get(proposal=proposal, number=1)
        changed_words = apply_changes(version, cleaned)
        if changed_words:
            version.save(update_fields=changed_words)
        if changed:
            proposal.save()
        changed += changed_words
        if changed:
            audit.record(
                actor=actor,
                action="update",
                target=proposal,
                request=request,
                detail={"fields": changed},
            )
    return changed


def _stored_terms(proposal: Proposal) -> dict[str, Any]:
    """The draft's saved terms as the terms form's data, to check them again as it opens."""
    if proposal.kind == ProposalKind.CORE_MEMBERSHIP:
        values: dict[str, Any] = {"candidate": proposal.candidate_id}
    elif proposal.kind == ProposalKind.MANDATE_WITHDRAWAL:
        values = {"target_mandate": proposal.target_mandate_id}
    elif proposal.kind == ProposalKind.RATIFICATION:
        values = {"ratifies": proposal.ratifies_id}
    else:
        values = dict(proposal.terms or {})
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        data[f"{kind_terms.PREFIX}-{name}"] = str(value)
    return data


def terms_problem(proposal: Proposal) -> Any | None:
    """Why the draft's terms do not hold any more, or None: the terms form's own checks on what
    was saved (another proposal for the same person, mandate or decision opened meanwhile; the
    rule it would replace changed; the mandate or the decision is no longer there to act on)."""
    form = kind_terms.terms_form(
        proposal.kind, proposal.group, data=_stored_terms(proposal), proposal=proposal
    )
    if form is None or form.is_valid():
        return None
    for errors in form.errors.values():
        for message in errors:
            return message
    return _("The terms of this proposal are not complete: change the draft.")


def open_proposal(
    *,
    proposal_id: int,
    actor: Any,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Proposal:
    """Open a draft: the clarifying questions begin and the body is told."""
    now = _now(now)
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        refuse_if_finished(proposal)
        if proposal.stage != Stage.DRAFT:
            raise DecisionError(_("This proposal is open already."))
        if not drafts(actor, proposal):
            raise DecisionError(_("Only the proposer and the facilitator open a draft."))
        # Opening proposals of the same group take turns from here: two drafts for the same
        # person, mandate or decision cannot both pass the terms' check below.
        Group.objects.select_for_update().filter(pk=proposal.group_id).first()
        _check_deadlines({name: getattr(proposal, name) for name in DEADLINES}, now)
        # What held when the draft was saved may not any more: who is core, the mandate.
        _check_settings(
            proposal.group,
            {name: getattr(proposal, name) for name in SETTINGS},
            proposal.proposer or actor,
            kind=proposal.kind,
            now=now,
        )
        _refuse(terms_problem(proposal))
        proposal.stage = Stage.QUESTIONS
        proposal.opened_at = now
        proposal.stage_started_at = now
        proposal.save(update_fields=["stage", "opened_at", "stage_started_at"])
        audit.record(
            actor=actor,
            action="open",
            target=proposal,
            request=request,
            detail={"kind": proposal.kind},
        )
        notify.stage_started(proposal)
    return proposal


def withdraw_proposal(
    *,
    proposal_id: int,
    actor: Any,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Proposal:
    """The proposer takes the proposal back, as a draft or at any stage before the close."""
    now = _now(now)
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        refuse_if_finished(proposal)
        if not speaks_for(actor, proposal):
            raise DecisionError(_("Only the proposer withdraws a proposal."))
        before = proposal.stage
        proposal.stage = Stage.WITHDRAWN
        proposal.stage_started_at = now
        proposal.paused_at = None
        proposal.save(update_fields=["stage", "stage_started_at", "paused_at"])
        audit.record(
            actor=actor,
            action="withdraw",
            target=proposal,
            request=request,
            detail={"from": before},
        )
    return proposal


# --- the facilitator's deadlines ---------------------------------------------------------------


def _later_deadlines(stage: str) -> list[str]:
    """The deadline fields after `stage`'s, in order."""
    for sequence in (STAGE_SEQUENCE, FALLBACK_SEQUENCE):
        if stage in sequence:
            index = sequence.index(Stage(stage))
            return [DEADLINE_FIELD[later] for later in sequence[index + 1 :]]
    return []


def extend_stage(
    *,
    proposal_id: int,
    actor: Any,
    until: dt.datetime,
    stage: str | None = None,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> dt.timedelta:
    """The facilitator gives the current stage (`stage`, when they name the one they saw) more
    time, to `until` (to the minute); the later stages' deadlines move by as much. Returns by
    how much."""
    now = _now(now)
    until = to_minute(until)
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        _refuse(why_not_keep_time(actor, proposal, now))
        _refuse_moved(proposal, stage)
        field = DEADLINE_FIELD[Stage(proposal.stage)]
        current = getattr(proposal, field)
        if until <= now:
            raise DecisionError(_("Give a time in the future."))
        if current is not None and until <= current:
            raise DecisionError(
                _("Give a time after the current deadline: it can only be extended.")
            )
        delta = until - current if current is not None else dt.timedelta(0)
        setattr(proposal, field, until)
        changed = [field]
        for later in _later_deadlines(proposal.stage):
            value = getattr(proposal, later)
            if value is not None:
                setattr(proposal, later, value + delta)
                changed.append(later)
        proposal.save(update_fields=changed)
        audit.record(
            actor=actor,
            action="extend",
            target=proposal,
            request=request,
            detail={"stage": proposal.stage, "minutes": int(delta.total_seconds() // 60)},
        )
    return delta


def move_on(
    *,
    proposal_id: int,
    actor: Any,
    stage: str | None = None,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> str:
    """The facilitator ends the current stage (`stage`, when they name the one they saw) now
    and the next begins (its deadline stays). Not in the test or the second round: members were
    promised until their deadline to answer. Returns the new stage."""
    now = _now(now)
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        _refuse(why_not_keep_time(actor, proposal, now))
        _refuse_moved(proposal, stage)
        if proposal.stage not in stage_moves.NEXT_STAGE:
            raise DecisionError(
                _(
                    "The answers are open until the deadline: the facilitator can extend it, "
                    "not end it early."
                )
            )
        # The stage ended now: the timeline shows when it really did.
        ended = DEADLINE_FIELD[Stage(proposal.stage)]
        setattr(proposal, ended, now)
        proposal.save(update_fields=[ended])
        stage = stage_moves.NEXT_STAGE[proposal.stage]
        stage_moves.enter_stage(
            proposal, stage, now=now, actor=actor, how="facilitator", request=request
        )
        notify.stage_started(proposal)
    return stage


# --- comments and questions --------------------------------------------------------------------


def add_comment(
    *,
    proposal_id: int,
    author: Any,
    body: str,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Comment:
    """A comment in the current stage; in the clarifying questions, a question."""
    now = _now(now)
    body = (body or "").strip()
    if not body:
        raise DecisionError(_("Write your comment first."))
    if len(body) > COMMENT_MAX:
        raise DecisionError(_("The comment is too long: at most 5000 characters."))
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        refuse_if_finished(proposal)
        if proposal.stage not in OPEN_STAGES:
            raise DecisionError(_("Comments open once the proposal is open."))
        if not participants.can_see(author, proposal):
            raise DecisionError(_("Only members who can see the proposal comment on it."))
        comment = Comment.objects.create(
            proposal=proposal,
            stage=proposal.stage,
            author=author,
            body=body,
            is_question=proposal.stage == Stage.QUESTIONS,
            created_at=now,
        )
        audit.record(
            actor=author,
            action="comment",
            target=proposal,
            request=request,
            detail={"stage": proposal.stage, "comment": comment.pk},
        )
    return comment


def mark_answered(
    *,
    proposal_id: int,
    comment_id: int,
    actor: Any,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """The asker, the proposer or the facilitator marks a question answered. Returns False when
    it was marked already."""
    now = _now(now)
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        refuse_if_finished(proposal)
        comment = Comment.objects.filter(proposal=proposal, pk=comment_id).first()
        if comment is None or not comment.is_question:
            raise DecisionError(_("Only questions are marked answered."))
        if actor.pk not in (comment.author_id, proposal.proposer_id, proposal.facilitator_id):
            raise DecisionError(
                _(
                    "The person who asked, the proposer or the facilitator marks a question "
                    "answered."
                )
            )
        if comment.answered_at is not None:
            return False
        comment.answered_at = now
        comment.answered_by = actor
        comment.save(update_fields=["answered_at", "answered_by"])
        audit.record(
            actor=actor,
            action="answered",
            target=proposal,
            request=request,
            detail={"comment": comment.pk},
        )
    return True


# --- amendments and versions -------------------------------------------------------------------


def current_version(proposal: Proposal) -> ProposalVersion:
    return ProposalVersion.objects.get(proposal=proposal, number=proposal.version)


def suggest_amendment(
    *,
    proposal_id: int,
    author: Any,
    words: Mapping[str, str],
    reason: str,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Amendment:
    """A member of the deciding body suggests the proposal's words as they would have them,
    and why, while concerns, amendments or the test are under way."""
    now = _now(now)
    cleaned = _check_words(words)
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError(_("Say why you suggest this change."))
    if len(reason) > REASON_MAX:
        raise DecisionError(_("The reason is too long: at most 5000 characters."))
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        _refuse(why_not_suggest(author, proposal))
        version = current_version(proposal)
        if all(getattr(version, name) == cleaned[name] for name in WORDS):
            raise DecisionError(
                _(
                    "These are the proposal's words as they stand: change them, or write your "
                    "concern as a comment."
                )
            )
        amendment = Amendment.objects.create(
            proposal=proposal,
            author=author,
            against_version=proposal.version,
            reason=reason,
            created_at=now,
            **cleaned,
        )
        audit.record(
            actor=author,
            action="suggest",
            target=proposal,
            request=request,
            detail={"amendment": amendment.pk, "version": proposal.version},
        )
    return amendment


def _members_to_reconfirm(proposal: Proposal) -> list[int]:
    """Who answered an earlier version in this round and has not answered the current one."""
    return list(
        Response.objects.in_force()
        .filter(proposal=proposal, round=proposal.round, member__isnull=False)
        .exclude(version=proposal.version)
        .values_list("member_id", flat=True)
    )


def decide_amendment(
    *,
    proposal_id: int,
    amendment_id: int,
    actor: Any,
    accept: bool,
    reason: str,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> ProposalVersion | None:
    """The proposer accepts an amendment (its words become the next version, and everyone who
    answered an earlier one is asked to confirm again) or declines it, with a reason either way.
    Returns the new version when accepted."""
    now = _now(now)
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError(_("Give your reason: the members read it with the amendment."))
    if len(reason) > REASON_MAX:
        raise DecisionError(_("The reason is too long: at most 5000 characters."))
    with transaction.atomic():
        proposal = lock_proposal(proposal_id)
        amendment = (
            Amendment.objects.select_for_update().filter(proposal=proposal, pk=amendment_id).first()
        )
        if amendment is None:
            raise DecisionError(_("This amendment is not part of the proposal."))
        _refuse(why_not_decide(actor, proposal, amendment))
        if accept:
            _refuse(why_not_accept(proposal, amendment))
        amendment.status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.DECLINED
        amendment.decided_at = now
        amendment.decided_by = actor
        amendment.decision_reason = reason
        amendment.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        version = None
        if accept:
            proposal.version += 1
            proposal.save(update_fields=["version"])
            version = ProposalVersion.objects.create(
                proposal=proposal,
                number=proposal.version,
                amendment=amendment,
                created_at=now,
                **{name: getattr(amendment, name) for name in WORDS},
            )
            # A block on the earlier version no longer counts: the pause ends with it.
            from alongside.decisions.actions.responses import sync_pause

            sync_pause(proposal, now=now, actor=actor, request=request)
        audit.record(
            actor=actor,
            action="amend",
            target=proposal,
            request=request,
            detail={
                "amendment": amendment.pk,
                "status": amendment.status,
                "version": proposal.version,
            },
        )
        if accept:
            to_ask = _members_to_reconfirm(proposal)
            if to_ask:
                notify.reconfirm(proposal, to_ask)
    return version
