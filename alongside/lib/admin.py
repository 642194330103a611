"""The audit log in the admin: readable by staff with the view permission, never writable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alongside.lib.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("sequence", "at", "actor_label", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    # Exact matches only: a LIKE scan over millions of entries would stall the admin.
    search_fields = ("=actor_label", "=target_id")
    ordering = ("-sequence",)
    readonly_fields = (
        "sequence",
        "at",
        "actor_id",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "detail",
        "url_name",
        "method",
        "prev_hash",
        "hash",
    )
    show_full_result_count = False
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
