"""Where a group's core members run the group: profile, pages, FAQ, principles, people,
partner communities, inbox. Every view here needs the `core` role in the group and a second
factor used in the session."""

from __future__ import annotations

from django.urls import path

from alongside.movement import views

app_name = "movement"

urlpatterns = [
    path("<slug:group_slug>/", views.dashboard, name="dashboard"),
    path("<slug:group_slug>/inbox/", views.inbox, name="inbox"),
]
