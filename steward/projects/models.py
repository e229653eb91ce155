from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from steward.core.tenancy import ScopedManager, Tenancy
from steward.projects.choices import ProjectStatus, TaskStatus


class Project(models.Model):
    """Planned work for a client (or internal when client is empty) with a deadline to forecast."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_projects"
    )
    status = models.CharField(max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    # Portfolio order: technicians' free hours go to priority 1 first.
    priority = models.PositiveIntegerField(default=100)
    starts_on = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    # Warn the owner when the chance of meeting the deadline drops below this (percent).
    risk_threshold = models.PositiveSmallIntegerField(default=70, validators=[MinValueValidator(1), MaxValueValidator(99)])
    template = models.ForeignKey(
        "ProjectTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Internal planning data: staff only for now (a client report will come from planning).
    tenancy = Tenancy(client="client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["priority", "deadline", "id"]
        indexes = [models.Index(fields=["status", "priority"], name="project_status_priority")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
            models.CheckConstraint(
                condition=Q(risk_threshold__gte=1, risk_threshold__lte=99), name="project_risk_threshold_range"
            ),
        ]

    def __str__(self):
        return self.name


class Phase(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    tenancy = Tenancy(client="project__client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["project", "position", "id"]

    def __str__(self):
        return self.name


class Task(models.Model):
    """A piece of project work with an estimate, an assignee and finish-to-start dependencies."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    estimate_hours = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # The assignee's latest estimate of the hours still to do; None: estimate minus hours logged.
    remaining_hours = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="project_tasks"
    )
    # Finish-to-start: this task cannot start before every task it depends on is done.
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents")
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.TODO)
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    tenancy = Tenancy(client="project__client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["project", "position", "id"]
        indexes = [
            models.Index(fields=["assignee", "status"], name="task_assignee_status"),
            models.Index(fields=["project", "status"], name="task_project_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_valid"),
        ]

    def __str__(self):
        return self.name


class ProjectTicket(models.Model):
    """A ticket that belongs to a project (a ticket belongs to at most one)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.OneToOneField("desk.Ticket", on_delete=models.CASCADE, related_name="project_link")
    linked_at = models.DateTimeField(auto_now_add=True)

    tenancy = Tenancy(client="project__client", staff_only=True)
    objects = ScopedManager()

    def __str__(self):
        return f"{self.ticket_id} in {self.project_id}"


class ProjectTemplate(models.Model):
    """Standard phases and tasks with estimates ("Server replacement") that create a project in one step."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    tenancy = Tenancy(client="pk", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateTask(models.Model):
    template = models.ForeignKey(ProjectTemplate, on_delete=models.CASCADE, related_name="tasks")
    phase = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200)
    estimate_hours = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])
    position = models.PositiveIntegerField(default=0)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents")

    tenancy = Tenancy(client="template_id", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["template", "position", "id"]

    def __str__(self):
        return self.name


class Forecast(models.Model):
    """One Monte Carlo run for a project; the latest is shown, earlier ones reveal sharp drops."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="forecasts")
    computed_at = models.DateTimeField()
    as_of = models.DateField()
    simulations = models.PositiveIntegerField()
    # None where it cannot be said (no deadline, nothing left to plan).
    probability_on_time = models.FloatField(null=True, blank=True)
    p50_date = models.DateField(null=True, blank=True)
    p90_date = models.DateField(null=True, blank=True)
    bottleneck = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reactive_delay_share = models.FloatField(null=True, blank=True)
    # Plain sentences telling what was assumed or missing ("no history: ...").
    explanations = models.JSONField(default=list, blank=True)
    # Completion-date distribution for the chart: [[iso date, share of simulations], ...].
    distribution = models.JSONField(default=list, blank=True)

    tenancy = Tenancy(client="project__client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["project", "-computed_at"], name="forecast_project_latest")]

    def __str__(self):
        return f"forecast of {self.project_id} at {self.computed_at:%Y-%m-%d %H:%M}"


class Scenario(models.Model):
    """A saved what-if: changes to try on the plan without touching it, until applied."""

    # None: a portfolio scenario over every open project.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="scenarios")
    name = models.CharField(max_length=200)
    # The changes, e.g. {"reactive_reduction": 0.3, "extra_capacity": [{"technician": 4, "hours_per_week": 10}]}.
    changes = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    tenancy = Tenancy(client="project__client", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class ForecastSettings(models.Model):
    """The provider's forecasting defaults (one row): used where history is missing, and for warnings."""

    # Share of a technician's hours assumed to go to reactive work when they have no history yet.
    default_reactive_share = models.FloatField(
        default=0.4, validators=[MinValueValidator(0), MaxValueValidator(0.95)]
    )
    # How many past weeks of time entries the reactive load and estimate accuracy are learnt from.
    history_weeks = models.PositiveSmallIntegerField(default=26, validators=[MinValueValidator(4)])
    simulations = models.PositiveIntegerField(default=5000, validators=[MinValueValidator(100)])
    # Warn when the chance of meeting a deadline falls by this many points between two forecasts.
    sharp_drop_points = models.PositiveSmallIntegerField(default=15, validators=[MinValueValidator(1)])

    tenancy = Tenancy(client="pk", staff_only=True)
    objects = ScopedManager()

    class Meta:
        verbose_name_plural = "forecast settings"

    def __str__(self):
        return "forecast settings"

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]
