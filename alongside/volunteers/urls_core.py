"""The group's side of the pipeline, under /<lang>/manage/<group_slug>/pipeline/: every view
needs the `core` role in that group and a second factor used in the session."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from alongside.volunteers.views import board as board_views
from alongside.volunteers.views import erasure as erasure_views
from alongside.volunteers.views import outreach as outreach_views
from alongside.volunteers.views import safe_space as safe_space_views
from alongside.volunteers.views import screening as screening_views
from alongside.volunteers.views import training as training_views

app_name = "pipeline"

urlpatterns: list[URLPattern | URLResolver] = [
    # The board, screening and campaign periods (views/board.py, views/screening.py).
    path("", board_views.board, name="board"),
    path("export.csv", board_views.export, name="export"),
    path("<int:application_id>/", screening_views.application, name="application"),
    path("<int:application_id>/erase/", erasure_views.erase, name="erase"),
    path("campaigns/", board_views.campaigns, name="campaigns"),
    path("campaigns/new/", board_views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", board_views.campaign_edit, name="campaign_edit"),
    # Outreach after return and how long personal data is kept (views/outreach.py).
    path("outreach/", outreach_views.outreach, name="outreach"),
    path("retention/", outreach_views.retention, name="retention"),
    # Trainings (views/training.py).
    path("trainings/", training_views.training_list, name="trainings"),
    path("trainings/new/", training_views.training_new, name="training_new"),
    path("trainings/<int:training_id>/", training_views.training_detail, name="training"),
    path("trainings/<int:training_id>/edit/", training_views.training_edit, name="training_edit"),
    path(
        "trainings/<int:training_id>/attendance/",
        training_views.training_attendance,
        name="training_attendance",
    ),
    path(
        "trainings/<int:training_id>/grant/",
        training_views.training_grant,
        name="training_grant",
    ),
    # Safe-space concerns and who receives them (views/safe_space.py).
    path("safe-space/", safe_space_views.concern_list, name="safespace"),
    path("safe-space/contacts/", safe_space_views.contacts, name="safespace_contacts"),
    path(
        "safe-space/<int:concern_id>/",
        safe_space_views.concern_detail,
        name="safespace_concern",
    ),
    path(
        "safe-space/<int:concern_id>/handled/",
        safe_space_views.concern_handled,
        name="safespace_handled",
    ),
]
