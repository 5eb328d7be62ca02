from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site building blocks"

    def ready(self):
        from . import checks, signals  # noqa: F401
