from django.db import models


class WorkType(models.TextChoices):
    REACTIVE = "reactive", "Reactive"
    PROACTIVE = "proactive", "Proactive"
    PROJECT = "project", "Project"
    ADMIN = "admin", "Admin"


class EntryStatus(models.TextChoices):
    """A week's entries are drafts until the technician submits them; a manager then approves."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"


class AbsenceKind(models.TextChoices):
    HOLIDAY = "holiday", "Public holiday"
    LEAVE = "leave", "Leave"
    SICK = "sick", "Sick"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class WorkEvent(models.TextChoices):
    """What the work app announces through ``steward.core.events`` (forecasts refresh on these)."""

    TIME_CHANGED = "work.time_changed", "Time logged or corrected"  # technician_id, task_id (or None)
    CAPACITY_CHANGED = "work.capacity_changed", "Capacity or absences changed"  # technician_id
