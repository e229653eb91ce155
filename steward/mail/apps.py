from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "steward.mail"
    label = "mail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Email notifications follow the desk's events; the desk itself never imports mail.
        from steward.mail import notifications

        notifications.subscribe()
