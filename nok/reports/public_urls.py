from django.urls import URLPattern, path

from nok.reports import public_views

app_name = "results"

urlpatterns: list[URLPattern] = [
    path("", public_views.campaigns, name="campaigns"),
    path("<int:pk>/", public_views.campaign, name="campaign"),
    path("organization/<int:pk>/", public_views.organization, name="organization"),
]
