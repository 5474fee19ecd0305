from django.urls import URLPattern, path

from nok.methodology import views

app_name = "methodology"

urlpatterns: list[URLPattern] = [
    path("", views.methodology_list, name="list"),
    path("upload/", views.methodology_upload, name="upload"),
    path("<slug:slug>/", views.methodology_detail, name="detail"),
    path("<slug:slug>/download/", views.methodology_download, name="download"),
]
