from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "flourish.rights"
    label = "rights"
    verbose_name = "Data-protection rights"
