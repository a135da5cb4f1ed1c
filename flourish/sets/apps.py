from django.apps import AppConfig


class SetsConfig(AppConfig):
    name = "flourish.sets"
    verbose_name = "Action-learning sets and PAR cycles"
