"""Deadline forecasts of the open projects: run the Monte Carlo engine on the live plan and store the results."""

import importlib
import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from steward.projects.forecast import inputs
from steward.projects.forecast.engine import PortfolioInput, ProjectForecast, simulate
from steward.projects.forecast.scenarios import apply_changes
from steward.projects.models import Forecast, ForecastSettings, Project

log = logging.getLogger(__name__)

# One seed: two forecasts differ only because the plan or the history did, never by chance.
SEED = 0


def build_inputs(as_of: date | None = None) -> PortfolioInput:
    """The portfolio as known on ``as_of`` (default today): every open project competes for the hours."""
    return inputs.build_portfolio(as_of)


def refresh_forecasts(simulations: int | None = None) -> list[Forecast]:
    """Forecast every open project, store one Forecast row each, then let early warning compare."""
    simulations = simulations or ForecastSettings.current().simulations
    portfolio = build_inputs()
    results = simulate(portfolio, simulations=simulations, seed=SEED)
    projects = Project.objects.in_bulk([p.id for p in portfolio.projects])
    computed_at = timezone.now()
    with transaction.atomic():
        previous = {project_id: latest_forecast(project) for project_id, project in projects.items()}
        stored = Forecast.objects.bulk_create([
            _forecast_row(projects[project_id], result, portfolio.as_of, simulations, computed_at)
            for project_id, result in results.items()
        ])
    _check_early_warning(stored, previous)
    return stored


def latest_forecast(project) -> Forecast | None:
    return project.forecasts.order_by("-computed_at", "-id").select_related("bottleneck").first()


def forecast_for(project) -> Forecast | None:
    """The latest stored forecast of ``project``, computed now when there is none yet."""
    latest = latest_forecast(project)
    if latest is None:
        refresh_forecasts()
        latest = latest_forecast(project)
    return latest


def what_if(changes: dict, simulations: int | None = None) -> dict[int, tuple[ProjectForecast, ProjectForecast]]:
    """(current, scenario) per open project; the same seed, so differences come from the changes alone."""
    simulations = simulations or ForecastSettings.current().simulations
    current = build_inputs()
    scenario = apply_changes(current, changes)
    before = simulate(current, simulations=simulations, seed=SEED)
    after = simulate(scenario, simulations=simulations, seed=SEED)
    return {project_id: (before[project_id], after[project_id]) for project_id in before}


def _forecast_row(project, result: ProjectForecast, as_of, simulations, computed_at) -> Forecast:
    return Forecast(
        project=project,
        computed_at=computed_at,
        as_of=as_of,
        simulations=simulations,
        probability_on_time=result.probability_on_time,
        p50_date=result.p50_date,
        p90_date=result.p90_date,
        bottleneck_id=result.bottleneck_id if result.bottleneck_id and result.bottleneck_id > 0 else None,
        reactive_delay_share=result.reactive_delay_share,
        explanations=result.explanations,
        distribution=[[day.isoformat(), share] for day, share in result.distribution],
    )


def _check_early_warning(stored, previous):
    try:
        early_warning = importlib.import_module("steward.projects.early_warning")
    except ModuleNotFoundError as error:
        if error.name != "steward.projects.early_warning":
            raise
        return
    for forecast in stored:
        early_warning.check(forecast.project, previous.get(forecast.project_id), forecast)
