"""Safety in the field: /<lang>/field/safety/…"""

from __future__ import annotations

from django.urls import URLPattern, path

from alongside.field.views import safety

app_name = "safety"

urlpatterns: list[URLPattern] = [
    path("shifts/<int:shift_id>/checkin/", safety.checkin, name="checkin"),
    path("shifts/<int:shift_id>/incident/", safety.incident_new, name="incident_new"),
    path("escalations/<int:escalation_id>/", safety.escalation, name="escalation"),
]
