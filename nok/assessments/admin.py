from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from nok.assessments.models import (
    Assessment,
    Campaign,
    ChecklistTick,
    ComplaintRecord,
    ControlContact,
    IndicatorValue,
)


# Campaigns and fieldwork data are changed through the application (audited, frozen after
# publication); the admin only shows them.
class ReadOnlyAdmin(admin.ModelAdmin[Model]):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class AssessmentInline(admin.TabularInline[Assessment, Campaign]):
    model = Assessment
    fields = ("organization", "survey_code", "data_version")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Campaign | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("title", "year", "methodology", "status", "edition")
    list_filter = ("status", "year")
    search_fields = ("title",)
    inlines = [AssessmentInline]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("organization", "campaign", "survey_code", "data_version")
    list_filter = ("campaign",)
    search_fields = ("organization__name", "survey_code")


@admin.register(ChecklistTick)
class ChecklistTickAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "checklist_key", "item_key", "present")
    list_filter = ("checklist_key",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "code", "value")


@admin.register(ControlContact)
class ControlContactAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "kind", "date", "form", "answered", "effective")
    list_filter = ("kind", "form")


@admin.register(ComplaintRecord)
class ComplaintRecordAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "form", "registered", "resolved")
