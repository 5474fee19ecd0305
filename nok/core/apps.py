from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nok.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nok.core import receivers  # noqa: F401  (connects the signal receivers)
