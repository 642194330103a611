"""The decision register of a group, its exports, and the action items of a proposal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.decisions import register as entries
from alongside.decisions.access import get_action_item, get_proposal_for_user
from alongside.decisions.actions import DecisionError
from alongside.decisions.actions.group import (
    add_action_item,
    mark_action_item_done,
    may_add_action_items,
    possible_owners,
)
from alongside.decisions.forms.group import ActionItemForm, RegisterFilterForm
from alongside.decisions.models import Mandate, Proposal
from alongside.lib import audit
from alongside.lib.access import group_member, second_factor_redirect
from alongside.movement.models import Group

PER_PAGE = 20
# The search words stay on the register page: an export's address (kept in the browser's
# history, in logs, in a downloads list) carries the filters only, and the export ignores them.
NOT_EXPORTED = ("q", "page")


def _filter_form(request: HttpRequest, group: Group) -> RegisterFilterForm:
    mandates = list(Mandate.objects.filter(group=group).order_by("-granted_at", "-pk"))
    data = request.GET if any(k != "page" for k in request.GET) else None
    return RegisterFilterForm(data, years=entries.years_of(group), mandates=mandates)


@group_member
@require_GET
def register(request: HttpRequest, group: Group) -> HttpResponse:
    """Every closed proposal of the group, latest first; searchable and filterable."""
    form = _filter_form(request, group)
    proposals = entries.search(entries.register_of(group, request.user), **form.filters())
    page = Paginator(proposals, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "decisions/register.html",
        {"group": group, "form": form, "page": page},
        status=400 if form.is_bound and form.errors else 200,
    )


def _export(request: HttpRequest, group: Group, *, kind: str) -> HttpResponse:
    """Everyone's names and reasons in bulk: only after a second factor (members without one
    are sent to set it up; the register page itself needs none)."""
    redirect_to = second_factor_redirect(request)
    if redirect_to is not None:
        return redirect_to
    form = _filter_form(request, group)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filters to export the register."))
        register_url = reverse("decisions:register", kwargs={"group_slug": group.slug})
        kept = request.GET.copy()
        for name in NOT_EXPORTED:
            kept.pop(name, None)
        return HttpResponseRedirect(f"{register_url}?{kept.urlencode()}")
    filters = {name: value for name, value in form.filters().items() if name not in NOT_EXPORTED}
    proposals = entries.search(entries.register_of(group, request.user), **filters)
    audit.record(
        actor=request.user,
        action="export",
        target=group,
        request=request,
        detail={"format": kind, "rows": proposals.count(), "filters": sorted(filters)},
    )
    # The rows are written after the view returns, when the middleware has put the reader's
    # clock away: carry their language and zone along.
    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def in_readers_terms(chunks: Iterator[str]) -> Iterator[str]:
        with translation.override(language), timezone.override(zone):
            yield from chunks

    if kind == "csv":
        chunks = entries.csv_lines(proposals)
        content_type = "text/csv; charset=utf-8"
    else:
        chunks = entries.json_chunks(proposals, group=group)
        content_type = "application/json"
    response = StreamingHttpResponse(in_readers_terms(chunks), content_type=content_type)
    name = f"decisions-{group.slug}-{timezone.localdate():%Y-%m-%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    # The access decorators are typed for HttpResponse; a streaming one is served alike.
    return cast(HttpResponse, response)


@group_member
@require_GET
def register_csv(request: HttpRequest, group: Group) -> HttpResponse:
    return _export(request, group, kind="csv")


@group_member
@require_GET
def register_json(request: HttpRequest, group: Group) -> HttpResponse:
    return _export(request, group, kind="json")


# --- action items --------------------------------------------------------------------------


def _items_of(proposal: Proposal) -> str:
    url = reverse(
        "decisions:proposal", kwargs={"group_slug": proposal.group.slug, "proposal_id": proposal.pk}
    )
    return f"{url}#action-items"


@group_member
@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, group: Group, proposal_id: int) -> HttpResponse:
    """The facilitator or the proposer adds an action item (also after the close)."""
    proposal = get_proposal_for_user(request.user, group, proposal_id)
    if not may_add_action_items(request.user, proposal):
        messages.error(request, _("Only the facilitator or the proposer can add action items."))
        return redirect(_items_of(proposal))
    form = ActionItemForm(
        request.POST if request.method == "POST" else None, owners=possible_owners(proposal)
    )
    if request.method == "POST" and form.is_valid():
        try:
            add_action_item(
                proposal=proposal,
                text=form.cleaned_data["text"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                actor=request.user,
                request=request,
            )
        except DecisionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The action item was added."))
            return redirect(_items_of(proposal))
    return render(
        request,
        "decisions/action_form.html",
        {"group": group, "proposal": proposal, "form": form},
        status=400 if form.is_bound else 200,
    )


@group_member
@require_POST
def action_done(request: HttpRequest, group: Group, proposal_id: int, item_id: int) -> HttpResponse:
    """A member of the body, or the item's owner, marks it done."""
    proposal = get_proposal_for_user(request.user, group, proposal_id)
    item = get_action_item(proposal, item_id)
    try:
        mark_action_item_done(item=item, actor=request.user, request=request)
    except DecisionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked done."))
    return redirect(_items_of(proposal))
