from django.apps import AppConfig


class MethodologyConfig(AppConfig):
    name = "nok.methodology"
    label = "methodology"
    default_auto_field = "django.db.models.BigAutoField"
