from django.urls import path

from nok.fieldwork import app_views, views

app_name = "fieldwork"

urlpatterns = [
    path("", views.home, name="home"),
    path("assessment/<int:pk>/interview/", views.interview, name="interview"),
    path("campaign/<int:pk>/interviewers/", views.progress, name="progress"),
    path("assessment/<int:pk>/call-list/", views.call_list, name="call_list"),
    path("assessment/<int:pk>/calls/", views.calls, name="calls"),
    # The offline interview app (its service worker's scope is /fieldwork/app/)
    path("app/", app_views.app, name="app"),
    path("app/sw.js", app_views.service_worker, name="app_sw"),
    path("app/manifest.webmanifest", app_views.manifest, name="app_manifest"),
    path("app/api/bundle/", app_views.bundle, name="app_bundle"),
    path("app/api/sync/", app_views.sync, name="app_sync"),
]
