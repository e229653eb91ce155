from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "steward.core"
    label = "core"

    def ready(self):
        from steward.core import postgres

        postgres.connect_signals()
