from django.urls import path

from nok.reports import views

app_name = "reports"

urlpatterns: list = [
    path("", views.index, name="list"),
]
