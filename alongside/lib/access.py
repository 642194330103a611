"""Who may see what. Every view declares its rule with one of the decorators below; the
permission-matrix test walks every URL pattern and fails for a view that declares none.

Lookups that depend on the person go through `get_*_for_user` helpers that answer 404 alike for
what does not exist and for what the person may not see, so that nobody can learn that a group's
private page or a record exists by probing addresses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from alongside.movement.models import (
    PRIVILEGED_ROLES,
    ContactMessage,
    FaqEntry,
    Group,
    GroupKind,
    Membership,
    Page,
    PartnerCommunity,
    Role,
)

View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class AccessRule:
    """What a view requires. `kind` is one of: public, signed_in, group_role, group_member,
    partner, field_coordinator."""

    kind: str
    roles: tuple[str, ...] = ()

    @property
    def needs_second_factor(self) -> bool:
        if self.kind == "field_coordinator":
            return True
        return self.kind == "group_role" and any(r in PRIVILEGED_ROLES for r in self.roles)


def _mark(view: Callable[..., Any], rule: AccessRule) -> None:
    view.access_rule = rule  # type: ignore[attr-defined]


def rule_of(view: Callable[..., Any]) -> AccessRule | None:
    return getattr(view, "access_rule", None)


# --- second factor -------------------------------------------------------------------------


def is_privileged(user: Any) -> bool:
    """Can this person see other people's data anywhere? Then they need a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_alongside_privileged", None)
    if cached is None:
        cached = Membership.objects.filter(user=user, role__in=PRIVILEGED_ROLES).exists()
        user._alongside_privileged = cached
    return bool(cached)


def has_second_factor(user: Any) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return bool(is_mfa_enabled(user))


def used_second_factor(request: HttpRequest) -> bool:
    """Did this session sign in (or re-authenticate) with TOTP, a recovery code or a passkey?"""
    from allauth.account.internal.flows.login import get_authentication_records

    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)  # type: ignore[arg-type]
    )


def second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    """Where to send a privileged person who has not yet set up or used a second factor."""
    if used_second_factor(request):
        return None
    next_param = quote(request.get_full_path())
    if not has_second_factor(request.user):
        # The second-factor page explains why in a notice of its own (allauth/layouts/manage.html).
        return HttpResponseRedirect(f"{reverse('mfa_index')}?next={next_param}")
    messages.info(request, _("Confirm it is you with your second factor to continue."))
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?next={next_param}")


def _redirect_to_login(request: HttpRequest) -> HttpResponse:
    login_url = reverse(settings.LOGIN_URL)
    return HttpResponseRedirect(f"{login_url}?next={quote(request.get_full_path())}")


# --- decorators ----------------------------------------------------------------------------


def public(view: View) -> View:
    """Anyone, signed in or not."""
    _mark(view, AccessRule("public"))
    return view


def signed_in(view: View) -> View:
    """Any person with an account; their own data only."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _redirect_to_login(request)
        return view(request, *args, **kwargs)

    _mark(wrapper, AccessRule("signed_in"))
    return wrapper  # type: ignore[return-value]


def group_role(*roles: str) -> Callable[[View], View]:
    """A person holding one of `roles` in the group named by the `group_slug` URL argument.
    The view receives the group as `group` instead of the slug. Everyone else gets 404."""

    rule = AccessRule("group_role", tuple(roles))

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, group_slug: str, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return _redirect_to_login(request)
            group = get_group_for_user(request.user, group_slug, roles=rule.roles)
            if rule.needs_second_factor:
                redirect = second_factor_redirect(request)
                if redirect is not None:
                    return redirect
            return view(request, *args, group=group, **kwargs)

        _mark(wrapper, rule)
        return wrapper  # type: ignore[return-value]

    return decorator


core_only = group_role(Role.CORE)


def group_member(view: View) -> View:
    """Anyone holding any role in the group named by the `group_slug` URL argument: its own
    decisions, in which every member takes part. No second factor: a member sees the group's
    proposals and who answered what, never records about other people (decision 0011). The
    view receives the group as `group`; everyone else gets 404."""

    rule = AccessRule("group_member", tuple(Role))

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, group_slug: str, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return _redirect_to_login(request)
        group = get_group_for_user(request.user, group_slug, roles=rule.roles)
        return view(request, *args, group=group, **kwargs)

    _mark(wrapper, rule)
    return wrapper  # type: ignore[return-value]


def partner_only(view: View) -> View:
    """A person who speaks for at least one active partner community; 404 for everyone else.
    The view looks up what it shows through the partner's own communities."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _redirect_to_login(request)
        if not communities_for_partner(request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    _mark(wrapper, AccessRule("partner"))
    return wrapper  # type: ignore[return-value]


def field_coordinator(view: View) -> View:
    """A core member of the field team named by the `team_slug` URL argument: a field
    coordinator, signed in with a second factor. The view receives the team as `team`; everyone
    else gets 404."""

    rule = AccessRule("field_coordinator", (Role.CORE,))

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, team_slug: str, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return _redirect_to_login(request)
        team = (
            Group.objects.where(request.user, roles=(Role.CORE,))
            .filter(slug=team_slug, kind=GroupKind.FIELD)
            .first()
        )
        if team is None:
            raise Http404
        redirect = second_factor_redirect(request)
        if redirect is not None:
            return redirect
        return view(request, *args, team=team, **kwargs)

    _mark(wrapper, rule)
    return wrapper  # type: ignore[return-value]


def coordinated_teams(user: Any) -> Any:
    """The field teams in which `user` is a field coordinator (a core member)."""
    return Group.objects.where(user, roles=(Role.CORE,)).filter(kind=GroupKind.FIELD)


# --- lookups -------------------------------------------------------------------------------


def get_group_for_user(user: Any, slug: str, *, roles: tuple[str, ...]) -> Group:
    """The group `slug` if `user` holds one of `roles` in it; 404 otherwise."""
    group = Group.objects.where(user, roles=roles).filter(slug=slug).first()
    if group is None:
        raise Http404
    return group


def user_roles(user: Any, group: Group) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user, group=group).values_list("role", flat=True))


def communities_for_partner(user: Any) -> Any:
    """Partner communities this person speaks for."""
    if not getattr(user, "is_authenticated", False):
        return PartnerCommunity.objects.none()
    return PartnerCommunity.objects.filter(contacts__user=user, is_active=True)


# --- lookups inside a group (group management screens) -------------------------------------
# The group comes from `group_role`/`core_only`, so the person's right to it is settled; these
# make sure the object named in the address belongs to that group, answering 404 otherwise.

_Scoped = TypeVar("_Scoped", bound=models.Model)


def get_in_group(model: type[_Scoped], group: Group, pk: int) -> _Scoped:
    """The row `pk` of `model` that belongs to `group`; 404 for any other."""
    obj = model._default_manager.filter(group=group, pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def get_page_for_group(group: Group, page_id: int) -> Page:
    return get_in_group(Page, group, page_id)


def get_faq_entry_for_group(group: Group, entry_id: int) -> FaqEntry:
    return get_in_group(FaqEntry, group, entry_id)


def get_community_for_group(group: Group, community_id: int) -> PartnerCommunity:
    return get_in_group(PartnerCommunity, group, community_id)


def get_message_for_group(group: Group, message_id: int) -> ContactMessage:
    return get_in_group(ContactMessage, group, message_id)


def get_member_for_group(group: Group, user_id: int) -> Any:
    """A person who holds at least one role in `group` (404 for anyone else)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id, memberships__group=group).first()
    if user is None:
        raise Http404
    return user
