"""A person's own side of the pipeline: applying, agreeing to the principles, their page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from alongside.volunteers.views import applicant

app_name = "volunteers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", applicant.home, name="home"),
]
