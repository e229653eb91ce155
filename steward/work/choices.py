from django.db import models


class WorkType(models.TextChoices):
    REACTIVE = "reactive", "Reactive"
    PROACTIVE = "proactive", "Proactive"
    PROJECT = "project", "Project"
    ADMIN = "admin", "Admin"
