"""A group's proposals: the decisions index, drafting, the proposal page with its stages,
comments, questions and amendments, the facilitator's deadlines, and the versions.

Every page is a group member's (`group_member`); a proposal the person may not see answers 404
(`access.get_proposal_for_user`). Someone who sees a proposal but may not do a thing on it now
(not its facilitator, the wrong stage, closed) is sent back to the proposal page with a message
saying why: the action itself decides, and its `DecisionError` is that message. A quick
decision names the team on a shift: a viewer outside the team uses a second factor first."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.models import User
from alongside.decisions import access, participants
from alongside.decisions.actions import DecisionError
from alongside.decisions.actions import proposals as actions
from alongside.decisions.diff import words_diff
from alongside.decisions.forms import terms as kind_terms
from alongside.decisions.forms.proposals import (
    AmendmentDecisionForm,
    AmendmentForm,
    CommentForm,
    DraftForm,
    ExtendForm,
    words_of,
)
from alongside.decisions.models import (
    DEADLINE_FIELD,
    FALLBACK_SEQUENCE,
    OPEN_STAGES,
    RESPONDING_STAGES,
    STAGE_SEQUENCE,
    SUGGESTING_STAGES,
    Amendment,
    Body,
    Comment,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Ratification,
    Response,
    Stage,
)
from alongside.decisions.register import with_final_title
from alongside.decisions.views.record import record_panel
from alongside.decisions.views.responses import build_panel
from alongside.field.models import SignUp, SignUpStatus
from alongside.lib.access import group_member, second_factor_redirect, user_roles
from alongside.movement.models import PRIVILEGED_ROLES, Group, Role

PROPOSALS_PER_PAGE = 20
VERSIONS_PER_PAGE = 10
GET_POST = require_http_methods(["GET", "POST"])
# The kinds a member drafts here (a quick decision starts from a shift in the field).
DRAFT_KINDS = [kind for kind in ProposalKind if kind != ProposalKind.QUICK]
SPECIAL_KINDS = [(kind.value, kind.label) for kind in DRAFT_KINDS if kind != ProposalKind.GENERAL]


def _user(request: HttpRequest) -> User:
    # The access decorators have already turned anonymous visitors away.
    return cast(User, request.user)


def _to_proposal(group: Group, proposal: Proposal) -> HttpResponse:
    return redirect("decisions:proposal", group_slug=group.slug, proposal_id=proposal.pk)


def _seen_proposal(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view receives the proposal named in the address (`proposal_id`) as `proposal`: one
    the person may see (`access.get_proposal_for_user`, 404 otherwise). A quick decision names
    the team on a shift in the field: anyone outside the team who may see it confirms who they
    are with their second factor first."""

    @functools.wraps(view)
    def wrapper(
        request: HttpRequest, *args: Any, group: Group, proposal_id: int, **kwargs: Any
    ) -> HttpResponse:
        proposal = access.get_proposal_for_user(request.user, group, proposal_id)
        if participants.needs_second_factor(request.user, proposal):
            asked = second_factor_redirect(request)
            if asked is not None:
                return asked
        return view(request, *args, group=group, proposal=proposal, **kwargs)

    return wrapper


def _refused(request: HttpRequest, group: Group, proposal: Proposal, message: Any) -> HttpResponse:
    messages.error(request, message)
    return _to_proposal(group, proposal)


def _act(
    request: HttpRequest, group: Group, proposal: Proposal, act: Callable[[], Any]
) -> HttpResponse:
    """Run `act` (it returns the success message); a refusal becomes an error message."""
    try:
        messages.success(request, act())
    except DecisionError as refused:
        messages.error(request, refused.message)
    return _to_proposal(group, proposal)


# --- the decisions index ---------------------------------------------------------------------


def _stage_order() -> Case:
    return Case(
        *(When(stage=stage, then=Value(index)) for index, stage in enumerate(OPEN_STAGES)),
        output_field=IntegerField(),
    )


def _stage_end() -> Case:
    return Case(*(When(stage=stage, then=F(field)) for stage, field in DEADLINE_FIELD.items()))


def _open_for(user: User, group: Group, roles: set[str]) -> Any:
    """The group's open proposals `user` may see (`participants.can_see`, as one query), each
    with its `final_title` and `waiting`: they are in its body, it takes answers, and they have
    none that counts."""
    proposals = Proposal.objects.filter(group=group, stage__in=OPEN_STAGES)
    on_shift = Exists(
        SignUp.objects.filter(shift=OuterRef("shift"), user=user, status=SignUpStatus.CONFIRMED)
    )
    in_body = Q(body=Body.MEMBERS) | Q(on_shift, body=Body.SHIFT_TEAM)
    if not roles & set(PRIVILEGED_ROLES):
        # A quick decision names the team in the field: outside it, only the group's core
        # members and documenters see it (`participants.can_see`).
        in_team = (
            on_shift
            | Q(proposer=user)
            | Q(Exists(Response.objects.filter(proposal=OuterRef("pk"), member=user)))
        )
        proposals = proposals.exclude(Q(body=Body.SHIFT_TEAM) & ~in_team)
    if Role.CORE in roles:
        in_body |= Q(body=Body.CORE)
    else:
        proposals = proposals.exclude(body=Body.CORE)
    counting = Response.objects.current_of(user)
    waiting = Q(in_body, ~Exists(counting), stage__in=RESPONDING_STAGES)
    return with_final_title(proposals).annotate(
        waiting=Case(When(waiting, then=Value(True)), default=Value(False)),
        stage_order=_stage_order(),
        ends=_stage_end(),
    )


@group_member
@require_GET
def index(request: HttpRequest, group: Group) -> HttpResponse:
    user = _user(request)
    roles = user_roles(user, group)
    open_proposals = _open_for(user, group, roles)
    waiting = list(open_proposals.filter(waiting=True).order_by("ends", "pk")[:PROPOSALS_PER_PAGE])
    page = Paginator(
        open_proposals.order_by("stage_order", "ends", "pk"), PROPOSALS_PER_PAGE
    ).get_page(request.GET.get("page"))
    drafts = Paginator(
        with_final_title(
            Proposal.objects.filter(group=group, stage=Stage.DRAFT).filter(
                Q(proposer=user) | Q(facilitator=user)
            )
        ).order_by("-created_at", "-pk"),
        PROPOSALS_PER_PAGE,
    ).get_page(request.GET.get("drafts"))
    to_ratify = Proposal.objects.filter(group=group, ratification=Ratification.PENDING).count()
    return render(
        request,
        "decisions/index.html",
        {
            "group": group,
            "waiting": waiting,
            "page": page,
            "drafts": drafts,
            "to_ratify": to_ratify,
            "special_kinds": SPECIAL_KINDS,
        },
    )


# --- drafting --------------------------------------------------------------------------------


def _kind(request: HttpRequest, proposal: Proposal | None) -> str:
    if proposal is not None:
        return proposal.kind
    kind = request.GET.get("kind", "")
    return kind if kind in DRAFT_KINDS else ProposalKind.GENERAL.value


def _draft_page(
    request: HttpRequest, group: Group, proposal: Proposal | None = None
) -> HttpResponse:
    """The draft form, new (`proposal` None) or a draft being changed, with its kind's terms."""
    user = _user(request)
    kind = _kind(request, proposal)
    data = request.POST if request.method == "POST" else None
    version = None
    if proposal is not None:
        version = ProposalVersion.objects.get(proposal=proposal, number=1)
    form = DraftForm(data, group=group, user=user, kind=kind, proposal=proposal, version=version)
    terms = kind_terms.terms_form(
        kind,
        group,
        data=data,
        proposal=proposal,
        user=user,
        initial=request.GET if data is None else None,
    )
    status = 200
    if data is not None:
        if form.is_valid() and (terms is None or terms.is_valid()):
            try:
                proposal = _save_draft(request, group, kind, proposal, form, terms)
            except DecisionError as refused:
                form.add_error(None, refused.message)
            else:
                return _to_proposal(group, proposal)
        status = 400
    return render(
        request,
        "decisions/draft_form.html",
        {
            "group": group,
            "proposal": proposal,
            "kind": kind,
            "kind_label": ProposalKind(kind).label,
            "form": form,
            "terms": terms,
        },
        status=status,
    )


def _save_draft(
    request: HttpRequest,
    group: Group,
    kind: str,
    proposal: Proposal | None,
    form: DraftForm,
    terms: forms.Form | None,
) -> Proposal:
    user = _user(request)
    if proposal is None:
        created = actions.draft_proposal(
            group=group,
            proposer=user,
            kind=kind,
            words=form.words(),
            values=form.values(),
            terms=terms,
            request=request,
        )
        messages.success(
            request,
            _("The draft is saved. Only you and the facilitator see it until it is opened."),
        )
        return created
    changed = actions.edit_draft(
        proposal_id=proposal.pk,
        actor=user,
        words=form.words(),
        values=form.values(),
        terms=terms,
        request=request,
    )
    if changed:
        messages.success(request, _("The draft is saved."))
    else:
        messages.info(request, _("Nothing was changed."))
    return proposal


@group_member
@GET_POST
def new(request: HttpRequest, group: Group) -> HttpResponse:
    return _draft_page(request, group)


@group_member
@GET_POST
@_seen_proposal
def edit(request: HttpRequest, group: Group, proposal: Proposal) -> HttpResponse:
    refusal = actions.why_not_edit(request.user, proposal)
    if refusal is not None:
        return _refused(request, group, proposal, refusal)
    return _draft_page(request, group, proposal)


@group_member
@require_POST
@_seen_proposal
def open_proposal(request: HttpRequest, group: Group, proposal: Proposal) -> HttpResponse:

    def act() -> str:
        actions.open_proposal(proposal_id=proposal.pk, actor=request.user, request=request)
        return _("The proposal is open: the clarifying questions have begun.")

    return _act(request, group, proposal, act)


@group_member
@require_POST
@_seen_proposal
def withdraw(request: HttpRequest, group: Group, proposal: Proposal) -> HttpResponse:
    if not request.POST.get("confirm"):
        return _refused(
            request, group, proposal, _("Tick the box to confirm that you withdraw the proposal.")
        )

    def act() -> str:
        actions.withdraw_proposal(proposal_id=proposal.pk, actor=request.user, request=request)
        return _("The proposal is withdrawn.")

    return _act(request, group, proposal, act)


# --- the proposal page -------------------------------------------------------------------------


def timeline(proposal: Proposal) -> list[dict[str, Any]]:
    """The stages in order with their deadlines, each done, current or to come."""
    if proposal.is_quick:
        stages: tuple[str, ...] = (Stage.TEST,)
    elif proposal.round == 2 or proposal.stage in FALLBACK_SEQUENCE:
        stages = (*STAGE_SEQUENCE, *FALLBACK_SEQUENCE)
    else:
        stages = STAGE_SEQUENCE
    if proposal.stage in stages:
        current = stages.index(proposal.stage)
    elif proposal.stage == Stage.DRAFT:
        current = -1
    else:
        current = len(stages)
    steps = []
    for index, stage in enumerate(stages):
        ends = getattr(proposal, DEADLINE_FIELD[Stage(stage)])
        state = "done" if index < current else "current" if index == current else "next"
        if proposal.closed_at is not None and ends is not None and state == "done":
            # Closed early (everyone answered, or a quick decision's block): it ended then.
            ends = min(ends, proposal.closed_at)
        if proposal.stage == Stage.WITHDRAWN and (
            ends is None or proposal.stage_started_at is None or ends > proposal.stage_started_at
        ):
            state, ends = "dropped", None
        steps.append({"stage": stage, "label": Stage(stage).label, "ends": ends, "state": state})
    return steps


def _comments_by_stage(proposal: Proposal) -> list[dict[str, Any]]:
    comments = Comment.objects.filter(proposal=proposal).select_related("author")
    by_stage: dict[str, list[Comment]] = {}
    for comment in comments:
        by_stage.setdefault(comment.stage, []).append(comment)
    stages = [entry["stage"] for entry in timeline(proposal)]
    stages += [stage for stage in by_stage if stage not in stages]
    return [
        {
            "stage": stage,
            "label": Stage(stage).label,
            "comments": by_stage.get(stage, []),
            "current": stage == proposal.stage,
        }
        for stage in stages
        if stage in by_stage or stage == proposal.stage
    ]


def _proposal_page(
    request: HttpRequest,
    group: Group,
    proposal: Proposal,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    version = actions.current_version(proposal)
    is_open = proposal.stage in OPEN_STAGES
    in_body = participants.is_in_body(user, proposal)
    amendments = list(
        Amendment.objects.filter(proposal=proposal).select_related("author").order_by("-pk")
    )
    context: dict[str, Any] = {
        "group": group,
        "proposal": proposal,
        "version": version,
        "kind_label": ProposalKind(proposal.kind).label,
        "timeline": timeline(proposal),
        "comment_stages": _comments_by_stage(proposal),
        "comment_form": comment_form
        or (CommentForm(stage=proposal.stage, prefix="comment") if is_open else None),
        "amendments": amendments,
        "is_open": is_open,
        "is_draft": proposal.stage == Stage.DRAFT,
        "drafts": actions.drafts(user, proposal),
        "is_facilitator": actions.is_facilitator(user, proposal),
        "marks_answered": user.pk in (proposal.proposer_id, proposal.facilitator_id),
        "may_suggest": proposal.stage in SUGGESTING_STAGES and in_body,
        "may_withdraw": (is_open or proposal.stage == Stage.DRAFT)
        and actions.speaks_for(user, proposal),
        "may_move_on": proposal.stage in actions.stage_moves.NEXT_STAGE,
    }
    context["responses_panel"] = build_panel(request, proposal)
    # The record names its own context variable (`record`).
    context.update(record_panel(request, proposal, in_body=in_body))
    return render(request, "decisions/proposal.html", context, status=status)


@group_member
@require_GET
@_seen_proposal
def detail(request: HttpRequest, group: Group, proposal: Proposal) -> HttpResponse:
    return _proposal_page(request, group, proposal)


@group_member
@require_POST
@_seen_proposal
def comment(request: HttpRequest, group: Group, proposal: Proposal) -> HttpResponse:
    form = CommentForm(request.POST, stage=proposal.stage, prefix="comment")
    if form.is_valid():
        try:
            actions.add_comment(
                proposal_id=proposal.pk,
                author=request.user,
                body=form.cleaned_data["body"],
                request=request,
            )
        except DecisionError as refused:
            # Not the words: the proposal no longer takes comments (it closed meanwhile).
            return _refused(request, group, proposal, refused.message)
        messages.success(request, _("Your comment is added."))
        return _to_proposal(group, proposal)
    return _proposal_page(request, group, proposal, comment_form=form, status=400)


@group_member
@require_POST
@_seen_proposal
def answered(
    request: HttpRequest, group: Group, proposal: Proposal, comment_id: int
) -> HttpResponse:
    question = access.get_comment(proposal, comment_id)

    def act() -> str:
        actions.mark_answered(
            proposal_id=proposal.pk, comment_id=question.pk, actor=request.user, request=request
        )
        return _("The question is marked answered.")

    return _act(request, group, proposal, act)


# --- the facilitator's deadlines -----------------------------------------------------------------


@group_member
@GET_POST
@_seen_proposal
def deadlines(request: HttpRequest, group: Group, proposal: Proposal) -> HttpResponse:
    refusal = actions.why_not_keep_time(request.user, proposal)
    if refusal is not None:
        return _refused(request, group, proposal, refusal)
    if request.method == "POST" and "move_on" in request.POST:

        def act() -> str:
            stage = actions.move_on(
                proposal_id=proposal.pk,
                actor=request.user,
                stage=request.POST.get("stage") or None,
                request=request,
            )
            return _("The proposal has moved on to: %(stage)s.") % {"stage": Stage(stage).label}

        return _act(request, group, proposal, act)
    form = ExtendForm(request.POST if request.method == "POST" else None, proposal=proposal)
    if form.is_bound and form.is_valid():
        try:
            actions.extend_stage(
                proposal_id=proposal.pk,
                actor=request.user,
                until=form.cleaned_data["until"],
                stage=request.POST.get("stage") or None,
                request=request,
            )
        except DecisionError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The deadline is extended; later stages move with it."))
            return _to_proposal(group, proposal)
    return render(
        request,
        "decisions/deadlines.html",
        {
            "group": group,
            "proposal": proposal,
            "title": _version_title(proposal),
            "form": form,
            "timeline": timeline(proposal),
            "may_move_on": proposal.stage in actions.stage_moves.NEXT_STAGE,
        },
        status=400 if form.errors else 200,
    )


def _version_title(proposal: Proposal) -> str:
    return (
        ProposalVersion.objects.filter(proposal=proposal, number=proposal.version)
        .values_list("title", flat=True)
        .get()
    )


# --- amendments and versions -------------------------------------------------------------------


@group_member
@GET_POST
@_seen_proposal
def suggest(request: HttpRequest, group: Group, proposal: Proposal) -> HttpResponse:
    refusal = actions.why_not_suggest(request.user, proposal)
    if refusal is not None:
        return _refused(request, group, proposal, refusal)
    version = actions.current_version(proposal)
    data = request.POST if request.method == "POST" else None
    form = AmendmentForm(data, initial=words_of(version))
    if form.is_bound and form.is_valid():
        try:
            amendment = actions.suggest_amendment(
                proposal_id=proposal.pk,
                author=request.user,
                words=form.words(),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DecisionError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your amendment is suggested; the proposer decides on it."))
            return redirect(
                "decisions:amendment",
                group_slug=group.slug,
                proposal_id=proposal.pk,
                amendment_id=amendment.pk,
            )
    return render(
        request,
        "decisions/amendment_form.html",
        {"group": group, "proposal": proposal, "version": version, "form": form},
        status=400 if form.errors else 200,
    )


@group_member
@GET_POST
@_seen_proposal
def amendment(
    request: HttpRequest, group: Group, proposal: Proposal, amendment_id: int
) -> HttpResponse:
    found = access.get_amendment(proposal, amendment_id)
    refusal = actions.why_not_decide(request.user, proposal, found)
    form = AmendmentDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and refusal is not None:
        return _refused(request, group, proposal, refusal)
    if form.is_bound:
        accept = "accept" in request.POST
        if not accept and "decline" not in request.POST:
            form.add_error(None, _("Choose to accept or to decline the amendment."))
        if form.is_valid():
            try:
                actions.decide_amendment(
                    proposal_id=proposal.pk,
                    amendment_id=found.pk,
                    actor=request.user,
                    accept=accept,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DecisionError as refused:
                form.add_error(None, refused.message)
            else:
                if accept:
                    message = _(
                        "The amendment is accepted: this is the new version. Everyone who had "
                        "answered is asked to confirm again."
                    )
                else:
                    message = _("The amendment is declined; your reason is shown with it.")
                messages.success(request, message)
                return _to_proposal(group, proposal)
    version = actions.current_version(proposal)
    return render(
        request,
        "decisions/amendment.html",
        {
            "group": group,
            "proposal": proposal,
            "amendment": found,
            "version": version,
            "diff": words_diff(version, found),
            "may_decide": refusal is None,
            # Written for an earlier version: it can be declined, or suggested again.
            "stale": actions.is_stale(proposal, found),
            "may_suggest": actions.why_not_suggest(request.user, proposal) is None,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@group_member
@require_GET
@_seen_proposal
def versions(request: HttpRequest, group: Group, proposal: Proposal) -> HttpResponse:
    """Every version, newest first, each beside what it changed in the one before."""
    all_versions = ProposalVersion.objects.filter(proposal=proposal).order_by("-number")
    page = Paginator(all_versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # The version before the page's oldest, to compare it with: one query for the page.
    numbers = {v.number for v in shown} | {v.number - 1 for v in shown}
    loaded = {
        v.number: v
        for v in ProposalVersion.objects.filter(
            proposal=proposal, number__in=numbers
        ).select_related("amendment__author")
    }
    rows = [
        {
            "version": loaded[v.number],
            "diff": words_diff(loaded[v.number - 1], loaded[v.number])
            if v.number - 1 in loaded
            else None,
        }
        for v in shown
    ]
    return render(
        request,
        "decisions/versions.html",
        {
            "group": group,
            "proposal": proposal,
            "title": _version_title(proposal),
            "page": page,
            "rows": rows,
        },
    )
