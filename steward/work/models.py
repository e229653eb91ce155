from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from steward.core.tenancy import ScopedManager, Tenancy
from steward.work.choices import WorkType


class TimeEntry(models.Model):
    """Time a technician spent, classified by kind of work, so planning sees where hours go."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    ticket = models.ForeignKey(
        "desk.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="time_entries"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries"
    )
    started_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(24 * 60)])
    work_type = models.CharField(max_length=12, choices=WorkType.choices, default=WorkType.REACTIVE)
    billable = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Internal: technicians' time never shows in the portal.
    tenancy = Tenancy(client="client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(fields=["technician", "-started_at"], name="time_technician_started"),
            models.Index(fields=["client", "-started_at"], name="time_client_started"),
            models.Index(fields=["work_type", "-started_at"], name="time_worktype_started"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=1440), name="time_duration_range"
            ),
            models.CheckConstraint(condition=Q(work_type__in=WorkType.values), name="time_work_type_valid"),
        ]

    def __str__(self):
        return f"{self.duration_minutes} min {self.work_type} by {self.technician}"

    @property
    def hours(self):
        return self.duration_minutes / 60
