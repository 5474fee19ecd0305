from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "nok.demo"
    label = "demo"
    verbose_name = "Демо-регион"
