"""The screens where a group's core members run their group. Every view needs the `core` role
in the group named in the address and a second factor used in the session (`core_only`);
anyone else gets 404, alike for groups that exist and groups that do not."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Model, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.models import User
from alongside.lib.access import (
    core_only,
    get_community_for_group,
    get_faq_entry_for_group,
    get_member_for_group,
    get_message_for_group,
    get_page_for_group,
    user_roles,
)
from alongside.movement import actions
from alongside.movement.forms import (
    CORE_BY_CONSENSUS,
    GRANTABLE_ROLES,
    AccountEmailForm,
    AddMemberForm,
    BasePrincipleFormSet,
    FaqEntryForm,
    GroupProfileForm,
    PageForm,
    PartnerCommunityForm,
    PrincipleFormSet,
    PrinciplesVersionForm,
    RoleForm,
    SideBySideForm,
)
from alongside.movement.models import (
    ContactMessage,
    FaqEntry,
    Group,
    GroupKind,
    Membership,
    Page,
    PartnerCommunity,
    PartnerContact,
    PrinciplesVersion,
    Role,
)

MEMBERS_PER_PAGE = 50
MESSAGES_PER_PAGE = 25

GET_POST = require_http_methods(["GET", "POST"])

_Saved = TypeVar("_Saved", bound=Model)


def _manage(
    request: HttpRequest, template: str, group: Group, section: str, **context: Any
) -> HttpResponse:
    return render(
        request, f"movement/{template}.html", {"group": group, "section": section, **context}
    )


def _actor(request: HttpRequest) -> User:
    # `core_only` has already turned anonymous visitors away.
    return cast(User, request.user)


def _posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so that it gets its error messages)."""
    return request.POST if request.method == "POST" else None


def _to(name: str, group: Group, **kwargs: Any) -> HttpResponseRedirect:
    return redirect(f"movement:{name}", group_slug=group.slug, **kwargs)


# --- dashboard and profile -----------------------------------------------------------------


@core_only
@require_GET
def dashboard(request: HttpRequest, group: Group) -> HttpResponse:
    counts = {
        "unread": ContactMessage.objects.filter(group=group).unhandled().count(),
        "members": User.objects.filter(memberships__group=group).distinct().count(),
        "pages": Page.objects.filter(group=group).count(),
    }
    return _manage(request, "dashboard", group, "dashboard", counts=counts)


@core_only
@GET_POST
def profile(request: HttpRequest, group: Group) -> HttpResponse:
    # The form works on a copy: an invalid or previewed form must not change the group shown
    # in the page's title and navigation.
    form = GroupProfileForm(_posted(request), instance=copy.copy(group))
    source: Any = group
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            source = form.cleaned_data
        else:
            changed = actions.update_group_profile(
                actor=_actor(request), group=group, values=form.cleaned_data, request=request
            )
            if changed:
                messages.success(request, _("The group's profile is saved."))
            else:
                messages.info(request, _("Nothing had changed."))
            return _to("profile", group)
    return _manage(
        request,
        "profile",
        group,
        "profile",
        form=form,
        preview=_preview(source, "description", "how_to_reach"),
    )


def _preview(source: Any, *fields: str) -> dict[str, list[str]] | None:
    """The Markdown `fields` of `source` (saved object, or a form's data on "Preview") in
    English and Arabic, for the preview beside the form; None when there is nothing to show."""

    def value(name: str) -> str:
        found = source.get(name) if isinstance(source, dict) else getattr(source, name, "")
        return str(found or "")

    preview = {
        lang: [text for field in fields if (text := value(f"{field}_{lang}"))]
        for lang in ("en", "ar")
    }
    return preview if any(any(texts) for texts in preview.values()) else None


def _content_form(
    request: HttpRequest,
    group: Group,
    form: SideBySideForm,
    *,
    current: Model | None,
    save: Callable[[dict[str, Any]], _Saved],
    saved_message: str,
    done: Callable[[_Saved], HttpResponse],
    template: str,
    section: str,
    preview_fields: tuple[str, ...] = (),
    **context: Any,
) -> HttpResponse:
    """The create and edit screens of a group's pages, questions and communities: show `form`;
    on a valid POST, either preview the Markdown `preview_fields` as typed, or `save` the data,
    say `saved_message` and answer with `done(saved)`. `current` is the object as saved (None
    when creating), previewed until the person asks to preview what they typed. The form must
    work on a copy of `current`, so that an invalid form does not change the page's title."""
    source: Any = current
    if request.method == "POST" and form.is_valid():
        if preview_fields and "preview" in request.POST:
            source = form.cleaned_data
        else:
            try:
                saved = save(form.cleaned_data)
            except actions.AddressTaken as refused:
                form.add_error("slug", refused.message)
            else:
                messages.success(request, saved_message)
                return done(saved)
    preview = _preview(source, *preview_fields)
    return _manage(request, template, group, section, form=form, preview=preview, **context)


# --- pages ---------------------------------------------------------------------------------


@core_only
@require_GET
def pages(request: HttpRequest, group: Group) -> HttpResponse:
    rows = Page.objects.filter(group=group).order_by("position", "title_en")
    # The public site shows the field team's pages home, about and get-involved as the
    # movement's own texts; its core should know before editing them.
    movement_pages = group.kind == GroupKind.FIELD
    return _manage(request, "page_list", group, "pages", rows=rows, movement_pages=movement_pages)


@core_only
@GET_POST
def page_new(request: HttpRequest, group: Group) -> HttpResponse:
    return _page_form(request, group, page=None)


@core_only
@GET_POST
def page_edit(request: HttpRequest, group: Group, page_id: int) -> HttpResponse:
    return _page_form(request, group, page=get_page_for_group(group, page_id))


def _page_form(request: HttpRequest, group: Group, *, page: Page | None) -> HttpResponse:
    return _content_form(
        request,
        group,
        PageForm(_posted(request), instance=copy.copy(page) or Page(group=group), group=group),
        current=page,
        save=lambda values: actions.save_page(
            actor=_actor(request), group=group, page=page, values=values, request=request
        ),
        saved_message=_("The page is saved."),
        done=lambda saved: _to("page_edit", group, page_id=saved.pk),
        template="page_form",
        section="pages",
        preview_fields=("body",),
        page=page,
    )


@core_only
@GET_POST
def page_delete(request: HttpRequest, group: Group, page_id: int) -> HttpResponse:
    page = get_page_for_group(group, page_id)
    return _confirm_delete(
        request,
        group,
        "pages",
        thing=page.title_en,
        cancel=reverse("movement:page_edit", kwargs={"group_slug": group.slug, "page_id": page.pk}),
        delete=lambda: actions.delete_page(actor=_actor(request), page=page, request=request),
        deleted_message=_("The page is deleted."),
    )


def _confirm_delete(
    request: HttpRequest,
    group: Group,
    section: str,
    *,
    thing: str,
    cancel: str,
    delete: Callable[[], None],
    deleted_message: str,
) -> HttpResponse:
    """Ask whether to delete `thing` (`cancel`: where to go instead); on POST, `delete` it,
    say `deleted_message` and go back to the list of `section`."""
    if request.method == "POST":
        delete()
        messages.success(request, deleted_message)
        return _to(section, group)
    return _manage(request, "confirm_delete", group, section, thing=thing, cancel=cancel)


# --- FAQ -----------------------------------------------------------------------------------


@core_only
@require_GET
def faq(request: HttpRequest, group: Group) -> HttpResponse:
    rows = group.faq_entries.order_by("position", "id")
    return _manage(request, "faq_list", group, "faq", rows=rows)


@core_only
@GET_POST
def faq_new(request: HttpRequest, group: Group) -> HttpResponse:
    return _faq_form(request, group, entry=None)


@core_only
@GET_POST
def faq_edit(request: HttpRequest, group: Group, entry_id: int) -> HttpResponse:
    return _faq_form(request, group, entry=get_faq_entry_for_group(group, entry_id))


def _faq_form(request: HttpRequest, group: Group, *, entry: FaqEntry | None) -> HttpResponse:
    return _content_form(
        request,
        group,
        FaqEntryForm(_posted(request), instance=copy.copy(entry)),
        current=entry,
        save=lambda values: actions.save_faq_entry(
            actor=_actor(request), group=group, entry=entry, values=values, request=request
        ),
        saved_message=_("The question and answer are saved."),
        done=lambda saved: _to("faq", group),
        template="faq_form",
        section="faq",
        preview_fields=("answer",),
        entry=entry,
    )


@core_only
@GET_POST
def faq_delete(request: HttpRequest, group: Group, entry_id: int) -> HttpResponse:
    entry = get_faq_entry_for_group(group, entry_id)
    return _confirm_delete(
        request,
        group,
        "faq",
        thing=entry.question_en,
        cancel=reverse(
            "movement:faq_edit", kwargs={"group_slug": group.slug, "entry_id": entry.pk}
        ),
        delete=lambda: actions.delete_faq_entry(
            actor=_actor(request), entry=entry, request=request
        ),
        deleted_message=_("The question and answer are deleted."),
    )


# --- principles ----------------------------------------------------------------------------


@core_only
@require_GET
def principles(request: HttpRequest, group: Group) -> HttpResponse:
    versions = (
        PrinciplesVersion.objects.filter(group=group)
        .select_related("published_by")
        .prefetch_related("principles")
        .order_by("-number")
    )
    return _manage(request, "principles_list", group, "principles", versions=versions)


@core_only
@GET_POST
def principles_new(request: HttpRequest, group: Group) -> HttpResponse:
    current = (
        PrinciplesVersion.objects.filter(group=group)
        .order_by("-number")
        .prefetch_related("principles")
        .first()
    )
    if request.method == "POST":
        form = PrinciplesVersionForm(request.POST)
        formset = PrincipleFormSet(request.POST, prefix="principles")
        if "add_row" in request.POST:
            formset = PrincipleFormSet(_with_one_more_row(request.POST), prefix="principles")
        elif form.is_valid() & formset.is_valid():
            try:
                version = actions.publish_principles(
                    actor=_actor(request),
                    group=group,
                    principles=cast(BasePrincipleFormSet, formset).principles(),
                    request=request,
                    **form.cleaned_data,
                )
            except actions.ActionRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("Version %(number)s of the principles is published.")
                    % {"number": version.number},
                )
                return _to("principles", group)
    else:
        form = PrinciplesVersionForm(
            initial={"intro_en": current.intro_en, "intro_ar": current.intro_ar}
            if current
            else None
        )
        formset = PrincipleFormSet(prefix="principles", initial=_principles_initial(current))
    return _manage(
        request, "principles_form", group, "principles", form=form, formset=formset, current=current
    )


def _principles_initial(current: PrinciplesVersion | None) -> list[dict[str, str]]:
    if current is None:
        return [{}]
    return [
        {"title_en": p.title_en, "title_ar": p.title_ar, "text_en": p.text_en, "text_ar": p.text_ar}
        for p in current.principles.all()
    ]


def _with_one_more_row(data: Any) -> Any:
    """The posted form with one empty principle more: adds a row without JavaScript."""
    data = data.copy()
    try:
        total = int(data.get("principles-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    data["principles-TOTAL_FORMS"] = str(total + 1)
    return data


# --- members -------------------------------------------------------------------------------


@core_only
@require_GET
def members(request: HttpRequest, group: Group) -> HttpResponse:
    people = (
        User.objects.filter(memberships__group=group)
        .distinct()
        .order_by("name", "email")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=Membership.objects.filter(group=group), to_attr="roles_here"
            )
        )
    )
    page = Paginator(people, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return _manage(request, "member_list", group, "members", page=page)


@core_only
@GET_POST
def member_add(request: HttpRequest, group: Group) -> HttpResponse:
    form = AddMemberForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        person = form.account
        actions.add_member(
            actor=_actor(request),
            group=group,
            user=person,
            roles=form.cleaned_data["roles"],
            request=request,
        )
        messages.success(request, _("%(name)s is added to the group.") % {"name": person})
        return _to("member", group, user_id=person.pk)
    return _manage(
        request,
        "member_add",
        group,
        "members",
        form=form,
        propose_core_url=_propose_core_url(group),
    )


def _propose_core_url(group: Group, candidate: User | None = None) -> str:
    """Where a member proposes that someone join the core group: the group decides, by
    consensus. From a member's page the draft names them as the candidate."""
    new_proposal = reverse("decisions:new", kwargs={"group_slug": group.slug})
    named = f"&candidate={candidate.pk}" if candidate is not None else ""
    return f"{new_proposal}?kind=core_membership{named}"


@core_only
@GET_POST
def member(request: HttpRequest, group: Group, user_id: int) -> HttpResponse:
    person = get_member_for_group(group, user_id)
    if request.method == "POST":
        return _change_role(request, group, person)
    held = user_roles(person, group)
    grantable = {value for value, _label in GRANTABLE_ROLES}
    roles = [
        {"value": value, "label": label, "held": value in held, "grantable": value in grantable}
        for value, label in Role.choices
    ]
    return _manage(
        request,
        "member_detail",
        group,
        "members",
        person=person,
        roles=roles,
        propose_core_url=_propose_core_url(group, candidate=person),
    )


def _change_role(request: HttpRequest, group: Group, person: Any) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles shown."))
        return _to("member", group, user_id=person.pk)
    role = form.cleaned_data["role"]
    if form.cleaned_data["action"] == "grant":
        if role == Role.CORE:
            # Only the group's consensus on a proposal grants it (`actions.grant_role`).
            messages.error(request, CORE_BY_CONSENSUS)
            return _to("member", group, user_id=person.pk)
        actions.grant_role(
            actor=_actor(request), group=group, user=person, role=role, request=request
        )
        messages.success(request, _("The role is granted."))
        return _to("member", group, user_id=person.pk)
    # Giving up one's own core role ends one's access to these screens at once: ask first.
    leaving_core = person.pk == request.user.pk and role == Role.CORE
    if leaving_core and not form.cleaned_data["confirm"]:
        return _manage(request, "member_revoke_confirm", group, "members", person=person, role=role)
    try:
        actions.revoke_role(
            actor=_actor(request), group=group, user=person, role=role, request=request
        )
    except actions.ActionRefused as refused:
        messages.error(request, refused.message)
        return _to("member", group, user_id=person.pk)
    messages.success(request, _("The role is removed."))
    if leaving_core:
        return redirect("accounts:home")
    if not Membership.objects.filter(group=group, user=person).exists():
        return _to("members", group)
    return _to("member", group, user_id=person.pk)


# --- partner communities -------------------------------------------------------------------


@core_only
@require_GET
def communities(request: HttpRequest, group: Group) -> HttpResponse:
    rows = group.communities.annotate(contact_count=Count("contacts")).order_by("name_en")
    return _manage(request, "community_list", group, "communities", rows=rows)


@core_only
@GET_POST
def community_new(request: HttpRequest, group: Group) -> HttpResponse:
    return _community_form(request, group, community=None)


@core_only
@GET_POST
def community_edit(request: HttpRequest, group: Group, community_id: int) -> HttpResponse:
    return _community_form(request, group, community=get_community_for_group(group, community_id))


def _community_form(
    request: HttpRequest, group: Group, *, community: PartnerCommunity | None
) -> HttpResponse:
    return _content_form(
        request,
        group,
        PartnerCommunityForm(_posted(request), instance=copy.copy(community), group=group),
        current=community,
        save=lambda values: actions.save_partner_community(
            actor=_actor(request), group=group, community=community, values=values, request=request
        ),
        saved_message=_("The partner community is saved."),
        done=lambda saved: _to("communities", group),
        template="community_form",
        section="communities",
        community=community,
    )


@core_only
@GET_POST
def community_contacts(request: HttpRequest, group: Group, community_id: int) -> HttpResponse:
    community = get_community_for_group(group, community_id)
    form = AccountEmailForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            contact = PartnerContact.objects.filter(
                community=community, pk=_int(request.POST.get("contact")) or 0
            ).first()
            if contact is not None:
                actions.remove_partner_contact(
                    actor=_actor(request), contact=contact, request=request
                )
                messages.success(request, _("They no longer speak for this community."))
            return _to("community_contacts", group, community_id=community.pk)
        if form.is_valid():
            actions.add_partner_contact(
                actor=_actor(request), community=community, user=form.account, request=request
            )
            messages.success(request, _("They now speak for this community."))
            return _to("community_contacts", group, community_id=community.pk)
    contacts = community.contacts.select_related("user").order_by("user__name", "user__email")
    return _manage(
        request,
        "community_contacts",
        group,
        "communities",
        community=community,
        contacts=contacts,
        form=form,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


# --- inbox ---------------------------------------------------------------------------------


@core_only
@require_GET
def inbox(request: HttpRequest, group: Group) -> HttpResponse:
    rows = ContactMessage.objects.filter(group=group).in_inbox_order()
    page = Paginator(rows, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    unread = ContactMessage.objects.filter(group=group).unhandled().count()
    return _manage(request, "inbox", group, "inbox", page=page, unread=unread)


@core_only
@require_GET
def inbox_message(request: HttpRequest, group: Group, message_id: int) -> HttpResponse:
    message = get_message_for_group(group, message_id)
    actions.open_contact_message(actor=_actor(request), message=message, request=request)
    return _manage(request, "inbox_message", group, "inbox", message=message)


@core_only
@require_POST
def inbox_handled(request: HttpRequest, group: Group, message_id: int) -> HttpResponse:
    message = get_message_for_group(group, message_id)
    handled = request.POST.get("handled") != "0"
    actions.mark_message_handled(
        actor=_actor(request), message=message, handled=handled, request=request
    )
    if handled:
        messages.success(request, _("The message is marked as handled."))
        return _to("inbox", group)
    messages.success(request, _("The message is waiting for a reply again."))
    return _to("inbox_message", group, message_id=message.pk)
