from django.urls import path

from nok.siteaudit import views

app_name = "siteaudit"

urlpatterns = [
    path("assessment/<int:pk>/", views.assessment_audit, name="assessment"),
    path("assessment/<int:pk>/start/", views.audit_start, name="start"),
    path("assessment/<int:pk>/findings/<int:finding_pk>/decide/", views.finding_decide,
         name="decide"),
    path("assessment/<int:pk>/pages/<int:page_pk>/", views.stored_page, name="page"),
    path("campaign/<int:pk>/", views.campaign_audit, name="campaign"),
]
