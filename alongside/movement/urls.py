"""Where a group's core members run the group: profile, pages, FAQ, principles, people,
partner communities, inbox. Every view here needs the `core` role in the group and a second
factor used in the session."""

from __future__ import annotations

from django.urls import include, path

from alongside.movement import views

app_name = "movement"

group_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("pages/", views.pages, name="pages"),
    path("pages/new/", views.page_new, name="page_new"),
    path("pages/<int:page_id>/edit/", views.page_edit, name="page_edit"),
    path("pages/<int:page_id>/delete/", views.page_delete, name="page_delete"),
    path("faq/", views.faq, name="faq"),
    path("faq/new/", views.faq_new, name="faq_new"),
    path("faq/<int:entry_id>/edit/", views.faq_edit, name="faq_edit"),
    path("faq/<int:entry_id>/delete/", views.faq_delete, name="faq_delete"),
    path("principles/", views.principles, name="principles"),
    path("principles/new/", views.principles_new, name="principles_new"),
    path("members/", views.members, name="members"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<int:user_id>/", views.member, name="member"),
    path("communities/", views.communities, name="communities"),
    path("communities/new/", views.community_new, name="community_new"),
    path("communities/<int:community_id>/edit/", views.community_edit, name="community_edit"),
    path(
        "communities/<int:community_id>/contacts/",
        views.community_contacts,
        name="community_contacts",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:message_id>/", views.inbox_message, name="inbox_message"),
    path("inbox/<int:message_id>/handled/", views.inbox_handled, name="inbox_handled"),
]

urlpatterns = [
    path("<slug:group_slug>/", include(group_patterns)),
]
