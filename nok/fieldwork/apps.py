from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "nok.fieldwork"
    label = "fieldwork"
    verbose_name = "Интервью и телефонный опрос"
    default_auto_field = "django.db.models.BigAutoField"
