from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "flourish.demo"
    verbose_name = "Demo organisation"
