from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo data that `make run` loads (`manage.py load_demo`). No models."""

    name = "alongside.demo"
    label = "demo"
