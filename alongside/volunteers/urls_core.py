"""The group's side of the pipeline, under /<lang>/manage/<group_slug>/pipeline/: every view
needs the `core` role in that group and a second factor used in the session."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from alongside.volunteers.views import board as board_views
from alongside.volunteers.views import screening as screening_views

app_name = "pipeline"

urlpatterns: list[URLPattern | URLResolver] = [
    # The board, screening and campaign periods (views/board.py, views/screening.py).
    path("", board_views.board, name="board"),
    path("export.csv", board_views.export, name="export"),
    path("<int:application_id>/", screening_views.application, name="application"),
    path("campaigns/", board_views.campaigns, name="campaigns"),
    path("campaigns/new/", board_views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", board_views.campaign_edit, name="campaign_edit"),
]
