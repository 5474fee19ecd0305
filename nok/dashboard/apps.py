from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "nok.dashboard"
    label = "dashboard"
    verbose_name = "Рабочий стол"
