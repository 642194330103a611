"""The Django admin, behind the same door as everything else: allauth's sign-in, then a second
factor used in this session. The admin's own password-only login form is never shown."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from alongside.lib.access import has_second_factor, used_second_factor


class AlongsideAdminSite(admin.AdminSite):
    site_header = _("Alongside administration")
    site_title = _("Alongside administration")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and used_second_factor(request)  # type: ignore[union-attr]
        )

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """Send people to allauth's sign-in (which asks for the second factor), never to the
        admin's own form; signed-in staff who have not used a second factor yet are asked for
        it; everyone else is told there is nothing here."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('account_login')}?next={quote(next_url)}")
        if not (user.is_active and user.is_staff):
            raise Http404
        if not used_second_factor(request):
            target = "mfa_reauthenticate" if has_second_factor(user) else "mfa_index"
            return HttpResponseRedirect(f"{reverse(target)}?next={quote(next_url)}")
        return HttpResponseRedirect(next_url)

    def password_change(  # type: ignore[override]  # a redirect, not a form
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # allauth's page ends the person's other sessions and writes the audit log.
        return HttpResponseRedirect(reverse("account_change_password"))
