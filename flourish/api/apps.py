from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "flourish.api"
    verbose_name = "JSON API"
