"""Links for emails: /<lang>/decide/... — without the group's slug, so that an inbox does not
show which group (a field team) its owner belongs to. Each redirects, for a person who may see
it, to the real page; 404 for anyone else (views/links.py)."""

from __future__ import annotations

from django.urls import path

from alongside.decisions.views import links

app_name = "links"

urlpatterns = [
    path("<int:proposal_id>/", links.proposal, name="proposal"),
    path("<int:proposal_id>/blocks/<int:response_id>/", links.block, name="block"),
]
