from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from steward.core.tenancy import ScopedManager, Tenancy
from steward.work.choices import AbsenceKind, EntryStatus, WorkType


class TimeEntry(models.Model):
    """Time a technician spent, classified by kind of work, so planning sees where hours go."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    ticket = models.ForeignKey(
        "desk.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="time_entries"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries"
    )
    # Project work: the task the hours were spent on (its project's progress and the
    # forecast's estimate accuracy read these).
    task = models.ForeignKey(
        "projects.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="time_entries"
    )
    started_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(24 * 60)])
    work_type = models.CharField(max_length=12, choices=WorkType.choices, default=WorkType.REACTIVE)
    billable = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Why a manager sent the week back; shown on the timesheet until it is submitted again.
    return_reason = models.CharField(max_length=500, blank=True)
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
            models.Index(fields=["task"], name="time_task", condition=Q(task__isnull=False)),
            models.Index(fields=["status", "started_at"], name="time_status_started"),
            # The hours report reads a period's entries from these alone (index-only scans, no
            # wide table rows): by period for its GROUP BYs, by technician in start order for
            # interruptions. Key columns rather than INCLUDE, which SQLite lacks.
            models.Index(
                fields=["started_at", "work_type", "technician", "client", "ticket", "duration_minutes", "billable"],
                name="time_report_period",
            ),
            models.Index(
                fields=["technician", "started_at", "work_type", "duration_minutes"], name="time_report_technician"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=1440), name="time_duration_range"
            ),
            models.CheckConstraint(condition=Q(work_type__in=WorkType.values), name="time_work_type_valid"),
            models.CheckConstraint(condition=Q(status__in=EntryStatus.values), name="time_status_valid"),
        ]

    def __str__(self):
        return f"{self.duration_minutes} min {self.work_type} by {self.technician}"

    @property
    def hours(self):
        return self.duration_minutes / 60


class RunningTimer(models.Model):
    """A technician's running stopwatch; stopping it logs a time entry. One per technician."""

    technician = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timer")
    started_at = models.DateTimeField()
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    task = models.ForeignKey("projects.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    client = models.ForeignKey("clients.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    work_type = models.CharField(max_length=12, choices=WorkType.choices, blank=True)
    note = models.TextField(blank=True)

    tenancy = Tenancy(client="client", staff_only=True)
    objects = ScopedManager()

    def __str__(self):
        return f"timer of {self.technician} since {self.started_at:%H:%M}"


class Capacity(models.Model):
    """How many hours a technician works in a normal week, and how much of it should be billable work."""

    technician = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="capacity")
    weekly_hours = models.DecimalField(
        max_digits=5, decimal_places=2, default=40, validators=[MinValueValidator(0), MaxValueValidator(80)]
    )
    # ISO weekdays worked, "12345" = Monday to Friday; weekly hours are spread evenly over them.
    work_days = models.CharField(max_length=7, default="12345")
    target_utilisation = models.DecimalField(
        max_digits=4, decimal_places=2, default=0.8, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )

    tenancy = Tenancy(client="technician__contact__client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        verbose_name_plural = "capacities"
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=0, weekly_hours__lte=80), name="capacity_weekly_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(target_utilisation__gte=0, target_utilisation__lte=1), name="capacity_utilisation_range"
            ),
        ]

    def __str__(self):
        return f"{self.technician}: {self.weekly_hours} h/week"


class Absence(models.Model):
    """Days a technician is away (holiday, leave, sick, training); partial days give the hours away."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(max_length=10, choices=AbsenceKind.choices, default=AbsenceKind.LEAVE)
    starts_on = models.DateField()
    ends_on = models.DateField()
    # None: the whole working day; otherwise hours away on each day of the range.
    hours_per_day = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(24)]
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    tenancy = Tenancy(client="technician__contact__client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["technician", "starts_on"], name="absence_technician_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="absence_dates_ordered"),
            models.CheckConstraint(condition=Q(kind__in=AbsenceKind.values), name="absence_kind_valid"),
        ]

    def __str__(self):
        return f"{self.technician} {self.kind} {self.starts_on}–{self.ends_on}"


class TimeDay(models.Model):
    """One technician's project and reactive work on one local day, summed when the entries change.

    The hours report's interruption figures sum these rows instead of ordering a year of
    entries; steward/work/days.py keeps them in step with the entries.
    """

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_days")
    day = models.DateField(help_text="The provider's local day (settings.TIME_ZONE).")
    project_minutes = models.PositiveIntegerField(default=0)
    reactive_minutes = models.PositiveIntegerField(default=0)
    # Runs of reactive entries with project work before and after them that day, and their minutes.
    interruptions = models.PositiveIntegerField(default=0)
    interrupted_minutes = models.PositiveIntegerField(default=0)

    tenancy = Tenancy(client="technician__contact__client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["day", "technician"], name="timeday_day_technician")]
        constraints = [models.UniqueConstraint(fields=["technician", "day"], name="timeday_technician_day_unique")]

    def __str__(self):
        return f"{self.technician} on {self.day}: {self.interruptions} interruptions"
