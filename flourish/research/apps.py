from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "flourish.research"
    verbose_name = "Research: testing the model"
