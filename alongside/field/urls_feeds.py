"""The pages of a person's private calendar addresses: /<lang>/field/calendar/…"""

from __future__ import annotations

from django.urls import URLPattern, path

from alongside.field.views import feeds as views

app_name = "feeds"

urlpatterns: list[URLPattern] = [
    path("", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("revoke/", views.revoke, name="revoke"),
    path("partner/", views.partner, name="partner"),
    path("partner/new/", views.partner_create, name="partner_create"),
    path("partner/revoke/", views.partner_revoke, name="partner_revoke"),
]
