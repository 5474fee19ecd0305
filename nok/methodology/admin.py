from typing import TYPE_CHECKING

from django.contrib import admin

from nok.methodology.models import Methodology

# Django's admin classes are generic only in django-stubs (not subscriptable at runtime).
if TYPE_CHECKING:
    MethodologyAdminBase = admin.ModelAdmin[Methodology]
else:
    MethodologyAdminBase = admin.ModelAdmin


@admin.register(Methodology)
class MethodologyAdmin(MethodologyAdminBase):
    list_display = ("slug", "title", "builtin", "uploaded_by", "updated_at")
    list_filter = ("builtin",)
    search_fields = ("slug", "title")
    readonly_fields = ("created_at", "updated_at")
