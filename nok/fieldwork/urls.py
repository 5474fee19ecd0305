from django.urls import path

from nok.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.home, name="home"),
    path("assessment/<int:pk>/interview/", views.interview, name="interview"),
    path("campaign/<int:pk>/interviewers/", views.progress, name="progress"),
    path("assessment/<int:pk>/call-list/", views.call_list, name="call_list"),
    path("assessment/<int:pk>/calls/", views.calls, name="calls"),
]
