"""What-if changes: a scenario is a change of the forecaster's inputs, never of the database."""

import copy
from datetime import date

import numpy as np

from steward.projects.forecast.engine import PortfolioInput, TechnicianInput

KNOWN_CHANGES = ("reactive_reduction", "extra_capacity", "deadlines", "priority_order", "reassign")
CONTRACTOR = "contractor"


def apply_changes(portfolio: PortfolioInput, changes: dict) -> PortfolioInput:
    """A copy of ``portfolio`` with ``changes`` applied; unknown keys or bad values raise ValueError."""
    if not isinstance(changes, dict):
        raise ValueError("Changes must be an object such as {\"reactive_reduction\": 0.3}.")
    unknown = sorted(set(changes) - set(KNOWN_CHANGES))
    if unknown:
        raise ValueError(f"Unknown change {', '.join(unknown)}; use {', '.join(KNOWN_CHANGES)}.")
    result = copy.deepcopy(portfolio)
    technicians = {t.id: t for t in result.technicians}
    tasks = {task.id: task for project in result.projects for task in project.tasks}
    projects = {project.id: project for project in result.projects}

    if "reactive_reduction" in changes:
        _reduce_reactive(changes["reactive_reduction"], technicians)
    contractors = [_add_capacity(result, item, technicians) for item in _list(changes.get("extra_capacity", []))]
    contractors = [c for c in contractors if c is not None]
    for project_id, value in _mapping(changes.get("deadlines", {}), "deadlines").items():
        _lookup(projects, project_id, "deadlines", "project").deadline = _date(value, "deadlines")
    if "priority_order" in changes:
        _reorder(changes["priority_order"], projects)
    for task_id, assignee in _mapping(changes.get("reassign", {}), "reassign").items():
        task = _lookup(tasks, task_id, "reassign", "task")
        if assignee == CONTRACTOR:
            if not contractors:
                raise ValueError("reassign: add a contractor under extra_capacity before giving tasks to one.")
            task.assignee_id = contractors[0].id
        else:
            task.assignee_id = _lookup(technicians, assignee, "reassign", "technician").id
    return result


def _reduce_reactive(value, technicians):
    if isinstance(value, dict):
        share, targets = value.get("share"), [_lookup(technicians, value.get("technician"), "reactive_reduction", "technician")]
    else:
        share, targets = value, list(technicians.values())
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ValueError("reactive_reduction: give the share of reactive load removed, between 0 and 1 (0.3 = 30%).")
    for tech in targets:
        tech.reactive_history = np.asarray(tech.reactive_history, dtype=float) * (1 - share)
        tech.default_reactive_share *= 1 - share


def _add_capacity(portfolio, item, technicians) -> TechnicianInput | None:
    """Extra hours for a technician, or a new contractor (returned) when no technician is given."""
    if not isinstance(item, dict):
        raise ValueError("extra_capacity: each item is an object with technician, hours_per_week and from.")
    hours = item.get("hours_per_week")
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= 80:
        raise ValueError("extra_capacity: hours_per_week must be a number of hours between 0 and 80.")
    starts = _date(item["from"], "extra_capacity") if item.get("from") else portfolio.as_of
    horizon = len(portfolio.technicians[0].capacity_hours) if portfolio.technicians else 105
    first = max((starts - portfolio.as_of).days // portfolio.period_days, 0)
    extra = np.zeros(horizon)
    extra[first:] = hours * portfolio.period_days / 7
    if item.get("technician") is not None:
        tech = _lookup(technicians, item["technician"], "extra_capacity", "technician")
        tech.capacity_hours = np.asarray(tech.capacity_hours, dtype=float) + extra
        return None
    contractor = TechnicianInput(
        id=-(len([t for t in portfolio.technicians if t.id < 0]) + 1),
        name=str(item.get("name") or "Contractor"),
        capacity_hours=extra,
        # A contractor hired for project work takes no reactive calls.
        reactive_history=np.zeros(1),
        default_reactive_share=0.0,
    )
    portfolio.technicians.append(contractor)
    technicians[contractor.id] = contractor
    return contractor


def _reorder(order, projects):
    if not isinstance(order, list):
        raise ValueError("priority_order: give a list of project ids, the most important first.")
    listed = [_lookup(projects, project_id, "priority_order", "project") for project_id in order]
    rest = sorted((p for p in projects.values() if p not in listed), key=lambda p: p.priority)
    for rank, project in enumerate(listed + rest, start=1):
        project.priority = rank


def _lookup(rows: dict, key, change: str, label: str):
    try:
        return rows[int(key)]
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"{change}: there is no {label} {key!r} in the plan.") from None


def _date(value, change: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{change}: {value!r} is not a date; use YYYY-MM-DD.") from None


def _mapping(value, change: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{change}: give an object keyed by id.")
    return value


def _list(value) -> list:
    if not isinstance(value, list):
        raise ValueError("extra_capacity: give a list of objects.")
    return value
