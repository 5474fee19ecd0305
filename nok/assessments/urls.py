from django.urls import path

from nok.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("assessment/<int:pk>/checklists/", views.assessment_checklists, name="assessment_checklists"),
    path("assessment/<int:pk>/values/", views.assessment_values, name="assessment_values"),
    path("assessment/<int:pk>/protocol/", views.assessment_protocol, name="assessment_protocol"),
    path(
        "assessment/<int:pk>/evidence/<int:tick_pk>/",
        views.evidence_download,
        name="evidence",
    ),
    path(
        "assessment/<int:pk>/contacts/<int:contact_pk>/delete/",
        views.contact_delete,
        name="contact_delete",
    ),
]
