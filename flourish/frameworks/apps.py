from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FrameworksConfig(AppConfig):
    name = "flourish.frameworks"
    verbose_name = "Frameworks (the model as data)"

    def ready(self):
        from .actions import load_builtin_frameworks

        def load_after_migrate(sender, using="default", **kwargs):
            if sender.name == self.name:
                load_builtin_frameworks(using=using)

        # weak=False: the receiver is a closure nothing else holds; a weak reference let it
        # be collected at once, so a production migrate (DEBUG=false) loaded no framework.
        post_migrate.connect(load_after_migrate, weak=False, dispatch_uid="flourish-builtin-frameworks")
