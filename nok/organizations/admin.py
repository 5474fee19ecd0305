"""Django admin for the registry's reference data (the operator's everyday work is in the site)."""

from django.contrib import admin

from nok.organizations.models import Membership, Organization, OrganizationType


@admin.register(OrganizationType)
class OrganizationTypeAdmin(admin.ModelAdmin[OrganizationType]):
    list_display = ("name", "short_name", "builtin", "position")
    list_filter = ("builtin",)
    search_fields = ("name", "short_name")
    ordering = ("position", "name")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "short_name", "inn", "type", "municipality", "recipients")
    list_filter = ("type", "has_stationary", "has_semi_stationary", "has_home")
    search_fields = ("name", "short_name", "inn", "address", "municipality")
    list_select_related = ("type",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "role", "organization")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("organization",)
