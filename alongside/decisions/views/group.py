"""A group's own decision-making: its rule in force, its mandates, the emergency decisions
waiting to be ratified, and the members' excused absences. Changing the rule, giving or
withdrawing a mandate and ratifying are proposals (links to the draft form with the kind)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.models import User
from alongside.decisions.access import get_mandate, get_own_absence
from alongside.decisions.actions import DecisionError
from alongside.decisions.actions import group as actions
from alongside.decisions.explain import rule_in_words
from alongside.decisions.forms.group import AbsenceForm
from alongside.decisions.forms.terms import waiting_for_ratification
from alongside.decisions.models import (
    OPEN_STAGES,
    Absence,
    Body,
    DecisionRule,
    Proposal,
    ProposalKind,
    Ratification,
)
from alongside.decisions.participants import roles_in
from alongside.decisions.register import with_final_title
from alongside.lib.access import group_member
from alongside.movement.models import Group, Role

PER_PAGE = 20


def _user(request: HttpRequest) -> User:
    # The access decorators have already turned anonymous visitors away.
    return cast(User, request.user)


def _seen_open(
    request: HttpRequest, group: Group, proposals: QuerySet[Proposal]
) -> QuerySet[Proposal]:
    """The open ones of `proposals` this reader may open: never a draft (it is its authors'
    until it opens), and the core group's own only for its core members (`participants.can_see`
    in one query)."""
    found = proposals.filter(stage__in=OPEN_STAGES, opened_at__isnull=False)
    if Role.CORE not in roles_in(request.user, group):
        found = found.exclude(body=Body.CORE)
    return found


def _open_of_kind(request: HttpRequest, group: Group, *kinds: str) -> list[Proposal]:
    """Open proposals of `kinds` the reader may open (shown beside what they would change; few
    at a time)."""
    found = _seen_open(request, group, Proposal.objects.filter(group=group, kind__in=kinds))
    return list(with_final_title(found).order_by("created_at", "pk")[:PER_PAGE])


@group_member
@require_GET
def rule(request: HttpRequest, group: Group) -> HttpResponse:
    """The group's decision rule in force, in plain words, and the rules it replaced."""
    in_force = DecisionRule.objects.in_force(group)
    history = DecisionRule.objects.filter(group=group).select_related("adopted_by")
    page = Paginator(history.order_by("-adopted_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "decisions/rule.html",
        {
            "group": group,
            "in_force": in_force,
            "words": rule_in_words(in_force),
            "page": page,
            "rows": [(row, rule_in_words(row)) for row in page],
            "proposed": _open_of_kind(request, group, ProposalKind.DECISION_RULE),
        },
    )


@group_member
@require_GET
def mandates(request: HttpRequest, group: Group) -> HttpResponse:
    """The mandates the group gave: in force first, then those ended or withdrawn."""
    today = timezone.localdate()
    found = group.mandates.annotate(decision_count=Count("decisions")).order_by(
        "-granted_at", "-pk"
    )
    in_force = found.filter(withdrawn_at__isnull=True, until__gte=today)
    ended = found.exclude(pk__in=in_force.values("pk"))
    page = Paginator(ended, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "decisions/mandates.html",
        {
            "group": group,
            "in_force": list(in_force),
            "page": page,
            "proposed": _open_of_kind(
                request, group, ProposalKind.MANDATE, ProposalKind.MANDATE_WITHDRAWAL
            ),
        },
    )


@group_member
@require_GET
def mandate(request: HttpRequest, group: Group, mandate_id: int) -> HttpResponse:
    """One mandate: what it allows, within which limits, until when, and the decisions taken
    under it."""
    found = get_mandate(group, mandate_id)
    decisions = with_final_title(found.decisions.filter(group=group).closed()).order_by(
        "-closed_at", "-pk"
    )
    page = Paginator(decisions, PER_PAGE).get_page(request.GET.get("page"))
    withdrawals = list(
        with_final_title(_seen_open(request, group, found.withdrawal_proposals.all())).order_by(
            "created_at", "pk"
        )
    )
    # One the reader may not open (the core group's) still stands in the way of another.
    withdrawal_open = (
        bool(withdrawals) or found.withdrawal_proposals.filter(stage__in=OPEN_STAGES).exists()
    )
    return render(
        request,
        "decisions/mandate.html",
        {
            "group": group,
            "mandate": found,
            "in_force": found.is_in_force(),
            "page": page,
            "withdrawals": withdrawals,
            "withdrawal_open": withdrawal_open,
        },
    )


@group_member
@require_GET
def ratifications(request: HttpRequest, group: Group) -> HttpResponse:
    """Emergency decisions taken outside any mandate, waiting for the group to ratify them, and
    the latest the group settled."""
    open_ratification = Proposal.objects.filter(
        kind=ProposalKind.RATIFICATION, ratifies=OuterRef("pk"), stage__in=OPEN_STAGES
    )
    seen = _seen_open(request, group, open_ratification)
    # The link goes to one the reader may open; one they may not (the core group's) is only
    # said to be open, since the form refuses a second.
    waiting = waiting_for_ratification(group).annotate(
        ratification_proposal=Subquery(seen.values("pk")[:1]),
        ratification_open=Exists(open_ratification),
    )
    page = Paginator(waiting, PER_PAGE).get_page(request.GET.get("page"))
    settled = list(
        with_final_title(
            Proposal.objects.filter(
                group=group, ratification__in=(Ratification.RATIFIED, Ratification.REFUSED)
            )
        ).order_by("-closed_at", "-pk")[:PER_PAGE]
    )
    return render(
        request,
        "decisions/ratifications.html",
        {"group": group, "page": page, "settled": settled},
    )


@group_member
@require_http_methods(["GET", "POST"])
def absences(request: HttpRequest, group: Group) -> HttpResponse:
    """My excused absences in this group, and a form to add one. Only one's own: when a person
    travels is theirs to tell."""
    form = AbsenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_absence(
                group=group,
                member=request.user,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                request=request,
            )
        except DecisionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your absence was recorded."))
            return redirect("decisions:absences", group_slug=group.slug)
    # Encrypted dates: this person's own rows (a handful) are read, compared and sorted here,
    # never in SQL; the list is paged, never cut.
    today = timezone.localdate()
    mine = sorted(
        (
            absence
            for absence in Absence.objects.filter(group=group, member=_user(request))
            if cast(dt.date, absence.ends_on) >= today
        ),
        key=lambda absence: (cast(dt.date, absence.starts_on), absence.pk),
    )
    page = Paginator(mine, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "decisions/absences.html",
        {"group": group, "form": form, "page": page, "absences": list(page)},
        status=400 if form.is_bound else 200,
    )


@group_member
@require_POST
def delete_absence(request: HttpRequest, group: Group, absence_id: int) -> HttpResponse:
    found = get_own_absence(_user(request), group, absence_id)
    try:
        actions.delete_absence(absence=found, actor=request.user, request=request)
    except DecisionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your absence was removed."))
    return redirect("decisions:absences", group_slug=group.slug)
