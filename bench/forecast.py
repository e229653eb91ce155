"""Forecast benchmark: a synthetic portfolio through the Monte Carlo engine, timed.

    .venv/bin/python bench/forecast.py [--projects 50] [--tasks 3000] [--technicians 12]
                                       [--simulations 10000] [--runs 5] [--seed 1] [--skip-hours]

The portfolio is generated in memory (no database): every technician gets a year of weekly
reactive history with bursts, every project a chain-and-fan of dependent tasks, a few
cross-technician dependencies, some unassigned tasks. ``simulate`` runs --runs times after one
warm-up; the figures are wall time (min / median), CPU time (the engine uses two threads, so on
a busy machine it tells what the run costs) and simulations per second. The goal is a
whole portfolio under 2 s. Afterwards the hours-report benchmark runs too, if present,
unless --skip-hours is given.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from steward.projects.forecast.engine import (
    PortfolioInput,
    ProjectInput,
    TaskInput,
    TechnicianInput,
    simulate,
)

TARGET_SECONDS = 2.0
HORIZON_WEEKS = 105


def build_portfolio(projects: int, tasks: int, technicians: int, seed: int) -> PortfolioInput:
    rng = np.random.default_rng(seed)
    as_of = date(2026, 11, 30)
    techs = []
    for i in range(technicians):
        base = rng.uniform(4, 12)
        history = rng.gamma(4.0, base / 4.0, size=52)
        bursts = rng.random(52) < 0.08
        history[bursts] += rng.uniform(10, 20, size=bursts.sum())
        capacity = np.full(HORIZON_WEEKS, 40.0 if i % 4 else 32.0)
        capacity[rng.integers(0, HORIZON_WEEKS, size=5)] = 0.0  # a week of leave here and there
        techs.append(TechnicianInput(i + 1, f"Technician {i + 1}", capacity, np.minimum(history, 38.0)))
    per_project = tasks // projects
    portfolio = []
    task_id = 0
    for p in range(projects):
        items = []
        for j in range(per_project):
            task_id += 1
            depends = ()
            if j > 0 and rng.random() < 0.6:
                # Phases: a task mostly waits for one of the few tasks planned just before it.
                depends = (task_id - int(rng.integers(1, min(j, 8) + 1)),)
            assignee = None if rng.random() < 0.03 else int(rng.integers(1, technicians + 1))
            items.append(TaskInput(task_id, p + 1, f"Task {task_id}", assignee, float(rng.uniform(1, 8)), depends))
        # Deadlines roughly follow priority, as they would in a portfolio someone ordered.
        deadline = as_of + timedelta(days=int((p + 1) / projects * 340 * rng.uniform(0.8, 1.4)) + 21)
        portfolio.append(ProjectInput(p + 1, f"Project {p + 1}", p + 1, deadline, items))
    ratios = rng.lognormal(np.log(1.15), 0.3, size=400)
    return PortfolioInput(as_of, 7, techs, portfolio, ratios, {})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--technicians", type=int, default=12)
    parser.add_argument("--simulations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-hours", action="store_true", help="Do not run the hours-report benchmark afterwards.")
    args = parser.parse_args(argv)

    portfolio = build_portfolio(args.projects, args.tasks, args.technicians, args.seed)
    task_count = sum(len(p.tasks) for p in portfolio.projects)
    simulate(portfolio, simulations=args.simulations, seed=0)  # warm-up: first-touch allocations
    timings, cpu = [], []
    for run in range(args.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        results = simulate(portfolio, simulations=args.simulations, seed=run)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    best, median = min(timings), statistics.median(timings)
    on_time = [r.probability_on_time for r in results.values() if r.probability_on_time is not None]
    print()
    print(f"portfolio: {len(portfolio.projects)} projects, {task_count:,} tasks, {len(portfolio.technicians)} technicians, "
          f"{args.simulations:,} simulations, {args.runs} runs")
    print(f"wall time: min {best:.3f} s, median {median:.3f} s  (goal < {TARGET_SECONDS:.0f} s: "
          f"{'met' if median < TARGET_SECONDS else 'MISSED'})")
    print(f"CPU time (both threads): median {statistics.median(cpu):.3f} s per run")
    print(f"simulations per second: {args.simulations / median:,.0f} (whole portfolio per simulation)")
    print(f"mean probability on time over the portfolio: {statistics.mean(on_time):.2f}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print()

    if not args.skip_hours:
        hours_bench = ROOT / "bench" / "hours_report.py"
        if hours_bench.exists():
            spec = importlib.util.spec_from_file_location("hours_report_bench", hours_bench)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            if hasattr(module, "main"):
                return module.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
