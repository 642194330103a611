"""URL map. Pages people read carry their language (/en/, /ar/); machine endpoints do not."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from alongside.lib.access import public
from alongside.public import views as public_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", public_views.healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    # Calendar apps fetch these without a session or a language: the secret token is the key.
    path("calendar/", include("alongside.field.urls_calendar")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("alongside.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("volunteer/", include("alongside.volunteers.urls")),
    path("manage/<slug:group_slug>/pipeline/", include("alongside.volunteers.urls_core")),
    path("field/calendar/", include("alongside.field.urls_feeds")),
    path("field/decide/", include("alongside.decisions.urls_quick")),
    path("field/", include("alongside.field.urls_field")),
    path("field/safety/", include("alongside.field.urls_safety")),
    path("partner/", include("alongside.field.urls_partner")),
    path("coordinate/<slug:team_slug>/", include("alongside.field.urls_coordinate")),
    path("decisions/<slug:group_slug>/", include("alongside.decisions.urls")),
    path("decide/", include("alongside.decisions.urls_links")),
    path("manage/", include("alongside.movement.urls")),
    path("admin/", admin.site.urls),
    path("", include("alongside.public.urls")),
    prefix_default_language=True,
)

handler400 = "alongside.public.views.bad_request"
handler403 = "alongside.public.views.permission_denied"
handler404 = "alongside.public.views.page_not_found"
handler500 = "alongside.public.views.server_error"
