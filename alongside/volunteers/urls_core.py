"""The group's side of the pipeline, under /<lang>/manage/<group_slug>/pipeline/: every view
needs the `core` role in that group and a second factor used in the session."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "pipeline"

urlpatterns: list[URLPattern | URLResolver] = []
