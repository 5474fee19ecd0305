from django.urls import URLPattern, path

from nok.organizations import views

app_name = "organizations"

urlpatterns: list[URLPattern] = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("types/", views.type_list, name="types"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/organizations/", views.interviewer_organizations,
         name="interviewer_organizations"),
]
