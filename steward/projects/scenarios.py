"""What-if scenarios: compare the forecast under changed assumptions, save them, apply them to the plan.

Comparing never writes anything; ``apply_scenario`` changes the real plan through the
projects' own services and says in words which parts are assumptions it cannot apply.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from steward.accounts.models import User
from steward.core.exceptions import DomainError, NotPermitted, require_staff
from steward.projects import forecasting, services, tasks
from steward.projects.choices import OPEN_PROJECT_STATUSES
from steward.projects.models import Project, Scenario, Task
from steward.work import services as work_services
from steward.work.models import Capacity

CONTRACTOR = "contractor"
MAX_WEEKLY_HOURS = Decimal(80)


class ScenarioError(DomainError):
    """A what-if the forecast cannot run or the plan refuses; the message says what to fix."""


def clean_changes(user, changes: dict) -> dict:
    """The changes with every id checked against what ``user`` may see, in the engine's format."""
    if not isinstance(changes, dict):
        raise ScenarioError("Describe the scenario as a set of changes.", field="changes")
    unknown = set(changes) - {"reactive_reduction", "extra_capacity", "deadlines", "priority_order", "reassign"}
    if unknown:
        raise ScenarioError(f"Unknown change: {', '.join(sorted(unknown))}.", field=min(unknown))
    cleaned = {}
    technicians = User.objects.staff()
    reduction = changes.get("reactive_reduction")
    if reduction not in (None, 0, {}):
        share = reduction.get("share") if isinstance(reduction, dict) else reduction
        if not isinstance(share, int | float) or not 0 < share <= 0.95:
            raise ScenarioError("Reduce reactive load by more than 0% and at most 95%.", field="reactive_reduction")
        technician = reduction.get("technician") if isinstance(reduction, dict) else None
        if technician is not None:
            _existing(technicians, technician, "reactive_reduction", "technician")
            cleaned["reactive_reduction"] = {"share": share, "technician": technician}
        else:
            cleaned["reactive_reduction"] = share
    extra = []
    for item in changes.get("extra_capacity") or ():
        hours = item.get("hours_per_week")
        if not isinstance(hours, int | float) or not 0 < hours <= MAX_WEEKLY_HOURS:
            raise ScenarioError("Add between 1 and 80 hours a week.", field="extra_capacity")
        if item.get("technician") is not None:
            _existing(technicians, item["technician"], "extra_capacity", "technician")
        starts = item.get("from") or timezone.localdate().isoformat()
        _date(starts, "extra_capacity")
        extra.append({**item, "name": item.get("name") or "Contractor", "from": starts})
    if extra:
        cleaned["extra_capacity"] = extra
    deadlines = {}
    for project_id, day in (changes.get("deadlines") or {}).items():
        _existing(Project.objects.visible_to(user), project_id, "deadlines", "project")
        deadlines[int(project_id)] = _date(day, "deadlines").isoformat()
    if deadlines:
        cleaned["deadlines"] = deadlines
    order = [int(pk) for pk in changes.get("priority_order") or ()]
    for project_id in order:
        _existing(Project.objects.visible_to(user), project_id, "priority_order", "project")
    if order:
        cleaned["priority_order"] = order
    reassign = {}
    for task_id, to in (changes.get("reassign") or {}).items():
        _existing(Task.objects.visible_to(user), task_id, "reassign", "task")
        if to != CONTRACTOR:
            _existing(technicians, to, "reassign", "technician")
        reassign[int(task_id)] = to
    if reassign:
        cleaned["reassign"] = reassign
    if not cleaned:
        raise ScenarioError("Change at least one thing to compare.", field="changes")
    return cleaned


def _existing(queryset, pk, field: str, label: str) -> None:
    try:
        found = queryset.filter(pk=int(pk)).exists()
    except (TypeError, ValueError):
        found = False
    if not found:
        raise ScenarioError(f"There is no {label} with id {pk}.", field=field)


def _date(value, field: str) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError(f"{value} is not a date; use YYYY-MM-DD.", field=field) from None


def compare(user, changes: dict, project: Project | None = None) -> list[dict]:
    """Current and scenario forecasts, side by side, of the projects the changes affect (``project`` first)."""
    cleaned = clean_changes(user, changes)
    try:
        results = forecasting.what_if(cleaned)
    except ValueError as exc:
        raise ScenarioError(str(exc), field="changes") from None
    projects = Project.objects.visible_to(user).in_bulk(list(results))
    rows = []
    for project_id, (current, scenario) in results.items():
        if project_id not in projects:
            continue
        changed = (current.probability_on_time, current.p50_date, current.p90_date) != (
            scenario.probability_on_time, scenario.p50_date, scenario.p90_date
        )
        if changed or (project is not None and project_id == project.pk):
            rows.append({"project": projects[project_id], "current": current, "scenario": scenario,
                         "difference": _difference(current, scenario)})
    rows.sort(key=lambda row: (project is None or row["project"].pk != project.pk, row["project"].priority))
    return rows


def _difference(current, scenario) -> dict:
    points = None
    if current.probability_on_time is not None and scenario.probability_on_time is not None:
        points = round(scenario.probability_on_time * 100) - round(current.probability_on_time * 100)
    return {
        "points": points,
        "p50_days": _days(current.p50_date, scenario.p50_date),
        "p90_days": _days(current.p90_date, scenario.p90_date),
    }


def _days(before, after) -> int | None:
    return (after - before).days if before and after else None


@transaction.atomic
def save_scenario(actor, *, name: str, changes: dict, project: Project | None = None) -> Scenario:
    """Keep a what-if under a name, for the project or (without one) the whole portfolio."""
    require_staff(actor, "Only the provider's staff can plan projects.")
    if not (name or "").strip():
        raise ScenarioError("Give the scenario a name.", field="name")
    cleaned = clean_changes(actor, changes)
    return Scenario.objects.create(project=project, name=name.strip()[:200], changes=cleaned, created_by=actor)


@transaction.atomic
def delete_scenario(scenario: Scenario, actor) -> None:
    if not (actor.is_admin or scenario.created_by_id == actor.pk):
        raise NotPermitted("Only whoever saved the scenario, or an admin, can delete it.")
    scenario.delete()


@transaction.atomic(durable=True)
def apply_scenario(scenario: Scenario, actor) -> list[str]:
    """Change the real plan as the scenario says; returns the parts that remain assumptions, in words."""
    if not actor.is_admin:
        raise NotPermitted("Only an admin can apply a scenario to the plan.")
    changes = clean_changes(actor, scenario.changes)
    not_applied = []
    for project_id, day in changes.get("deadlines", {}).items():
        project = Project.objects.get(pk=project_id)
        services.update_project(project, actor, {"deadline": dt.date.fromisoformat(day)})
    if changes.get("priority_order"):
        services.set_priority_order(actor, changes["priority_order"])
    for task_id, to in changes.get("reassign", {}).items():
        task = Task.objects.select_related("project").get(pk=task_id)
        if to == CONTRACTOR:
            not_applied.append(f"“{task.name}” going to a contractor is an assumption: engage one, then assign the task.")
        else:
            services.update_task(task, actor, {"assignee": User.objects.get(pk=to)})
    for item in changes.get("extra_capacity", []):
        not_applied += _add_capacity(item, actor)
    reduction = changes.get("reactive_reduction")
    if reduction is not None:
        share = reduction["share"] if isinstance(reduction, dict) else reduction
        whose = ""
        if isinstance(reduction, dict):
            whose = f" for {User.objects.get(pk=reduction['technician']).display_name}"
        not_applied.append(
            f"A {round(share * 100)}% cut in reactive load{whose} is an assumption: plan how to achieve it."
        )
    scenario.applied_at = timezone.now()
    scenario.applied_by = actor
    scenario.save(update_fields=("applied_at", "applied_by"))
    # Even a scenario of pure assumptions gets fresh numbers next to its "applied" mark.
    tasks.queue_forecast_refresh()
    return not_applied


def _add_capacity(item: dict, actor) -> list[str]:
    hours = Decimal(str(item["hours_per_week"]))
    if item.get("technician") is None:
        return [(f"{item['name']} for {hours:g} h a week from {item['from']} is an assumption: "
                 "engage them, then add them as a technician.")]
    technician = User.objects.get(pk=item["technician"])
    capacity = Capacity.objects.filter(technician=technician).first() or Capacity(technician=technician)
    if capacity.weekly_hours + hours > MAX_WEEKLY_HOURS:
        raise ScenarioError(
            f"{technician.display_name} would work {capacity.weekly_hours + hours:g} h a week; 80 is the most.",
            field="extra_capacity",
        )
    work_services.set_capacity(
        technician, capacity.weekly_hours + hours, capacity.work_days, capacity.target_utilisation, actor=actor
    )
    if dt.date.fromisoformat(item["from"]) > timezone.localdate():
        return [(f"{technician.display_name}'s extra {hours:g} h a week count from today, not from {item['from']}: "
                 "capacity has no start date.")]
    return []


def open_projects(user):
    return Project.objects.visible_to(user).filter(status__in=OPEN_PROJECT_STATUSES).select_related("client")

