from django.urls import URLPattern, path

from nok.plans import views

app_name = "plans"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="list"),
]
