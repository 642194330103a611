"""The decisions of one group: /<lang>/decisions/<group_slug>/..."""

from __future__ import annotations

from django.urls import path

from alongside.decisions.views import group, proposals, register, responses

app_name = "decisions"

P = "<int:proposal_id>/"

urlpatterns = [
    # --- proposals and their stages (views/proposals.py) ---
    path("", proposals.index, name="index"),
    path("new/", proposals.new, name="new"),
    path(P, proposals.detail, name="proposal"),
    path(P + "edit/", proposals.edit, name="edit"),
    path(P + "open/", proposals.open_proposal, name="open"),
    path(P + "withdraw/", proposals.withdraw, name="withdraw"),
    path(P + "deadlines/", proposals.deadlines, name="deadlines"),
    path(P + "comments/", proposals.comment, name="comment"),
    path(P + "comments/<int:comment_id>/answered/", proposals.answered, name="answered"),
    path(P + "amendments/new/", proposals.suggest, name="suggest"),
    path(P + "amendments/<int:amendment_id>/", proposals.amendment, name="amendment"),
    path(P + "versions/", proposals.versions, name="versions"),
    # --- responses and blocks (views/responses.py) ---
    path(P + "respond/", responses.respond, name="respond"),
    path(P + "blocks/<int:response_id>/", responses.block_thread, name="block"),
    # --- the register, action items (views/register.py) ---
    path("register/", register.register, name="register"),
    path("register.csv", register.register_csv, name="register_csv"),
    path("register.json", register.register_json, name="register_json"),
    path(P + "actions/", register.add_action, name="add_action"),
    path(P + "actions/<int:item_id>/done/", register.action_done, name="action_done"),
    # --- the group's rule, mandates, ratification queue, absences (views/group.py) ---
    path("rule/", group.rule, name="rule"),
    path("mandates/", group.mandates, name="mandates"),
    path("mandates/<int:mandate_id>/", group.mandate, name="mandate"),
    path("ratify/", group.ratifications, name="ratifications"),
    path("away/", group.absences, name="absences"),
    path("away/<int:absence_id>/delete/", group.delete_absence, name="delete_absence"),
]
