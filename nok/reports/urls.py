from django.urls import URLPattern, path

from nok.reports import views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="list"),
    path("campaign/<int:pk>/", views.campaign, name="campaign"),
    path("campaign/<int:pk>/<str:document>.<str:fmt>", views.campaign_document,
         name="campaign_document"),
    path("campaign/<int:pk>/jobs/", views.job_start, name="job_start"),
    path("job/<int:pk>/", views.job, name="job"),
    path("job/<int:pk>/download", views.job_download, name="job_download"),
    path("assessment/<int:pk>/protocol.<str:fmt>", views.protocol, name="protocol"),
    path("assessment/<int:pk>/plan.<str:fmt>", views.plan, name="plan"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>/", views.template, name="template"),
    path("templates/<str:kind>/<str:which>.docx", views.template_file, name="template_file"),
]
