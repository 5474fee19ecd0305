from django.urls import path

from nok.assessments import views

app_name = "assessments"

urlpatterns: list = [
    path("", views.index, name="campaign_list"),
]
