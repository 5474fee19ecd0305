from django.urls import URLPattern, path

from nok.core import views as core_views
from nok.organizations import views

app_name = "organizations"

urlpatterns: list[URLPattern] = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("types/", views.type_list, name="types"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    # The audit journal (nok.core) is served here until it gets a top-level prefix.
    path("audit/", core_views.audit_journal, name="audit"),
]
