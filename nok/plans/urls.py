from django.urls import URLPattern, path

from nok.plans import views

app_name = "plans"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="list"),
    path("assessment/<int:pk>/draft/", views.draft, name="draft"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/items/new/", views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_plan, name="return"),
    path("<int:pk>/items/<int:item_pk>/report/", views.report, name="report"),
    path("<int:pk>/items/<int:item_pk>/accept/", views.report_accept, name="report_accept"),
    path("<int:pk>/items/<int:item_pk>/report-return/", views.report_return, name="report_return"),
    path("<int:pk>/items/<int:item_pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/plan.<str:fmt>", views.export, name="export"),
    path("<int:pk>/document-<str:layout>.<str:fmt>", views.document, name="document"),
    path("campaign/<int:pk>/plans.<str:fmt>", views.campaign_export, name="campaign_export"),
]
