"""Quick decisions of a team in the field: /<lang>/field/decide/..."""

from __future__ import annotations

from django.urls import path

from alongside.decisions.views import quick

app_name = "quick"

urlpatterns = [
    path("new/<int:shift_id>/", quick.new, name="new"),
    path("<int:proposal_id>/", quick.detail, name="proposal"),
    path("<int:proposal_id>/respond/", quick.respond, name="respond"),
]
