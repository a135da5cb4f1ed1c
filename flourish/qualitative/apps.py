from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "flourish.qualitative"
    verbose_name = "Qualitative workbench"
