"""Calendar feeds by secret token: /calendar/<token>.ics, without a language or a session."""

from __future__ import annotations

from django.urls import URLPattern, path

from alongside.field.views import feeds as views

app_name = "calendar"

urlpatterns: list[URLPattern] = [
    path("<slug:feed_token>.ics", views.feed, name="feed"),
]
