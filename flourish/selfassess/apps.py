from django.apps import AppConfig


class SelfAssessConfig(AppConfig):
    name = "flourish.selfassess"
    verbose_name = "Self-assessment"
