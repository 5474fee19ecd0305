from django.apps import AppConfig


class SiteAuditConfig(AppConfig):
    name = "nok.siteaudit"
    label = "nok_siteaudit"
    verbose_name = "Проверка сайтов"
    default_auto_field = "django.db.models.BigAutoField"
