"""The group's pipeline board, its CSV export and its campaign periods. Every view needs the
`core` role in the group and a second factor used in the session (`core_only`)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alongside.lib import audit
from alongside.lib.access import core_only
from alongside.movement.models import Group
from alongside.volunteers.access import get_campaign_for_group
from alongside.volunteers.actions.campaigns import save_campaign_period
from alongside.volunteers.forms.board import FILTER_STAGES, BoardFilterForm, CampaignPeriodForm
from alongside.volunteers.models import BOARD_STAGES, Application, CampaignPeriod, Stage
from alongside.volunteers.views import GET_POST, render_in_group, signed_in_user

APPLICATIONS_PER_PAGE = 50
# Who counts toward a campaign period's target: accepted and trained, or already gone.
TOWARD_TARGET = (Stage.READY, Stage.IN_FIELD, Stage.RETURNED)
# What the board's rows never need; long encrypted texts stay in the database.
_NOT_ON_THE_BOARD = (
    "motivation",
    "experience",
    "draft",
    "phone",
    "emergency_contact_name",
    "emergency_contact_phone",
    "interview_outcome",
    "decision_reason",
)
_STAGE_ORDER = Case(
    *[When(stage=stage, then=Value(position)) for position, stage in enumerate(FILTER_STAGES)],
    output_field=IntegerField(),
)


# --- filtering -------------------------------------------------------------------------------


def _candidates(group: Group, filters: dict[str, Any]) -> QuerySet[Application]:
    """The group's submitted applications of every board stage that match the filters kept
    in clear (language, campaign period), in board order. Stage and presence window are
    applied by the caller."""
    rows = Application.objects.submitted().filter(group=group, stage__in=FILTER_STAGES)
    if language := filters.get("language"):
        # `languages` is a JSON list such as ["en", "es"]; matching the quoted code on its text
        # works on SQLite and PostgreSQL alike (SQLite has no JSON containment lookup).
        rows = rows.filter(languages__icontains=f'"{language}"')
    if campaign := filters.get("campaign"):
        rows = rows.filter(campaign_period=campaign)
    return rows.order_by(
        _STAGE_ORDER, F("step_due_on").asc(nulls_last=True), "-submitted_at", "-pk"
    )


def _listed_stages(filters: dict[str, Any]) -> tuple[str, ...]:
    """Without a stage filter the board lists open and returned applications; withdrawn and
    declined ones only when asked for."""
    stage = filters.get("stage")
    return (stage,) if stage else tuple(BOARD_STAGES)


def _has_window(filters: dict[str, Any]) -> bool:
    return bool(filters.get("present_from") or filters.get("present_to"))


def _present_in(application: Application, start: dt.date | None, end: dt.date | None) -> bool:
    """Does the presence window overlap [start, end]? Reading the dates decrypts them."""
    arrival = application.arrival_on
    if arrival is None:
        return False
    departure = application.departure_on or arrival
    return (end is None or arrival <= end) and (start is None or departure >= start)


def _in_window(rows: Iterable[Application], filters: dict[str, Any]) -> Iterator[Application]:
    """The rows present in the filter's window. The dates are encrypted, so this decrypts each
    candidate in Python (docs/decisions/0006-filtering-encrypted-presence-dates.md)."""
    start, end = filters.get("present_from"), filters.get("present_to")
    for application in rows:
        if _present_in(application, start, end):
            yield application


def _board_page(
    group: Group, filters: dict[str, Any], page_number: str | None
) -> tuple[Counter[str], PaginatorPage[Any]]:
    """The count of each stage and the page of rows asked for, in a number of queries that
    does not grow with the number of applications."""
    candidates = _candidates(group, filters)
    listed = _listed_stages(filters)
    if not _has_window(filters):
        counts: Counter[str] = Counter(
            dict(candidates.order_by().values_list("stage").annotate(n=Count("pk")))
        )
        rows = (
            candidates.filter(stage__in=listed)
            .select_related("owner", "campaign_period")
            .defer(*_NOT_ON_THE_BOARD)
        )
        return counts, Paginator(rows, APPLICATIONS_PER_PAGE).get_page(page_number)
    # One query for the ids and encrypted dates of every candidate, then one for the page.
    counts = Counter()
    ids: list[int] = []
    window_rows = candidates.only("pk", "row_key", "stage", "arrival_on", "departure_on")
    for application in _in_window(window_rows, filters):
        counts[application.stage] += 1
        if application.stage in listed:
            ids.append(application.pk)
    page = Paginator(ids, APPLICATIONS_PER_PAGE).get_page(page_number)
    page_ids = list(page.object_list)
    loaded = (
        Application.objects.filter(pk__in=page_ids)
        .select_related("owner", "campaign_period")
        .defer(*_NOT_ON_THE_BOARD)
        .in_bulk()
    )
    page.object_list = [loaded[pk] for pk in page_ids]  # type: ignore[misc]  # ids → rows
    return counts, page


def _with_reached(periods: QuerySet[CampaignPeriod]) -> QuerySet[CampaignPeriod]:
    """Each period with `reached`: its volunteers counted toward the target."""
    return periods.annotate(
        reached=Count("applications", filter=Q(applications__stage__in=TOWARD_TARGET))
    )


def _campaign_progress(group: Group) -> QuerySet[CampaignPeriod]:
    today = timezone.localdate()
    return _with_reached(
        CampaignPeriod.objects.filter(group=group, starts_on__lte=today, ends_on__gte=today)
    ).order_by("starts_on", "pk")


# --- board -----------------------------------------------------------------------------------


@core_only
@require_GET
def board(request: HttpRequest, group: Group) -> HttpResponse:
    form = BoardFilterForm(request.GET or None, group=group)
    filters = form.filters() if form.is_bound else {}
    counts, page = _board_page(group, filters, request.GET.get("page"))
    rows = list(page.object_list)
    # Showing the names decrypts them, and a presence-window filter decrypts every candidate's
    # travel dates: one entry for the page, never one per row.
    fields = ["full_name"] if rows else []
    if _has_window(filters):
        fields += ["arrival_on", "departure_on"]
    if fields:
        audit.record(
            actor=signed_in_user(request),
            action="read",
            target=group,
            request=request,
            detail={"applications": len(rows), "fields": fields},
        )
    return render_in_group(
        request,
        "board_page",
        group,
        form=form,
        page=page,
        rows=rows,
        stage_counts=[(stage, counts.get(stage, 0)) for stage in FILTER_STAGES],
        campaigns=list(_campaign_progress(group)),
        is_filtered=bool(filters),
    )


# --- export ----------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "application",
    "stage",
    "country",
    "languages",
    "campaign_period",
    "owner",
    "step_due",
    "overdue",
    "submitted",
)


class _Echo:
    """A file-like object that hands back what the csv writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula; an owner's display name
    # is typed by a person, so it must not be able to run anything on a colleague's computer.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _export_row(application: Application) -> tuple[str, ...]:
    owner = application.owner
    period = application.campaign_period
    return (
        str(application.pk),
        application.stage,
        application.country,
        " ".join(application.languages or []),
        _cell(period.name_en) if period else "",
        _cell(str(owner.name or owner.email)) if owner else "",
        application.step_due_on.isoformat() if application.step_due_on else "",
        "yes" if application.is_overdue else "",
        application.submitted_at.date().isoformat() if application.submitted_at else "",
    )


@core_only
@require_GET
def export(request: HttpRequest, group: Group) -> HttpResponse:
    """The board as CSV for the group's own use, without names, phone numbers, travel dates,
    notes or references. Each export is audited."""
    form = BoardFilterForm(request.GET or None, group=group)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filters to export the board."))
        board_url = reverse("pipeline:board", kwargs={"group_slug": group.slug})
        return HttpResponseRedirect(f"{board_url}?{request.GET.urlencode()}")
    filters = form.filters() if form.is_bound else {}
    rows = (
        _candidates(group, filters)
        .filter(stage__in=_listed_stages(filters))
        .select_related("owner", "campaign_period")
        .only(
            "pk",
            "row_key",
            "stage",
            "country",
            "languages",
            "step_due_on",
            "submitted_at",
            "arrival_on",
            "departure_on",
            "owner__name",
            "owner__email",
            "campaign_period__name_en",
        )
    )
    chosen: Iterable[Application] = rows.iterator(chunk_size=2000)
    if _has_window(filters):
        chosen = _in_window(chosen, filters)
    lines = [_export_row(application) for application in chosen]
    audit.record(
        actor=signed_in_user(request),
        action="export",
        target=group,
        request=request,
        detail={"rows": len(lines), "filters": sorted(filters)},
    )
    writer = csv.writer(_Echo())
    stream = (writer.writerow(line) for line in [EXPORT_COLUMNS, *lines])
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="pipeline-{group.slug}-{day}.csv"'
    response["Cache-Control"] = "no-store"
    # The access decorators are typed for HttpResponse; a streaming one is served alike.
    return cast(HttpResponse, response)


# --- campaign periods ------------------------------------------------------------------------


@core_only
@require_GET
def campaigns(request: HttpRequest, group: Group) -> HttpResponse:
    periods = _with_reached(CampaignPeriod.objects.filter(group=group)).order_by(
        "-starts_on", "-pk"
    )
    return render_in_group(request, "campaign_list", group, periods=periods)


@core_only
@GET_POST
def campaign_new(request: HttpRequest, group: Group) -> HttpResponse:
    return _campaign_form(request, group, period=None)


@core_only
@GET_POST
def campaign_edit(request: HttpRequest, group: Group, campaign_id: int) -> HttpResponse:
    return _campaign_form(request, group, period=get_campaign_for_group(group, campaign_id))


def _campaign_form(
    request: HttpRequest, group: Group, *, period: CampaignPeriod | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    # A copy: validating the form writes the posted values into its instance, and the action
    # compares them with the period as it was.
    instance = copy.copy(period) if period else CampaignPeriod(group=group)
    form = CampaignPeriodForm(data, instance=instance)
    if request.method == "POST" and form.is_valid():
        save_campaign_period(
            actor=signed_in_user(request),
            group=group,
            period=period,
            values=form.cleaned_data,
            request=request,
        )
        messages.success(request, _("The campaign period is saved."))
        return redirect("pipeline:campaigns", group_slug=group.slug)
    return render_in_group(request, "campaign_form", group, form=form, period=period)
