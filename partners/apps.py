from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Affiliate partners"

    def ready(self):
        from . import signals  # noqa: F401
