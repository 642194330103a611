"""Invitations on the field coordinators' screens: /<lang>/coordinate/<team_slug>/invitations/…
(inside the `coordinate` namespace; names start with `invitation_` or `rules_`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from alongside.field.views import coord_invitations as views

urlpatterns: list[URLPattern] = [
    path("", views.invitation_list, name="invitation_list"),
    path("new/", views.invitation_new, name="invitation_new"),
    path("rules/", views.rules_edit, name="rules_edit"),
    path("<int:invitation_id>/", views.invitation_detail, name="invitation_detail"),
    path("<int:invitation_id>/edit/", views.invitation_edit, name="invitation_edit"),
    path("<int:invitation_id>/cancel/", views.invitation_cancel, name="invitation_cancel"),
    path(
        "<int:invitation_id>/dates/<int:shift_id>/cancel/",
        views.invitation_cancel_shift,
        name="invitation_cancel_shift",
    ),
]
