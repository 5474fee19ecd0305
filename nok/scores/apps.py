from django.apps import AppConfig


class ScoresConfig(AppConfig):
    name = "nok.scores"
    label = "scores"
    verbose_name = "Результаты оценки"
