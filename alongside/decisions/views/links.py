"""The links in emails (urls_links.py): they carry only numbers, never the group's slug, so that
an inbox read at a border does not show that its owner is in a field team. Signed in, the person
is sent on to the proposal's page (the quick page for a quick decision in the field) or to a
block's thread, looked up with the same rules as those pages: 404 for what they may not see."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from alongside.decisions.access import get_any_proposal_for_user, get_block
from alongside.lib.access import signed_in


@signed_in
@require_GET
def proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """On to the proposal's page."""
    found = get_any_proposal_for_user(request.user, proposal_id)
    if found.is_quick:
        return redirect("quick:proposal", proposal_id=found.pk)
    return redirect("decisions:proposal", group_slug=found.group.slug, proposal_id=found.pk)


@signed_in
@require_GET
def block(request: HttpRequest, proposal_id: int, response_id: int) -> HttpResponse:
    """On to the thread of a block, for the blocker, the proposer and the facilitator."""
    found = get_any_proposal_for_user(request.user, proposal_id)
    if found.is_quick:
        raise Http404  # a quick decision closes at a block: it has no thread
    answer = get_block(request.user, found, response_id)
    return redirect(
        "decisions:block",
        group_slug=found.group.slug,
        proposal_id=found.pk,
        response_id=answer.pk,
    )
