"""Rosters and matching: /<lang>/coordinate/<team_slug>/shifts/… (namespace `coordinate`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from alongside.field.views import roster

urlpatterns: list[URLPattern] = [
    path("", roster.shift_list, name="shift_list"),
    path("<int:shift_id>/", roster.roster, name="roster"),
    path("<int:shift_id>/match/", roster.roster_match, name="roster_match"),
    path("<int:shift_id>/assign/", roster.roster_assign, name="roster_assign"),
    path("<int:shift_id>/remove/<int:signup_id>/", roster.roster_remove, name="roster_remove"),
    path("<int:shift_id>/cover/", roster.roster_cover, name="roster_cover"),
]
