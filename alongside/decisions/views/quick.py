"""Quick decisions of a team in the field, on a phone: start one from the shift (the team on it,
or its coordinators), answer with one tap, see the outcome the moment it closes.

These pages live under /field/decide/ rather than under the field team's decisions: the
volunteers on a shift are members of their support groups, not of the field team, and decide
together all the same (access: `get_quick_proposal_for_user`). Anyone else who may open them
(the field team's coordinators and documenters) is shown the team's answers only after using a
second factor, as on every page that shows other people's data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.decisions.access import get_quick_proposal_for_user
from alongside.decisions.actions import DecisionError
from alongside.decisions.actions import quick as actions
from alongside.decisions.actions.responses import citable_principles
from alongside.decisions.forms.responses import QuickDecisionForm, ResponseForm
from alongside.decisions.models import Proposal
from alongside.decisions.participants import is_in_body, roles_in
from alongside.decisions.views.responses import (
    build_panel,
    outcome_label,
    proposal_url,
    shown_version,
    take_answer,
    why_not_answer,
)
from alongside.field.models import Shift, SignUp, SignUpStatus
from alongside.lib.access import second_factor_redirect, signed_in
from alongside.movement.models import Role


def _shift_for_starter(user: Any, shift_id: int) -> Shift:
    """A shift on which `user` may start a quick decision; 404 for any other."""
    shift = Shift.objects.select_related("invitation__community__group").filter(pk=shift_id).first()
    if shift is None or not actions.may_start(user, shift):
        raise Http404
    return shift


def _respond_url(proposal: Proposal) -> str:
    return reverse("quick:respond", kwargs={"proposal_id": proposal.pk})


def on_team(user: Any, proposal: Proposal) -> bool:
    """Is `user` of the team that takes the quick decision: confirmed on its shift now, or one
    who answered it (and has left the shift since)?"""
    return is_in_body(user, proposal) or proposal.responses.filter(member=user).exists()


def _on_shift(user: Any, shift: Shift) -> bool:
    return SignUp.objects.filter(shift=shift, user=user, status=SignUpStatus.CONFIRMED).exists()


def _page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    team: bool,
    form: Any = None,
    status: int = 200,
) -> Any:
    panel = build_panel(request, proposal, form=form, respond_url=_respond_url(proposal))
    roles = roles_in(request.user, proposal.group)
    return render(
        request,
        "decisions/quick.html",
        {
            "proposal": proposal,
            "version": shown_version(proposal),
            "shift": proposal.shift,
            "shift_page": _shift_page(proposal, team=team, roles=roles),
            "responses_panel": panel,
            "outcome": outcome_label(proposal.outcome) if proposal.outcome else "",
            "group_page": proposal_url(proposal) if roles else "",
        },
        status=status,
    )


def _shift_page(proposal: Proposal, *, team: bool, roles: set[str]) -> str:
    """Back to the shift: its page for the team, the roster for the field team's coordinators;
    nothing for anyone else."""
    if proposal.shift_id is None:
        return ""
    if team:
        return reverse("field:shift", kwargs={"shift_id": proposal.shift_id})
    if Role.CORE in roles:
        return reverse(
            "coordinate:roster",
            kwargs={"team_slug": proposal.group.slug, "shift_id": proposal.shift_id},
        )
    return ""


@signed_in
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, shift_id: int) -> HttpResponse:
    """Start a quick decision of the team on a shift: what, and how many minutes."""
    shift = _shift_for_starter(request.user, shift_id)
    if not _on_shift(request.user, shift):
        # A coordinator, not on the team: the team's shift is other people's data.
        to_second_factor = second_factor_redirect(request)
        if to_second_factor is not None:
            return to_second_factor
    current = actions.is_current(shift, timezone.now())
    mandates = actions.mandates_for(shift)
    form = QuickDecisionForm(request.POST if request.method == "POST" else None, mandates=mandates)
    status = 200
    if form.is_bound and current:
        if form.is_valid():
            try:
                proposal = actions.start_quick_decision(
                    shift=shift,
                    proposer=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    minutes=form.cleaned_data["minutes"],
                    mandate=form.cleaned_data["mandate"],
                    request=request,
                )
            except DecisionError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The team is asked now. Answer too."))
                return redirect("quick:proposal", proposal_id=proposal.pk)
        status = 400
    elif form.is_bound:
        status = 400
    return render(
        request,
        "decisions/quick_new.html",
        {"shift": shift, "form": form, "current": current, "mandates": mandates},
        status=status,
    )


@signed_in
@require_http_methods(["GET"])
def detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_quick_proposal_for_user(request.user, proposal_id)
    team = on_team(request.user, proposal)
    if not team:
        # The team's answers are other people's data: a coordinator or documenter shows a
        # second factor first.
        to_second_factor = second_factor_redirect(request)
        if to_second_factor is not None:
            return to_second_factor
    return _page(request, proposal, team=team)


@signed_in
@require_POST
def respond(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """One tap (agree, stand aside, abstain), or reservations and a block with their reason."""
    proposal = get_quick_proposal_for_user(request.user, proposal_id)
    in_body = is_in_body(request.user, proposal)
    refusal = why_not_answer(request.user, proposal, in_body=in_body)
    if refusal is not None:
        # The page it goes back to asks for a second factor from anyone outside the team.
        messages.error(request, refusal)
        return redirect("quick:proposal", proposal_id=proposal.pk)
    form = ResponseForm(request.POST, proposal=proposal, principles=citable_principles(proposal))
    if take_answer(request, proposal, form):
        return redirect("quick:proposal", proposal_id=proposal.pk)
    return _page(request, proposal, team=in_body, form=form, status=400)
