from django.apps import AppConfig


class OrgadminConfig(AppConfig):
    name = "flourish.orgadmin"
    label = "orgadmin"
    verbose_name = "Organisation administration"
