"""Backtest: forecast finished projects as of earlier days, using only what was known then, and score it.

Each finished project (done, with a completion date and a deadline) is forecast as of points
in its life (by default 25 %, 50 % and 75 % of the way from its start to its completion),
with the whole portfolio as it stood that day. The scores: the Brier score of the probability
of meeting the deadline (0 is perfect, always answering 50 % scores 0.25), a reliability table
(of the projects given 70–80 %, how many made it), and the error of the P50 date.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from steward.projects.choices import ProjectStatus
from steward.projects.forecast.engine import simulate
from steward.projects.forecast.inputs import build_portfolio
from steward.projects.models import Project

SEED = 0
BUCKETS = 10


@dataclass
class BacktestPoint:
    project_id: int
    name: str
    as_of: dt.date
    probability: float
    p50_date: dt.date | None
    deadline: dt.date
    completed_on: dt.date

    @property
    def on_time(self) -> bool:
        return self.completed_on <= self.deadline


@dataclass
class BacktestReport:
    finished_projects: int
    fractions: list[float]
    points: list[BacktestPoint] = field(default_factory=list)

    @property
    def brier_score(self) -> float | None:
        if not self.points:
            return None
        return float(np.mean([(p.probability - p.on_time) ** 2 for p in self.points]))

    def reliability(self) -> list[tuple[str, int, float, float]]:
        """(bucket, forecasts, mean predicted, share on time) for every bucket with forecasts."""
        buckets = defaultdict(list)
        for point in self.points:
            buckets[min(int(point.probability * BUCKETS), BUCKETS - 1)].append(point)
        rows = []
        for index in sorted(buckets):
            points = buckets[index]
            label = f"{index * 100 // BUCKETS}–{(index + 1) * 100 // BUCKETS} %"
            rows.append((
                label, len(points), float(np.mean([p.probability for p in points])),
                float(np.mean([p.on_time for p in points])),
            ))
        return rows

    def p50_errors(self) -> list[int]:
        """Days the P50 date was after (positive) or before the real completion."""
        return [(p.p50_date - p.completed_on).days for p in self.points if p.p50_date is not None]


def run_backtest(fractions: list[float], simulations: int = 2000) -> BacktestReport:
    """Replay every finished project's history at the given fractions of its life."""
    finished = list(
        Project.objects.filter(status=ProjectStatus.DONE, completed_on__isnull=False, deadline__isnull=False)
    )
    report = BacktestReport(finished_projects=len(finished), fractions=fractions)
    wanted: dict[dt.date, list[Project]] = defaultdict(list)
    for project in finished:
        start = max(project.created_at.date(), project.starts_on or project.created_at.date())
        days = (project.completed_on - start).days
        if days <= 0:
            continue
        for fraction in fractions:
            wanted[start + dt.timedelta(days=round(fraction * days))].append(project)
    # One portfolio run per day answers for every finished project open on that day.
    for as_of in sorted(wanted):
        results = simulate(build_portfolio(as_of), simulations=simulations, seed=SEED)
        for project in wanted[as_of]:
            result = results.get(project.pk)
            if result is None or result.probability_on_time is None:
                continue
            report.points.append(BacktestPoint(
                project.pk, project.name, as_of, result.probability_on_time, result.p50_date,
                project.deadline, project.completed_on,
            ))
    return report


def format_report(report: BacktestReport) -> list[str]:
    if not report.finished_projects:
        return ["No finished projects with a deadline and a completion date yet: there is nothing to backtest."]
    if not report.points:
        return [(
            f"{report.finished_projects} finished projects, but none had open work with estimates on the replayed "
            "days: there is nothing to score."
        )]
    shares = ", ".join(f"{f:.0%}" for f in report.fractions)
    lines = [
        (
            f"Forecasts: {len(report.points)} of {report.finished_projects} finished projects "
            f"(as of {shares} of the way from start to completion)"
        ),
        f"Brier score: {report.brier_score:.3f}   (0 is perfect; always answering 50 % scores 0.250)",
        "",
        f"{'predicted':<12} {'forecasts':>9} {'mean predicted':>15} {'share on time':>14}",
    ]
    for label, count, predicted, observed in report.reliability():
        lines.append(f"{label:<12} {count:>9} {predicted:>14.0%} {observed:>14.0%}")
    errors = report.p50_errors()
    lines.append("")
    if errors:
        lines.append(
            f"P50 date error: mean absolute {np.mean(np.abs(errors)):.1f} days, bias {np.mean(errors):+.1f} days "
            "(positive: the forecast expected later than it happened)"
        )
    else:
        lines.append("P50 date error: no forecast had a P50 date within the horizon.")
    return lines
