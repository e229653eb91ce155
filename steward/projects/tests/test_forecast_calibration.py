"""Are the forecaster's probabilities honest? Synthetic teams whose true reactive load is known.

Each of 450 one-technician teams has a true weekly reactive load (a gamma distribution with
its own mean and spread plus random bursts), a true spread of actual/estimated hours, a few
leave weeks, and three projects in priority order. The forecaster sees only what a real team
would have: 52 past weeks sampled from the true load and 60 finished tasks' ratios. The real
outcome of each project is then drawn once from the true distributions by an independent
scheduler (one technician works through the projects in priority order). With 1,350
forecasts the tolerance is: Brier score below 0.17 (answering 50 % everywhere scores
0.25), and in every bucket of ten points holding at least 50 forecasts the observed share on
time within ±0.12 of the mean predicted probability.
"""

from datetime import date, timedelta

import numpy as np

from steward.projects.forecast.engine import (
    PortfolioInput,
    ProjectInput,
    TaskInput,
    TechnicianInput,
    simulate,
)

TEAMS = 450
HISTORY_WEEKS = 52
HORIZON = 105
AS_OF = date(2026, 3, 2)
RATIO_SIGMA = 0.3
RATIO_MEDIAN = 1.1
BRIER_BOUND = 0.17
BUCKET_TOLERANCE = 0.12
BUCKET_MIN = 50


def true_reactive(rng, team, weeks):
    """The team's true weekly reactive hours: gamma plus occasional bursts."""
    mean, shape, burst = team["reactive_mean"], team["reactive_shape"], team["burst_hours"]
    hours = rng.gamma(shape, mean / shape, size=weeks)
    hours += (rng.random(weeks) < 0.1) * burst
    return hours


def make_team(rng, index):
    team = {
        "reactive_mean": rng.uniform(4, 22),
        "reactive_shape": rng.uniform(2, 8),
        "burst_hours": rng.uniform(5, 15),
        "capacity": np.full(HORIZON, 40.0),
    }
    team["capacity"][rng.integers(0, 30, size=3)] = 0.0  # leave weeks, known in advance
    projects = []
    for priority in (1, 2, 3):
        project_id = index * 10 + priority
        tasks = []
        for t in range(int(rng.integers(3, 9))):
            task_id = project_id * 100 + t
            depends = (task_id - 1,) if t and rng.random() < 0.6 else ()
            tasks.append(TaskInput(task_id, project_id, f"T{task_id}", index, float(rng.uniform(4, 30)), depends))
        projects.append(ProjectInput(project_id, f"P{project_id}", priority, None, tasks))
    # Deadlines around the expected finish so that the answers spread from 0 to 100 %.
    weekly_free = 40 - team["reactive_mean"] - 0.1 * team["burst_hours"]
    done = 0.0
    for project in projects:
        done += sum(t.remaining_hours for t in project.tasks) * RATIO_MEDIAN * np.exp(RATIO_SIGMA**2 / 2)
        expected_days = done / weekly_free * 7
        project.deadline = AS_OF + timedelta(days=int(expected_days * rng.uniform(0.7, 1.5)))
    team["projects"] = projects
    return team


def true_completion_weeks(rng, team) -> list[float]:
    """One real outcome per project: the technician works through the projects in priority order."""
    capacity = team["capacity"]
    reactive = true_reactive(rng, team, HORIZON) * capacity / capacity.max()
    cumulative = np.concatenate(([0.0], np.cumsum(np.clip(capacity - reactive, 0, None))))
    finished, work = [], 0.0
    for project in team["projects"]:
        hours = np.array([t.remaining_hours for t in project.tasks])
        work += float(np.sum(hours * rng.lognormal(np.log(RATIO_MEDIAN), RATIO_SIGMA, size=len(hours))))
        week = int(np.searchsorted(cumulative, work)) - 1
        finished.append(week + (work - cumulative[week]) / (cumulative[week + 1] - cumulative[week]))
    return finished


def test_forecast_probabilities_are_calibrated_on_synthetic_teams():
    rng = np.random.default_rng(20261130)
    predicted, happened = [], []
    for index in range(1, TEAMS + 1):
        # given: a team, and what its history shows
        team = make_team(rng, index)
        technician = TechnicianInput(
            index, f"Tech {index}", team["capacity"], true_reactive(rng, team, HISTORY_WEEKS)
        )
        ratios = rng.lognormal(np.log(RATIO_MEDIAN), RATIO_SIGMA, size=60)
        portfolio = PortfolioInput(AS_OF, 7, [technician], team["projects"], ratios, {})

        # when: the forecast, then what really happened
        forecasts = simulate(portfolio, simulations=500, seed=index)
        outcomes = true_completion_weeks(rng, team)

        for project, weeks in zip(team["projects"], outcomes):
            deadline_weeks = ((project.deadline - AS_OF).days + 1) / 7
            predicted.append(forecasts[project.id].probability_on_time)
            happened.append(weeks <= deadline_weeks)

    # then
    predicted, happened = np.array(predicted), np.array(happened, dtype=float)
    brier = float(np.mean((predicted - happened) ** 2))
    assert brier < BRIER_BOUND, f"Brier score {brier:.3f}"
    buckets = np.minimum((predicted * 10).astype(int), 9)
    checked = 0
    for bucket in range(10):
        members = buckets == bucket
        if members.sum() < BUCKET_MIN:
            continue
        checked += 1
        mean_predicted, observed = predicted[members].mean(), happened[members].mean()
        assert abs(observed - mean_predicted) <= BUCKET_TOLERANCE, (
            f"{bucket * 10}–{bucket * 10 + 10} %: predicted {mean_predicted:.2f}, observed {observed:.2f} "
            f"over {members.sum()} forecasts"
        )
    # The deadlines spread the answers, so the check covers more than the easy extremes.
    assert checked >= 4
