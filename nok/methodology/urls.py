from django.urls import path

from nok.methodology import views

app_name = "methodology"

urlpatterns: list = [
    path("", views.index, name="list"),
]
