"""Admin for the field's reference data only. Invitations, sign-ups, check-ins and incident
notes hold encrypted places and notes that the field screens show, with audit."""

from __future__ import annotations

from django.contrib import admin

from alongside.field.models import ActivityRules, FieldSettings


@admin.register(ActivityRules)
class ActivityRulesAdmin(admin.ModelAdmin[ActivityRules]):
    list_display = ["team", "kind", "min_team_size", "needs_experienced", "checkin_every_hours"]
    list_filter = ["team", "kind"]


@admin.register(FieldSettings)
class FieldSettingsAdmin(admin.ModelAdmin[FieldSettings]):
    list_display = ["team", "offer_hours", "checkin_grace_minutes", "escalate_every_minutes"]
