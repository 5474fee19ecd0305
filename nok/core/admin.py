"""The audit trail in the admin: read-only, nobody edits history."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nok.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "user", "action", "object_type", "object_repr", "organization_id",
                    "campaign_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "user__username")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
