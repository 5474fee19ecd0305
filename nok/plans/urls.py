from django.urls import path

from nok.plans import views

app_name = "plans"

urlpatterns: list = [
    path("", views.index, name="list"),
]
