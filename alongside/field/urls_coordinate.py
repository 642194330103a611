"""The field coordinators' screens of one field team: /<lang>/coordinate/<team_slug>/…

Three parts, one namespace (`coordinate`): the live board, invitations entered on a partner's
behalf, and rosters with matching. URL names are unique across the three."""

from __future__ import annotations

from django.urls import URLResolver, include, path

app_name = "coordinate"

urlpatterns: list[URLResolver] = [
    path("", include("alongside.field.urls_coord_board")),
    path("invitations/", include("alongside.field.urls_coord_invitations")),
    path("shifts/", include("alongside.field.urls_coord_roster")),
]
