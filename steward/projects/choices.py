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


class ProjectEvent(models.TextChoices):
    """What the projects app announces through ``steward.core.events``."""

    PLAN_CHANGED = "projects.plan_changed", "Plan changed"  # project_id
    DEADLINE_AT_RISK = "projects.deadline_at_risk", "Deadline at risk"  # project, forecast, reason
