from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "flourish.accounts"
    verbose_name = "People and organisations"
