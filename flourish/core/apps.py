from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "flourish.core"
    verbose_name = "Pages and layout"
