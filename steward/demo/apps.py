from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Builds the demo data; it has no models of its own."""

    name = "steward.demo"
    label = "demo"
