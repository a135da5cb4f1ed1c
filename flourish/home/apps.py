from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "flourish.home"
    verbose_name = "Home page"
