from django.urls import URLPattern, path

from nok.reports import views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="list"),
]
