from django.urls import path

from nok.surveys import public_views, views

app_name = "surveys"

urlpatterns = [
    # Public questionnaire (no login): /q/<code>/
    path("q/<str:code>/", public_views.form, name="form"),
    path("q/<str:code>/s/<str:key>/", public_views.step, name="step"),
    path("q/<str:code>/review/", public_views.review, name="review"),
    path("q/<str:code>/submit/", public_views.submit, name="submit"),
    path("q/<str:code>/thanks/", public_views.thanks, name="thanks"),
    path("q/<str:code>/autosave/", public_views.autosave, name="autosave"),
    # Operator pages
    path("surveys/assessment/<int:pk>/", views.manage, name="manage"),
    path("surveys/assessment/<int:pk>/qr.<str:kind>", views.qr_code, name="qr"),
    path("surveys/assessment/<int:pk>/poster.pdf", views.poster, name="poster"),
    path("surveys/assessment/<int:pk>/questionnaire.pdf", views.paper_questionnaire, name="paper_pdf"),
    path("surveys/assessment/<int:pk>/flags/recompute/", views.recompute_flags, name="recompute_flags"),
    path("surveys/assessment/<int:pk>/paper/", views.paper_entry, name="paper_entry"),
    path("surveys/assessment/<int:pk>/import/", views.import_upload, name="import_upload"),
    path("surveys/import/<int:pk>/", views.import_map, name="import_map"),
    path("surveys/sheet/<int:pk>/", views.sheet_resolve, name="sheet_resolve"),
    path("surveys/response/<int:pk>/review/", views.review, name="review_response"),
    path("surveys/campaign/<int:pk>/", views.campaign_overview, name="campaign_overview"),
    path("surveys/campaign/<int:pk>/review/", views.campaign_review, name="campaign_review"),
    path("surveys/campaign/<int:pk>/review/decide/", views.review_bulk, name="review_bulk"),
]
