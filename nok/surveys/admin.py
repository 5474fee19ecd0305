"""Read-mostly admin: responses are changed only through services (review with a reason)."""

from django.contrib import admin

from nok.surveys.models import Draft, Flag, ImportJob, PaperSheet, Response


class FlagInline(admin.TabularInline[Flag, Response]):
    model = Flag
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "detail", "created_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    list_display = ["client_id", "assessment", "mode", "channel", "status", "submitted_at"]
    list_filter = ["mode", "channel", "status"]
    search_fields = ["client_id", "source_ref"]
    readonly_fields = [f.name for f in Response._meta.fields]
    inlines = [FlagInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(PaperSheet)
class PaperSheetAdmin(admin.ModelAdmin[PaperSheet]):
    list_display = ["number", "assessment", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in PaperSheet._meta.fields]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = ["filename", "assessment", "imported", "skipped", "done_at"]
    exclude = ["content"]
    readonly_fields = ["assessment", "filename", "sha256", "mapping", "created_by", "imported",
                       "skipped", "done_at"]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin[Draft]):
    list_display = ["assessment", "started_at", "updated_at", "submitted_at"]
    exclude = ["token"]
    readonly_fields = ["assessment", "client_id", "answers", "started_at", "submitted_at"]
