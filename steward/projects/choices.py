from django.db import models


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# Projects that still compete for technicians' hours (the forecaster plans these).
OPEN_PROJECT_STATUSES = frozenset({ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD})


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
