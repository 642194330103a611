"""What returned volunteers tell their communities (the movement's outreach), and how long the
group keeps personal data (retention)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alongside.lib.access import core_only
from alongside.movement.models import Group
from alongside.volunteers.actions.retention import DEFAULT_RETENTION_MONTHS, update_retention
from alongside.volunteers.forms.outreach import RetentionForm
from alongside.volunteers.models import OutcomeCount, OutreachCount, PipelineSettings, ReportBack
from alongside.volunteers.views import GET_POST, render_in_group, signed_in_user

TALKS_PER_PAGE = 50


@core_only
@require_GET
def outreach(request: HttpRequest, group: Group) -> HttpResponse:
    """Talks and events of the group's returned volunteers, newest first, with totals; and what
    remains of those already forgotten (anonymous counts per year). No volunteer is named."""
    talks = ReportBack.objects.filter(application__group=group).order_by("-held_on", "-pk")
    totals = talks.aggregate(talks=Count("pk"), people=Sum("size"))
    page = Paginator(talks, TALKS_PER_PAGE).get_page(request.GET.get("page"))
    return render_in_group(
        request,
        "outreach_list",
        group,
        page=page,
        totals=totals,
        earlier=OutreachCount.objects.filter(group=group).order_by("-year"),
        outcomes=OutcomeCount.objects.filter(group=group).order_by("-year", "stage"),
    )


@core_only
@GET_POST
def retention(request: HttpRequest, group: Group) -> HttpResponse:
    current = (
        PipelineSettings.objects.filter(group=group).values_list("retention_months", flat=True)
    ).first() or DEFAULT_RETENTION_MONTHS
    data = request.POST if request.method == "POST" else None
    form = RetentionForm(data, initial={"retention_months": current})
    if request.method == "POST" and form.is_valid():
        update_retention(
            actor=signed_in_user(request),
            group=group,
            months=form.cleaned_data["retention_months"],
            request=request,
        )
        messages.success(request, _("The retention period is saved."))
        return redirect("pipeline:retention", group_slug=group.slug)
    return render_in_group(request, "outreach_retention", group, form=form)
