"""The Django admin for the movement's records: for the few people who run the platform itself.
Groups run themselves through the management screens (`movement.views`); the admin is for
setting up a group and repairing what those screens cannot.

Published principles and contact messages are read-only here: a principles version is what
volunteers agreed to, and a contact message is what someone wrote to a group."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from alongside.movement.models import (
    ContactMessage,
    FaqEntry,
    Group,
    Membership,
    Page,
    PartnerCommunity,
    PartnerContact,
    Principle,
    PrinciplesVersion,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name_en", "slug", "kind", "is_general", "is_listed"]
    list_filter = ["kind", "is_listed"]
    search_fields = ["name_en", "name_ar", "slug", "region_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "created_at"]
    list_filter = ["role", "group"]
    search_fields = ["user__email", "user__name", "group__name_en"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["group"]
    list_select_related = ["user", "group"]


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0
    raw_id_fields = ["user"]


@admin.register(PartnerCommunity)
class PartnerCommunityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "locality_en", "group", "is_active"]
    list_filter = ["is_active", "group"]
    search_fields = ["name_en", "name_ar", "locality_en", "locality_ar"]
    list_select_related = ["group"]
    inlines = [PartnerContactInline]


class PrincipleInline(admin.StackedInline):
    model = Principle
    extra = 0
    can_delete = False
    readonly_fields = ["position", "title_en", "title_ar", "text_en", "text_ar"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PrinciplesVersion)
class PrinciplesVersionAdmin(admin.ModelAdmin):
    """Read-only: a new version is published from the group's principles screen, which keeps
    the numbering and the audit log right."""

    list_display = ["group", "number", "published_at", "published_by"]
    list_filter = ["group"]
    list_select_related = ["group", "published_by"]
    inlines = [PrincipleInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title_en", "slug", "group", "position", "is_published", "updated_at"]
    list_filter = ["is_published", "group"]
    search_fields = ["title_en", "title_ar", "slug"]
    list_select_related = ["group"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question_en", "group", "position", "is_published"]
    list_filter = ["is_published", "group"]
    search_fields = ["question_en", "question_ar"]
    list_select_related = ["group"]


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Lists when messages came and whether they were handled, never who sent them: reading a
    message happens in the group's inbox, where each opening is written to the audit log."""

    list_display = ["received_at", "group", "language", "handled"]
    list_filter = ["group", ("handled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["group"]
    date_hierarchy = "received_at"
    fields = ("group", "language", "received_at", "handled_at", "handled_by")
    readonly_fields = ("group", "language", "received_at", "handled_at", "handled_by")

    @admin.display(boolean=True, description=_("handled"))
    def handled(self, obj: ContactMessage) -> bool:
        return obj.is_handled

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
