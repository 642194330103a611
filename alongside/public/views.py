"""The public site: what anyone can read, in English or Arabic, without JavaScript.

The movement's own texts (home, about, get involved, principles, FAQ) are the field team's
content; where the field team has not written a text yet, a built-in translatable one stands in,
so that a fresh installation already explains the movement.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.adapter import get_adapter as get_account_adapter
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_http_methods

from alongside.lib import ratelimit
from alongside.lib.access import public
from alongside.lib.i18n import has_translation, localized
from alongside.lib.markdown import render_markdown
from alongside.movement.models import (
    FaqEntry,
    Group,
    GroupKind,
    Page,
    Principle,
    PrinciplesVersion,
)
from alongside.public.actions import send_contact_message
from alongside.public.forms import ContactForm, GroupFilterForm

GROUPS_PER_PAGE = 20
# Per visitor address and group: enough for a person who sends a follow-up, too few for a
# flood. Counted in the database so that the limit holds across app servers and under races.
CONTACT_LIMIT = 5
CONTACT_WINDOW_SECONDS = 10 * 60
# The largest value a PositiveIntegerField holds on every supported database.
_LARGEST_VERSION_NUMBER = 2**31 - 1


@public
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise: for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


# --- the movement's texts --------------------------------------------------------------------


@dataclass(frozen=True)
class ShownPrinciple:
    """A principle as the reader sees it, whether the field team wrote it or it is built in."""

    title: str
    text: SafeString
    english_only: bool = False


BUILT_IN_PRINCIPLES = (
    (
        _("Palestinian-led"),
        _(
            "Volunteers join actions only when Palestinian communities and groups invite them, "
            "and respect Palestinian culture."
        ),
    ),
    (_("Nonviolence"), _("No physical or verbal violence, ever.")),
    (
        _("Consensus"),
        _(
            "Every decision is made by consensus, so that nobody is forced into an action they "
            "disagree with."
        ),
    ),
    (
        _("Anti-oppression"),
        _(
            "No bigotry of any kind: of ethnicity, appearance, origin, gender, gender identity, "
            "sexuality, ability, age or religion. Safe spaces for all volunteers."
        ),
    ),
)


def _built_in_principles() -> list[ShownPrinciple]:
    return [
        ShownPrinciple(title=str(title), text=format_html("<p>{}</p>", text))
        for title, text in BUILT_IN_PRINCIPLES
    ]


def _shown(principle: Principle) -> ShownPrinciple:
    return ShownPrinciple(
        title=localized(principle, "title"),
        text=render_markdown(localized(principle, "text")),
        english_only=not (
            has_translation(principle, "title") and has_translation(principle, "text")
        ),
    )


def _movement_page(slug: str) -> Page | None:
    """One of the movement's own texts: a published page of the field team."""
    return (
        Page.objects.filter(group__kind=GroupKind.FIELD, slug=slug, is_published=True)
        .order_by("group_id")
        .first()
    )


def _movement_principles() -> QuerySet[PrinciplesVersion]:
    return PrinciplesVersion.objects.filter(group__kind=GroupKind.FIELD).order_by("-number")


def _general_group() -> Group | None:
    return Group.objects.listed().filter(is_general=True).first()


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    current = _movement_principles().prefetch_related("principles").first()
    principles = [_shown(p) for p in current.principles.all()] if current else []
    return render(
        request,
        "public/home.html",
        {
            "intro": _movement_page("home"),
            "principles": principles or _built_in_principles(),
            "general": _general_group(),
        },
    )


@public
@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "public/about.html", {"page": _movement_page("about")})


@public
@require_GET
def get_involved(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/get_involved.html",
        {"page": _movement_page("get-involved"), "general": _general_group()},
    )


def _render_principles(request: HttpRequest, version: PrinciplesVersion | None) -> HttpResponse:
    # Newest first: the first version's number is the current one.
    versions = list(_movement_principles().only("number", "published_at", "group_id"))
    current_number = versions[0].number if versions else None
    shown = [_shown(p) for p in version.principles.all()] if version else _built_in_principles()
    return render(
        request,
        "public/principles.html",
        {
            "version": version,
            "is_current": version is None or version.number == current_number,
            "current_number": current_number,
            "principles": shown,
            "earlier": [v for v in versions if version is None or v.number != version.number],
        },
    )


@public
@require_GET
def principles(request: HttpRequest) -> HttpResponse:
    current = _movement_principles().first()
    return _render_principles(request, current)


@public
@require_GET
def principles_version(request: HttpRequest, number: int) -> HttpResponse:
    # A number too large for the column is as unknown as any other; asking the database about
    # it would fail instead of answering 404.
    if number > _LARGEST_VERSION_NUMBER:
        raise Http404
    version = _movement_principles().filter(number=number).first()
    if version is None:
        raise Http404
    return _render_principles(request, version)


@public
@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    entries = FaqEntry.objects.filter(group__kind=GroupKind.FIELD, is_published=True).order_by(
        "position", "id"
    )
    return render(request, "public/faq.html", {"entries": entries})


# --- the group directory and group pages -----------------------------------------------------


def _directory() -> QuerySet[Group]:
    """Support groups a visitor can find; the field team is reached through them."""
    return Group.objects.listed().filter(kind=GroupKind.SUPPORT)


def _listed_group(slug: str) -> Group:
    """A group's public page exists only while the group is listed; an unlisted group answers
    exactly like a missing one."""
    return get_object_or_404(Group.objects.listed(), slug=slug)


def _filtered(groups: QuerySet[Group], form: GroupFilterForm) -> QuerySet[Group]:
    if not form.is_valid():
        return groups
    words = form.cleaned_data["q"].strip()
    if words:
        groups = groups.filter(
            Q(name_en__icontains=words)
            | Q(name_ar__icontains=words)
            | Q(region_en__icontains=words)
            | Q(region_ar__icontains=words)
            | Q(summary_en__icontains=words)
            | Q(summary_ar__icontains=words)
        )
    language = form.cleaned_data["language"]
    if language:
        # `languages` is a JSON list such as ["en", "es"]; matching the quoted code on its text
        # works on SQLite and PostgreSQL alike (SQLite has no JSON containment lookup).
        groups = groups.filter(languages__icontains=f'"{language}"')
    return groups


def _directory_page(request: HttpRequest, groups: QuerySet[Group]) -> PaginatorPage[Group]:
    """`get_page` turns an absurd page number into a page that exists: a number past the end
    (`?page=999999`) shows the last page, anything that is not a number (`?page=abc`) the
    first. A visitor following an old or mangled link lands on a list, never on an error."""
    listing = groups.defer("description_en", "description_ar", "how_to_reach_en", "how_to_reach_ar")
    return Paginator(listing, GROUPS_PER_PAGE).get_page(request.GET.get("page"))


@public
@require_GET
def groups(request: HttpRequest) -> HttpResponse:
    directory = _directory()
    languages: set[str] = set()
    for codes in directory.values_list("languages", flat=True):
        languages.update(code for code in codes or [] if isinstance(code, str))
    form = GroupFilterForm(request.GET, languages=languages)
    page = _directory_page(request, _filtered(directory.filter(is_general=False), form))
    return render(
        request,
        "public/groups.html",
        {
            "form": form,
            "page": page,
            "general": directory.filter(is_general=True).first(),
            "is_filtered": form.is_valid() and any(form.cleaned_data.values()),
        },
    )


@public
@require_GET
def group(request: HttpRequest, slug: str) -> HttpResponse:
    found = _listed_group(slug)
    return render(
        request,
        "public/group.html",
        {
            "group": found,
            "pages": found.pages.filter(is_published=True).only(
                "slug", "title_en", "title_ar", "group_id"
            ),
            "entries": found.faq_entries.filter(is_published=True),
        },
    )


@public
@require_GET
def group_page(request: HttpRequest, slug: str, page_slug: str) -> HttpResponse:
    found = _listed_group(slug)
    page = get_object_or_404(found.pages.filter(is_published=True), slug=page_slug)
    return render(request, "public/group_page.html", {"group": found, "page": page})


# --- contact ---------------------------------------------------------------------------------


def _contact_subject(request: HttpRequest, group: Group) -> str:
    # The same client address that sign-in throttling uses, so that one setting
    # (ALLAUTH_TRUSTED_PROXY_COUNT) makes both see visitors, not the load balancer, behind a
    # proxy. The rate limiter stores only a keyed hash of it.
    address = get_account_adapter(request).get_client_ip(request)
    return f"{address}|{group.pk}"


def _contact_page(
    request: HttpRequest, group: Group, form: ContactForm, *, limited: bool = False
) -> HttpResponse:
    return render(
        request,
        "public/contact.html",
        {"group": group, "form": form, "limited": limited},
        status=429 if limited else 200,
    )


@public
@require_http_methods(["GET", "POST"])
def group_contact(request: HttpRequest, slug: str) -> HttpResponse:
    found = _listed_group(slug)
    if request.method != "POST":
        return _contact_page(request, found, ContactForm())
    form = ContactForm(request.POST)
    subject = _contact_subject(request, found)
    limit = {"limit": CONTACT_LIMIT, "window": CONTACT_WINDOW_SECONDS}
    if ratelimit.reached(purpose="contact", subject=subject, **limit):
        return _contact_page(request, found, form, limited=True)
    if not form.is_valid():
        return _contact_page(request, found, form)
    if not ratelimit.hit(purpose="contact", subject=subject, **limit):
        return _contact_page(request, found, form, limited=True)
    # A bot that filled the trap field is shown the same success page, so that it learns
    # nothing, but its message is dropped.
    if not form.is_from_a_bot:
        send_contact_message(
            group=found,
            sender_name=form.cleaned_data["name"],
            sender_email=form.cleaned_data["email"],
            body=form.cleaned_data["message"],
            language=(get_language() or "en")[:2],
        )
    return redirect("public:group_contact_sent", slug=found.slug)


@public
@require_GET
def group_contact_sent(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "public/contact_sent.html", {"group": _listed_group(slug)})


# --- errors ----------------------------------------------------------------------------------


def _error(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "error.html", {"status": status}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "error.html", {"status": 403, "csrf": True}, status=403)
