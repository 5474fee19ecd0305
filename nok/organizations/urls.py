from django.urls import path

from nok.organizations import views

app_name = "organizations"

urlpatterns: list = [
    path("", views.index, name="list"),
]
