"""Safe-space concerns: the form where a volunteer or applicant raises one, and the screens
where the group's safe-space contacts read them and where core members choose the contacts.

Access to the group's screens: `core_only` (the core role in the group and a second factor used
in the session, so that the permission matrix knows the rule), and inside each view
`_require_reader`, which answers 404 to a core member who is not a designated contact when the
group has designated some. We chose this over a decorator of its own for "designated contacts,
core or not": a reader sees other people's most sensitive words and must hold the role that
comes with a second factor, and the matrix test then covers these URLs like every other
management screen. See `actions/safe_space.py` for who reads what.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts.models import User
from alongside.lib import ratelimit
from alongside.lib.access import core_only, signed_in
from alongside.movement.models import Group
from alongside.volunteers.access import get_concern_for_group
from alongside.volunteers.actions import safe_space as actions
from alongside.volunteers.actions.applying import is_id
from alongside.volunteers.forms.safe_space import ConcernForm, ContactForm
from alongside.volunteers.models import Application, SafeSpaceConcern, SafeSpaceContact
from alongside.volunteers.views import GET_POST, render_in_group, signed_in_user

CONCERNS_PER_PAGE = 25


# --- raising a concern (the volunteer's or applicant's side) --------------------------------


@signed_in
@GET_POST
@never_cache
def raise_concern(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    groups = actions.groups_to_raise_with(user)
    if request.method == "POST":
        form = ConcernForm(request.POST, groups=groups)
        if form.is_valid():
            if not ratelimit.hit(
                purpose="safe-space-concern",
                subject=str(user.pk),
                limit=actions.CONCERNS_PER_DAY,
                window=24 * 3600,
            ):
                messages.error(
                    request,
                    _("You have sent many concerns today. Please try again tomorrow."),
                )
                return _raise_page(request, form, groups, status=429)
            actions.raise_concern(
                user=user,
                group=form.cleaned_data["group"],
                body=form.cleaned_data["body"],
                anonymous=form.cleaned_data["anonymous"],
                request=request,
            )
            messages.success(
                request,
                _("Your concern was sent to the group's safe-space contacts.")
                if not form.cleaned_data["anonymous"]
                else _(
                    "Your concern was sent to the group's safe-space contacts without your name."
                ),
            )
            return redirect("volunteers:safespace")
    else:
        form = ConcernForm(groups=groups, initial={"group": _likely_group(user, groups)})
    return _raise_page(request, form, groups)


def _likely_group(user: User, groups: Any) -> Group | None:
    """The group of the person's latest application, else their first group."""
    latest = Application.objects.filter(user=user).order_by("-created_at", "-pk").first()
    if latest is not None:
        return cast(Group, latest.group)
    return cast("Group | None", groups.first())


def _raise_page(
    request: HttpRequest, form: ConcernForm, groups: Any, *, status: int = 200
) -> HttpResponse:
    group_list = list(groups)
    # Who will read it, per group: a person deciding what to write deserves to know.
    readers = [(group, list(actions.concern_readers(group))) for group in group_list]
    return render(
        request,
        "volunteers/safespace_raise.html",
        {"form": form, "groups": group_list, "readers": readers},
        status=status,
    )


# --- the group's safe-space contacts ---------------------------------------------------------


def _require_reader(request: HttpRequest, group: Group) -> User:
    user = signed_in_user(request)
    if not actions.may_read_concerns(user, group):
        raise Http404
    return user


@core_only
@require_GET
@never_cache
def concern_list(request: HttpRequest, group: Group) -> HttpResponse:
    _require_reader(request, group)
    # The list shows dates and states only: the texts and names are decrypted and audited on
    # the page of each concern.
    concerns = SafeSpaceConcern.objects.filter(group=group).only(
        "pk", "group_id", "created_at", "handled_at", "raised_by_id"
    )
    page = Paginator(concerns, CONCERNS_PER_PAGE).get_page(request.GET.get("page"))
    waiting = SafeSpaceConcern.objects.filter(group=group, handled_at__isnull=True).count()
    return render_in_group(
        request,
        "safespace_list",
        group,
        page=page,
        waiting=waiting,
        designated=actions.designated_contacts(group).exists(),
    )


@core_only
@require_GET
@never_cache
def concern_detail(request: HttpRequest, group: Group, concern_id: int) -> HttpResponse:
    reader = _require_reader(request, group)
    concern = get_concern_for_group(group, concern_id)
    actions.open_concern(actor=reader, concern=concern, request=request)
    return render_in_group(request, "safespace_concern", group, concern=concern)


@core_only
@require_POST
def concern_handled(request: HttpRequest, group: Group, concern_id: int) -> HttpResponse:
    reader = _require_reader(request, group)
    concern = get_concern_for_group(group, concern_id)
    handled = request.POST.get("handled") != "0"
    actions.mark_concern_handled(actor=reader, concern=concern, handled=handled, request=request)
    if handled:
        messages.success(request, _("The concern is marked as handled."))
        return redirect("pipeline:safespace", group_slug=group.slug)
    messages.success(request, _("The concern is open again."))
    return redirect("pipeline:safespace_concern", group_slug=group.slug, concern_id=concern.pk)


def _designated(group: Group, user_id: str) -> User:
    contact = (
        SafeSpaceContact.objects.filter(group=group, user_id=int(user_id))
        .select_related("user")
        .first()
        if is_id(user_id)
        else None
    )
    if contact is None:
        raise Http404
    return cast(User, contact.user)


@core_only
@GET_POST
def contacts(request: HttpRequest, group: Group) -> HttpResponse:
    """Every core member sees who the contacts are; changing them is for the contacts (or for
    any core member while there are none)."""
    actor = signed_in_user(request)
    may_change = actions.may_change_contacts(actor, group)
    designated_ids = SafeSpaceContact.objects.filter(group=group).values("user")
    candidates = actions.core_members(group).exclude(pk__in=designated_ids)
    form = ContactForm(candidates=candidates)
    if request.method == "POST":
        if not may_change:
            raise Http404
        doing = request.POST.get("do")
        if doing == "remove":
            person = _designated(group, request.POST.get("user", ""))
            actions.remove_contact(actor=actor, group=group, user=person, request=request)
            messages.success(
                request, _("%(name)s no longer receives concerns.") % {"name": str(person)}
            )
            return redirect("pipeline:safespace_contacts", group_slug=group.slug)
        form = ContactForm(request.POST, candidates=candidates)
        if form.is_valid():
            person = form.cleaned_data["user"]
            actions.designate_contact(actor=actor, group=group, user=person, request=request)
            messages.success(request, _("%(name)s now receives concerns.") % {"name": str(person)})
            return redirect("pipeline:safespace_contacts", group_slug=group.slug)
    return render_in_group(
        request,
        "safespace_contacts",
        group,
        form=form,
        contacts=list(actions.designated_contacts(group)),
        core=list(actions.core_members(group)),
        may_change=may_change,
        # The same people: the concerns' readers change the contacts.
        may_read=may_change,
    )
