from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "steward.projects"
    label = "projects"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Forecasts follow logged time, capacity and plan changes; the work app never imports projects.
        from steward.projects import tasks

        tasks.subscribe()
