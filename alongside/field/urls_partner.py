"""A community partner's screens: /<lang>/partner/…"""

from __future__ import annotations

from django.urls import URLPattern, path

from alongside.field.views import partner as views

app_name = "partner"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("invitations/new/", views.invitation_new, name="invitation_new"),
    path("invitations/<int:invitation_id>/", views.invitation_detail, name="invitation"),
    path("invitations/<int:invitation_id>/edit/", views.invitation_edit, name="invitation_edit"),
    path(
        "invitations/<int:invitation_id>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "invitations/<int:invitation_id>/dates/<int:shift_id>/cancel/",
        views.shift_cancel,
        name="shift_cancel",
    ),
]
