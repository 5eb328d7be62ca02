from django.apps import AppConfig


class WiseGeekConfig(AppConfig):
    name = "wisegeek"
    verbose_name = "Publication"

    def ready(self):
        from . import signals  # noqa: F401
