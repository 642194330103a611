from __future__ import annotations

from django.urls import path

from alongside.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("get-involved/", views.get_involved, name="get_involved"),
    path("principles/", views.principles, name="principles"),
    path("principles/v<int:number>/", views.principles_version, name="principles_version"),
    path("faq/", views.faq, name="faq"),
    path("groups/", views.groups, name="groups"),
    path("groups/<slug:slug>/", views.group, name="group"),
    path("groups/<slug:slug>/pages/<slug:page_slug>/", views.group_page, name="group_page"),
    path("groups/<slug:slug>/contact/", views.group_contact, name="group_contact"),
    path("groups/<slug:slug>/contact/sent/", views.group_contact_sent, name="group_contact_sent"),
]
