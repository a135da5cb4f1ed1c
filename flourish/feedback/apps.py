from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "flourish.feedback"
    verbose_name = "360° feedback"
