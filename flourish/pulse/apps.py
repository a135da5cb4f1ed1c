from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "flourish.pulse"
    label = "pulse"
    verbose_name = "Team integration pulse"
