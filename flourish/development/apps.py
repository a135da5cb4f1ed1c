from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "flourish.development"
    verbose_name = "Development plans and reflective journal"
