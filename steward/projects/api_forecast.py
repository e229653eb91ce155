"""REST endpoints of deadline forecasts (staff only: a client's people get 404 for any project)."""

from datetime import date, datetime

from ninja import Router, Schema

from steward.core.api import READ_ERRORS, WRITE_ERRORS, get_visible_or_404
from steward.core.exceptions import Conflict, require_staff
from steward.projects import forecasting
from steward.projects.models import Forecast, Project

router = Router(tags=["forecasts"])


class BottleneckOut(Schema):
    id: int
    name: str


class DistributionPointOut(Schema):
    date: date
    share: float


class ForecastOut(Schema):
    project: int
    computed_at: datetime
    as_of: date
    simulations: int
    probability_on_time: float | None
    p50_date: date | None
    p90_date: date | None
    bottleneck: BottleneckOut | None
    reactive_delay_share: float | None
    explanations: list[str]
    distribution: list[DistributionPointOut]


def forecast_out(forecast: Forecast | None) -> dict:
    if forecast is None:
        raise Conflict("The project is not open: forecasts cover planned, active and on-hold projects.", field="status")
    bottleneck = forecast.bottleneck
    return {
        "project": forecast.project_id,
        "computed_at": forecast.computed_at,
        "as_of": forecast.as_of,
        "simulations": forecast.simulations,
        "probability_on_time": forecast.probability_on_time,
        "p50_date": forecast.p50_date,
        "p90_date": forecast.p90_date,
        "bottleneck": {"id": bottleneck.pk, "name": bottleneck.display_name} if bottleneck else None,
        "reactive_delay_share": forecast.reactive_delay_share,
        "explanations": forecast.explanations,
        "distribution": [{"date": day, "share": share} for day, share in forecast.distribution],
    }


@router.get(
    "/projects/{project_id}/forecast",
    response={200: ForecastOut, **READ_ERRORS},
    summary="Show a project's deadline forecast",
    description="The latest stored forecast (computed now if there is none yet): the chance of meeting the "
    "deadline, P50 and P90 completion dates, the bottleneck technician, the share of the time taken by "
    "reactive work, and plain-sentence explanations of what was assumed or missing.",
)
def show_forecast(request, project_id: int):
    project = get_visible_or_404(Project.objects, request.user, pk=project_id)
    return forecast_out(forecasting.forecast_for(project))


@router.post(
    "/projects/{project_id}/forecast",
    response={200: ForecastOut, **WRITE_ERRORS},
    summary="Recompute the forecasts now (staff)",
    description="Re-runs the whole portfolio (projects share technicians) and returns this project's new forecast.",
)
def recompute_forecast(request, project_id: int):
    project = get_visible_or_404(Project.objects, request.user, pk=project_id)
    require_staff(request.user, "Only the provider's staff run forecasts.")
    forecasting.refresh_forecasts()
    return forecast_out(forecasting.latest_forecast(project))


# --- What-if scenarios ------------------------------------------------------------------------
# Staff only: a client's people get 404 (or an empty list), never a hint that planning exists.

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Status

from steward.core.api import PageOut, PageQuery
from steward.core.pagination import keyset_page
from steward.projects import scenarios as scenario_services
from steward.projects.models import Scenario


class ReactiveReductionIn(Schema):
    share: float = Field(gt=0, le=0.95, description="0.3 cuts reactive work by 30%.")
    technician: int | None = Field(None, description="Only this technician's; everyone's when omitted.")


class ExtraCapacityIn(Schema):
    technician: int | None = Field(None, description="An existing technician; omit for a new contractor.")
    name: str = Field("Contractor", max_length=200)
    hours_per_week: float = Field(gt=0, le=80)
    starts_on: dt.date | None = Field(None, alias="from", description="From this day (today when omitted).")


class ChangesIn(Schema):
    reactive_reduction: float | ReactiveReductionIn | None = Field(None, description="Share of reactive work removed.")
    extra_capacity: list[ExtraCapacityIn] = Field(default_factory=list)
    deadlines: dict[int, dt.date] = Field(default_factory=dict, description="Project id → new deadline.")
    priority_order: list[int] = Field(default_factory=list, description="Project ids, most important first.")
    reassign: dict[int, int | Literal["contractor"]] = Field(default_factory=dict, description="Task id → technician id or \"contractor\".")

    def engine_changes(self) -> dict:
        changes = self.dict(exclude_defaults=True, by_alias=True)
        for item in changes.get("extra_capacity", ()):
            if item.get("from"):
                item["from"] = item["from"].isoformat()
        changes["deadlines"] = {pk: day.isoformat() for pk, day in changes.get("deadlines", {}).items()}
        return changes


class ForecastSideOut(Schema):
    probability_on_time: float | None
    p50_date: dt.date | None
    p90_date: dt.date | None
    bottleneck_id: int | None
    bottleneck_name: str | None
    reactive_delay_share: float | None
    explanations: list[str]


class ComparisonOut(Schema):
    project_id: int
    project_name: str
    current: ForecastSideOut
    scenario: ForecastSideOut
    difference_points: int | None = Field(description="Scenario minus current chance, in percentage points.")


class ScenarioIn(Schema):
    name: str = Field(max_length=200)
    project: int | None = Field(None, description="The project it belongs to; omit for the whole portfolio.")
    changes: ChangesIn


class ScenarioOut(Schema):
    id: int
    name: str
    project_id: int | None
    changes: dict
    created_by_id: int | None
    created_at: dt.datetime
    applied_at: dt.datetime | None
    applied_by_id: int | None


class AppliedOut(Schema):
    scenario: ScenarioOut
    not_applied: list[str] = Field(description="Parts that stay assumptions, in words (e.g. a cut in reactive load).")


def _staff_or_404(request):
    if not request.user.is_staff_member:
        raise Http404


def _comparison(rows) -> list[dict]:
    return [
        {"project_id": row["project"].pk, "project_name": row["project"].name, "current": row["current"],
         "scenario": row["scenario"], "difference_points": row["difference"]["points"]}
        for row in rows
    ]


@router.post(
    "/projects/{project_id}/what-if", response={200: list[ComparisonOut], **WRITE_ERRORS},
    summary="Compare a project's forecast under changed assumptions",
    description="Changes nothing: returns the current and the scenario forecast of this project (first) and of every other project the changes affect.",
)
def compare_project_scenario(request, project_id: int, payload: ChangesIn):
    project = get_visible_or_404(Project.objects, request.user, pk=project_id)
    _staff_or_404(request)
    return _comparison(scenario_services.compare(request.user, payload.engine_changes(), project))


@router.post(
    "/what-if", response={200: list[ComparisonOut], **WRITE_ERRORS},
    summary="Compare the portfolio's forecasts under changed assumptions",
    description="Changes nothing: returns the current and the scenario forecast of every project the changes affect.",
)
def compare_portfolio_scenario(request, payload: ChangesIn):
    _staff_or_404(request)
    return _comparison(scenario_services.compare(request.user, payload.engine_changes()))


@router.get("/scenarios", response={200: PageOut[ScenarioOut], **READ_ERRORS}, summary="List saved what-if scenarios")
def list_scenarios(request, page: Query[PageQuery], project: int | None = None):
    saved = Scenario.objects.visible_to(request.user)
    if project is not None:
        saved = saved.filter(project_id=project)
    return keyset_page(saved, key="created_at", cursor=page.cursor, limit=page.limit)


@router.post("/scenarios", response={201: ScenarioOut, **WRITE_ERRORS}, summary="Save a what-if scenario")
def save_scenario(request, payload: ScenarioIn):
    _staff_or_404(request)
    project = None
    if payload.project is not None:
        project = get_visible_or_404(Project.objects, request.user, pk=payload.project)
    saved = scenario_services.save_scenario(
        request.user, name=payload.name, changes=payload.changes.engine_changes(), project=project
    )
    return Status(201, saved)


@router.get("/scenarios/{scenario_id}", response={200: ScenarioOut, **READ_ERRORS}, summary="Show a saved scenario")
def show_scenario(request, scenario_id: int):
    return get_visible_or_404(Scenario.objects, request.user, pk=scenario_id)


@router.delete("/scenarios/{scenario_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a saved scenario")
def remove_scenario(request, scenario_id: int):
    scenario = get_visible_or_404(Scenario.objects, request.user, pk=scenario_id)
    scenario_services.delete_scenario(scenario, request.user)
    return Status(204, None)


@router.post(
    "/scenarios/{scenario_id}/apply", response={200: AppliedOut, **WRITE_ERRORS},
    summary="Apply a saved scenario to the plan (admins)",
    description="Changes deadlines, priorities, task assignees and technicians' weekly hours as the scenario says; returns the parts that remain assumptions. Forecasts are recomputed afterwards.",
)
def apply_scenario(request, scenario_id: int):
    scenario = get_visible_or_404(Scenario.objects, request.user, pk=scenario_id)
    not_applied = scenario_services.apply_scenario(scenario, request.user)
    return {"scenario": scenario, "not_applied": not_applied}
