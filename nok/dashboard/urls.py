from django.urls import path

from nok.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("organizations/<int:pk>/", views.organization, name="organization"),
    path("journal/", views.audit_journal, name="audit"),
]
