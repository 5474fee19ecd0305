from django.urls import path

from nok.scores import views

app_name = "scores"

urlpatterns = [
    path("<int:pk>/", views.campaign, name="campaign"),
    path("<int:pk>/close/", views.close_fieldwork, name="close"),
    path("<int:pk>/return/", views.return_to_fieldwork, name="return"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("assessment/<int:pk>/", views.assessment, name="assessment"),
    path("assessment/<int:pk>/summary/", views.summary, name="summary"),
]
