from django.contrib import admin

from nok.methodology.models import Methodology


@admin.register(Methodology)
class MethodologyAdmin(admin.ModelAdmin[Methodology]):
    list_display = ("slug", "title", "builtin", "uploaded_by", "updated_at")
    list_filter = ("builtin",)
    search_fields = ("slug", "title")
    readonly_fields = ("created_at", "updated_at")
