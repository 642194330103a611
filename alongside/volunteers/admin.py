"""Admin for the pipeline's reference data. Applications, notes and references are not in the
admin: they hold encrypted personal data that only the group's screens show, with audit."""

from __future__ import annotations

from django.contrib import admin

from alongside.volunteers.models import CampaignPeriod, QualificationKind


@admin.register(QualificationKind)
class QualificationKindAdmin(admin.ModelAdmin[QualificationKind]):
    list_display = ["name_en", "name_ar", "slug", "valid_for_days"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(CampaignPeriod)
class CampaignPeriodAdmin(admin.ModelAdmin[CampaignPeriod]):
    list_display = ["name_en", "group", "starts_on", "ends_on", "target_volunteers"]
    list_filter = ["group"]
