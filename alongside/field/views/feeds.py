"""Calendar feeds: the pages where a volunteer or a partner makes, copies and revokes their
private feed address, and the feed itself, which calendar apps fetch by its secret token
without a session."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts.models import User
from alongside.field.access.invitations import get_community_for_partner
from alongside.field.actions.invitations import create_feed, hash_feed_token, revoke_feed
from alongside.field.calendar import community_feed, volunteer_feed
from alongside.field.models import CalendarFeed
from alongside.lib.access import communities_for_partner, partner_only, public, signed_in
from alongside.lib.email import absolute_url


def feed_address(feed: CalendarFeed) -> str:
    return absolute_url(reverse("calendar:feed", kwargs={"feed_token": feed.token}))


def webcal_address(feed: CalendarFeed) -> str:
    return "webcal://" + feed_address(feed).split("://", 1)[1]


def _user(request: HttpRequest) -> User:
    # The access decorators have already turned anonymous visitors away.
    return cast(User, request.user)


def _addresses(feed: CalendarFeed | None) -> dict[str, Any]:
    if feed is None:
        return {"feed": None}
    return {"feed": feed, "address": feed_address(feed), "webcal": webcal_address(feed)}


# --- the owner's pages -----------------------------------------------------------------------


@signed_in
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(
        user=_user(request), community__isnull=True, revoked_at__isnull=True
    ).first()
    return render(request, "field/feeds_mine.html", _addresses(feed))


@signed_in
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    create_feed(user=request.user, request=request)
    messages.success(request, _("Your calendar address is ready. Keep it to yourself."))
    return redirect("feeds:mine")


@signed_in
@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    if revoke_feed(user=request.user, request=request):
        messages.success(request, _("The old address no longer works."))
    return redirect("feeds:mine")


@partner_only
@require_GET
def partner(request: HttpRequest) -> HttpResponse:
    communities = list(communities_for_partner(request.user).order_by("name_en"))
    feeds = {
        feed.community_id: feed
        for feed in CalendarFeed.objects.filter(
            user=_user(request), community__in=communities, revoked_at__isnull=True
        )
    }
    rows = [{"community": c, **_addresses(feeds.get(c.pk))} for c in communities]
    return render(request, "field/feeds_partner.html", {"rows": rows})


@partner_only
@require_POST
def partner_create(request: HttpRequest) -> HttpResponse:
    community = get_community_for_partner(request.user, request.POST.get("community"))
    create_feed(user=request.user, community=community, request=request)
    messages.success(request, _("The calendar address is ready. Keep it to yourself."))
    return redirect("feeds:partner")


@partner_only
@require_POST
def partner_revoke(request: HttpRequest) -> HttpResponse:
    community = get_community_for_partner(request.user, request.POST.get("community"))
    if revoke_feed(user=request.user, community=community, request=request):
        messages.success(request, _("The old address no longer works."))
    return redirect("feeds:partner")


# --- the feed --------------------------------------------------------------------------------


@public
@require_GET
def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The feed named by `feed_token`; 404 for a token that is unknown or revoked, or whose
    owner no longer speaks for the community. The token is the only key: no session, no cookie."""
    found = (
        CalendarFeed.objects.select_related("user", "community")
        .filter(token_hash=hash_feed_token(feed_token), revoked_at__isnull=True)
        .first()
    )
    owner = found.user if found is not None else None
    if found is None or owner is None or not owner.is_active:
        return _not_found()
    language = getattr(owner, "language", "") or "en"
    if found.community is not None:
        if not communities_for_partner(owner).filter(pk=found.community_id).exists():
            return _not_found()
        body = community_feed(found.community, language=language)
    else:
        body = volunteer_feed(owner, language=language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="alongside.ics"'
    return response


def _not_found() -> HttpResponse:
    response = HttpResponseNotFound(b"Not found.\n", content_type="text/plain; charset=utf-8")
    # Django logs the path of every 4xx answer; here the path is a secret (a revoked one, or a
    # guess that someone else may own).
    response._has_been_logged = True  # type: ignore[attr-defined]
    response["Cache-Control"] = "private, no-store"
    return response
