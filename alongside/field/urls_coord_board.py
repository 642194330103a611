"""The live board and the safety screens of a field team: /<lang>/coordinate/<team_slug>/…"""

from __future__ import annotations

from django.urls import URLPattern, path

from alongside.field.views import board

urlpatterns: list[URLPattern] = [
    path("", board.board, name="board"),
    path("incidents/", board.incident_list, name="incident_list"),
    path(
        "escalations/<int:escalation_id>/acknowledge/",
        board.escalation_acknowledge,
        name="escalation_acknowledge",
    ),
]
