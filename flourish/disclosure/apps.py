from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "flourish.disclosure"
    verbose_name = "Disclosure ledger"
