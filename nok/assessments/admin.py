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


class AssessmentInline(admin.TabularInline[Assessment, Campaign]):
    model = Assessment
    fields = ("organization", "survey_code", "total", "computed_at")
    readonly_fields = ("survey_code", "total", "computed_at")
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ("title", "year", "methodology", "status")
    list_filter = ("status", "year")
    search_fields = ("title",)
    inlines = [AssessmentInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin[Assessment]):
    list_display = ("organization", "campaign", "total", "computed_at")
    list_filter = ("campaign",)
    search_fields = ("organization__name", "survey_code")
    readonly_fields = ("total", "result", "computed_at")


# Fieldwork data is changed through the application (audited); the admin only shows it.
class ReadOnlyAdmin(admin.ModelAdmin[Model]):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


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
