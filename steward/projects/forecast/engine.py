"""Monte Carlo deadline forecaster: pure NumPy, no Django.

Periods: weeks (``PortfolioInput.period_days`` = 7). Technicians plan and absorb reactive
work week by week, so a week is the natural unit of the reactive load; inside a sampled week
the weekday pattern is already contained. A weekly grid also keeps the two-year horizon at
~105 steps (a daily grid needs 730 and seven times the memory), which is what lets 10,000
simulations of a whole portfolio run in about a second. Dates are interpolated inside weeks.

Reactive load: each simulation draws every technician's future weekly reactive hours from
that technician's own past weeks with a moving-block bootstrap. Blocks of four consecutive
past weeks are copied whole, so a burst (an outage week and the clean-up weeks after it)
stays together. With a year of history or more a block starts near the same week of the
year, which carries the seasonal pattern (summer lull, year-end peak). A draw shrinks with
the week's capacity (an absent technician takes no calls). Other non-project work (proactive,
admin) is drawn from the same past weeks, so available project hours = capacity − reactive −
other, clipped at 0; only the reactive part is removed for the reactive delay share. Without
history a default share of capacity is used.

Task durations: remaining hours × a ratio of actual to estimated hours drawn from the
team's finished tasks (a smoothed bootstrap: each drawn ratio gets a small log-normal
jitter), or a default log-normal spread when fewer than five ratios are known.

Scheduling: tasks are processed once, in one global order: projects by priority (then
deadline), each project's tasks in topological order of their finish-to-start dependencies.
Per simulation every technician has a timeline of cumulative available hours per week and a
pointer, the hours promised to the tasks booked so far (higher priority). A task ends at the
latest of (a) the pointer plus its duration: all higher-priority work and its own fit into the
hours available by then, (b) its release (the moment its last dependency finishes, converted
into the technician's hours) plus its duration, and (c) the end of the run of tasks released
since the technician's current wait began, so two tasks waiting on the same dependency never
share hours. Hours a technician has free while waiting for a colleague therefore go to the
next tasks in priority order instead of being lost, as in preemptive priority scheduling;
(c) tracks only the latest run, which can make a task a little early when several waits
overlap. Where a task ends in time is found by walking forward from the pointer's week, one or
two steps for typical tasks (a ``searchsorted`` over the horizon per task was several times
slower). Everything is vectorised across simulations and only the loop over tasks is Python;
a task's finish times are dropped once its last dependent is scheduled, so memory stays at
the technicians' timelines. Large runs split the simulations over two threads.

Results: the probability of finishing by the end of the deadline day, P50/P90 dates, the
technician whose task finishes last in most simulations (bottleneck), and the reactive delay
share: (P50 − P50 without reactive load) / (P50 − as_of), both on the same simulations and
duration draws, i.e. the part of the time still needed that reactive work takes.
"""

import heapq
import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

BLOCK_WEEKS = 4
SEASON_WEEKS = 52
MIN_RATIOS = 5
DEFAULT_RATIO_MEDIAN = 1.1
DEFAULT_RATIO_SIGMA = 0.35
RATIO_JITTER_SIGMA = 0.1
# A started task whose drawn overrun is already used up still needs this share of its hours.
OVERRUN_FLOOR = 0.1
DEFAULT_ESTIMATE_HOURS = 8.0
# The no-reactive run only feeds a median, so a subset of the simulations is plenty.
COUNTERFACTUAL_SIMULATIONS = 1000
# float32 halves the memory traffic; hours over two years stay exact to well under a minute.
DTYPE = np.float32
# Forward steps tried before counting periods for the few simulations still short of the target.
WALK_STEPS = 4
PARALLEL_MIN_SIMULATIONS = 4000
MIN_WIDTH = DTYPE(1e-6)
CAPACITY_URL = "/time/capacity/"
DEFAULT_HORIZON = 105  # periods when there are no technicians to read it from


@dataclass
class TechnicianInput:
    id: int
    name: str
    capacity_hours: np.ndarray  # hours available per future period (after absences), length = horizon
    reactive_history: np.ndarray  # reactive hours per past period of this technician (may be empty)
    default_reactive_share: float = 0.4  # used when history is empty
    # Other non-project hours (proactive, admin) in the same past periods; empty: none.
    other_history: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class TaskInput:
    id: int
    project_id: int
    name: str
    assignee_id: int | None
    remaining_hours: float | None  # None = no estimate
    depends_on: tuple[int, ...] = ()
    # Hours already logged when ``remaining_hours`` is the estimate minus them (not a re-estimate):
    # the drawn overrun then applies to the whole estimate, not only to what is left of it.
    spent_hours: float = 0.0


@dataclass
class ProjectInput:
    id: int
    name: str
    priority: int
    deadline: date | None
    tasks: list[TaskInput]


@dataclass
class PortfolioInput:
    as_of: date
    period_days: int  # 7: weekly, see the module docstring
    technicians: list[TechnicianInput]
    projects: list[ProjectInput]
    estimate_ratios: np.ndarray  # historical actual/estimated hours of finished tasks (may be empty)
    explanations: dict[int, list[str]] = field(default_factory=dict)  # project id -> notes from the inputs


@dataclass
class ProjectForecast:
    project_id: int
    probability_on_time: float | None
    p50_date: date | None
    p90_date: date | None
    bottleneck_id: int | None
    bottleneck_name: str | None
    reactive_delay_share: float | None
    explanations: list[str]
    distribution: list[tuple[date, float]]  # share of simulations finishing in each period, for a chart


@dataclass
class _Plan:
    """The cleaned-up work: tasks in scheduling order with assignee index and hours."""

    order: list[TaskInput]
    tech_index: list[int]  # index into technicians, -1: nobody can do it
    hours: list[float]
    spent: list[float]
    deps: list[list[int]]  # positions in ``order``
    notes: dict[int, list[str]]


def simulate(portfolio: PortfolioInput, simulations: int = 10_000, seed: int = 0) -> dict[int, ProjectForecast]:
    """Forecast every project of the portfolio; the same seed gives the same numbers."""
    simulations = max(int(simulations), 1)
    rng = np.random.default_rng(seed)
    techs = portfolio.technicians
    horizon = _horizon(portfolio)
    plan = _plan(portfolio, horizon)
    notes = plan.notes

    ratio_pool = _ratio_pool(portfolio.estimate_ratios, simulations, rng)
    pool_starts = rng.integers(0, len(ratio_pool) - simulations, size=len(plan.order))
    reactive, other = _load_draws(techs, horizon, simulations, rng)
    capacity = [np.asarray(t.capacity_hours, dtype=DTYPE) for t in techs]
    available = [np.clip(c - r - o, 0, None) for c, r, o in zip(capacity, reactive, other)]
    baseline_count = min(simulations, COUNTERFACTUAL_SIMULATIONS)
    without_reactive_load = [np.clip(c - o[:baseline_count], 0, None) for c, o in zip(capacity, other)]
    del reactive, other
    # Simulations are independent: large runs split them over two threads (NumPy releases the
    # GIL inside each operation). The no-reactive run rides along as extra columns of the last
    # part, reading the same task durations as the first simulations.
    bounds = [0, simulations] if simulations < PARALLEL_MIN_SIMULATIONS else [0, simulations // 2, simulations]
    jobs = []
    for first, last in itertools.pairwise(bounds):
        timelines = [a[first:last] for a in available]
        draws = np.arange(first, last)
        if last == simulations:
            timelines = [np.concatenate((a, b)) for a, b in zip(timelines, without_reactive_load)]
            draws = np.concatenate((draws, np.arange(baseline_count)))
        jobs.append((timelines, draws))
    del available, without_reactive_load
    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        parts = list(pool.map(lambda job: _schedule(plan, job[0], ratio_pool, pool_starts, job[1]), jobs))
    finish, without_reactive = {}, {}
    for project_id, (techs_of_project, _) in parts[-1].items():
        joined = np.concatenate([part[project_id][1] for part in parts], axis=1)
        finish[project_id] = (techs_of_project, joined[:, :simulations])
        without_reactive[project_id] = (techs_of_project, joined[:, simulations:])

    _explain_technicians(portfolio, plan, notes)
    if len(portfolio.estimate_ratios) < MIN_RATIOS:
        for project in portfolio.projects:
            if project.id in finish:
                notes.setdefault(project.id, []).append(
                    f"Fewer than {MIN_RATIOS} finished tasks with logged time: task durations use a default spread "
                    f"(actual ≈ {DEFAULT_RATIO_MEDIAN:g} × estimate, ±{DEFAULT_RATIO_SIGMA:.0%})."
                )
    return {
        project.id: _summarise(portfolio, project, finish.get(project.id), without_reactive.get(project.id), horizon, notes)
        for project in portfolio.projects
    }


def _horizon(portfolio: PortfolioInput) -> int:
    lengths = {len(t.capacity_hours) for t in portfolio.technicians}
    if len(lengths) > 1:
        raise ValueError("Every technician needs capacity for the same number of periods.")
    return lengths.pop() if lengths else DEFAULT_HORIZON


# --- inputs cleaned up: order, assignees, estimates, cycles -------------------------------------


def _plan(portfolio: PortfolioInput, horizon: int) -> _Plan:
    notes: dict[int, list[str]] = {pid: list(lines) for pid, lines in portfolio.explanations.items()}
    projects = sorted(
        portfolio.projects, key=lambda p: (p.priority, p.deadline or date.max, p.id)
    )
    tasks: dict[int, TaskInput] = {}
    rank: dict[int, tuple[int, int]] = {}
    for project_rank, project in enumerate(projects):
        for position, task in enumerate(project.tasks):
            tasks[task.id] = task
            rank[task.id] = (project_rank, position)

    hours = _hours_with_defaults(projects, notes)
    deps = {task_id: [d for d in dict.fromkeys(task.depends_on) if d in tasks and d != task_id]
            for task_id, task in tasks.items()}
    order = _topological_order(tasks, deps, rank, notes)
    tech_index = _assignees(portfolio, order, hours, horizon, notes)
    positions = {task_id: i for i, task_id in enumerate(order)}
    return _Plan(
        order=[tasks[t] for t in order],
        tech_index=[tech_index[t] for t in order],
        hours=[hours[t] for t in order],
        spent=[max(float(tasks[t].spent_hours), 0.0) for t in order],
        deps=[[positions[d] for d in deps[t]] for t in order],
        notes=notes,
    )


def _hours_with_defaults(projects, notes) -> dict[int, float]:
    hours = {}
    for project in projects:
        known = [float(t.remaining_hours) for t in project.tasks if t.remaining_hours is not None]
        fallback = float(np.median(known)) if known else DEFAULT_ESTIMATE_HOURS
        missing = []
        for task in project.tasks:
            if task.remaining_hours is None:
                missing.append(task.name)
                hours[task.id] = fallback
            else:
                hours[task.id] = max(float(task.remaining_hours), 0.0)
        if missing:
            source = "the project's median estimate" if known else "a default"
            notes.setdefault(project.id, []).append(
                f"No estimate for {_names(missing)}: using {source} of {fallback:g} h; add estimates for a sharper forecast."
            )
    return hours


def _topological_order(tasks, deps, rank, notes) -> list[int]:
    """Kahn's algorithm with priority as tie-break; circular dependencies are cut and explained."""
    waiting = {task_id: set(d) for task_id, d in deps.items()}
    dependents: dict[int, list[int]] = {task_id: [] for task_id in tasks}
    for task_id, requires in waiting.items():
        for d in requires:
            dependents[d].append(task_id)
    ready = [(rank[t], t) for t, requires in waiting.items() if not requires]
    heapq.heapify(ready)
    order: list[int] = []
    while len(order) < len(tasks):
        if not ready:
            task_id, cut = _cut_cycle(waiting, rank, order)
            cycle = _cycle_through(task_id, cut, waiting)
            waiting[task_id].discard(cut)
            deps[task_id].remove(cut)
            project_id = tasks[task_id].project_id
            notes.setdefault(project_id, []).append(
                f"Circular dependencies: {' → '.join(tasks[t].name for t in cycle)}. The forecast ignores that "
                f"“{tasks[task_id].name}” waits for “{tasks[cut].name}”; fix the dependencies in the plan."
            )
            if not waiting[task_id]:
                heapq.heappush(ready, (rank[task_id], task_id))
            continue
        _, task_id = heapq.heappop(ready)
        order.append(task_id)
        for dependent in dependents[task_id]:
            if task_id in waiting[dependent]:
                waiting[dependent].discard(task_id)
                if not waiting[dependent]:
                    heapq.heappush(ready, (rank[dependent], dependent))
    return order


def _cut_cycle(waiting, rank, done) -> tuple[int, int]:
    """Among the stuck tasks, the highest-priority one and the stuck dependency that closes its cycle."""
    placed = set(done)
    stuck = sorted((t for t, requires in waiting.items() if requires and t not in placed), key=rank.get)
    start = stuck[0]
    # Walk dependencies until a task repeats: every stuck task waits on another stuck task.
    path, seen, current = [], {}, start
    while current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = min(waiting[current], key=rank.get)
    cycle = path[seen[current]:]
    # Cut the edge from the cycle's highest-priority task to its successor in the cycle.
    head = min(cycle, key=rank.get)
    successor = cycle[(cycle.index(head) + 1) % len(cycle)]
    return head, successor


def _cycle_through(task_id, cut, waiting) -> list[int]:
    """The task names of the circle task_id → cut → … → task_id, for the explanation."""
    path, current, seen = [task_id], cut, {task_id}
    while current != task_id and current not in seen:
        path.append(current)
        seen.add(current)
        candidates = waiting[current]
        current = task_id if task_id in candidates else min(candidates)
    return path + [task_id]


def _assignees(portfolio, order, hours, horizon, notes) -> dict[int, int]:
    """Technician index per task; unassigned work goes to the least-loaded technician."""
    techs = portfolio.technicians
    index = {t.id: i for i, t in enumerate(techs)}
    total_capacity = [float(np.sum(t.capacity_hours)) for t in techs]
    load = [0.0] * len(techs)
    tasks = {task.id: task for project in portfolio.projects for task in project.tasks}
    result = {}
    for task_id in order:
        task = tasks[task_id]
        if task.assignee_id in index:
            result[task_id] = index[task.assignee_id]
            load[index[task.assignee_id]] += hours[task_id]
    unassigned: dict[tuple[int, int], list[str]] = {}
    for task_id in order:
        task = tasks[task_id]
        if task_id in result:
            continue
        candidates = [i for i in range(len(techs)) if total_capacity[i] > 0]
        if not candidates:
            result[task_id] = -1
            notes.setdefault(task.project_id, []).append(
                f"Nobody with working hours can take “{task.name}”: add technicians or capacity under Time → Capacity."
            )
            continue
        chosen = min(candidates, key=lambda i: (load[i] / total_capacity[i], i))
        result[task_id] = chosen
        load[chosen] += hours[task_id]
        unassigned.setdefault((task.project_id, chosen), []).append(task.name)
    for (project_id, chosen), names in unassigned.items():
        notes.setdefault(project_id, []).append(
            f"No assignee for {_names(names)}: planned for {techs[chosen].name}, the least-loaded technician; "
            "assign the tasks for a sharper forecast."
        )
    return result


def _explain_technicians(portfolio, plan, notes):
    techs = portfolio.technicians
    used: dict[int, set[int]] = {}
    for task, tech in zip(plan.order, plan.tech_index):
        if tech >= 0:
            used.setdefault(tech, set()).add(task.project_id)
    horizon_end = _period_end(portfolio, _horizon(portfolio) - 1)
    for tech_index, project_ids in used.items():
        tech = techs[tech_index]
        for project_id in sorted(project_ids):
            lines = notes.setdefault(project_id, [])
            if float(np.sum(tech.capacity_hours)) <= 0:
                stuck = [t.name for t, i in zip(plan.order, plan.tech_index) if i == tech_index and t.project_id == project_id]
                lines.append(
                    f"{tech.name} has no working hours until {horizon_end:%Y-%m-%d}, so {_names(stuck)} cannot finish: "
                    f"set {tech.name}'s capacity under Time → Capacity ({CAPACITY_URL})."
                )
            elif len(tech.reactive_history) == 0:
                lines.append(
                    f"No history for {tech.name}: using the default reactive share of "
                    f"{tech.default_reactive_share:.0%}; edit it under Time → Capacity ({CAPACITY_URL})."
                )


# --- random inputs: durations and reactive load --------------------------------------------------


def _ratio_pool(ratios: np.ndarray, simulations: int, rng) -> np.ndarray:
    """A long shuffled sample of actual/estimate ratios; each task reads a random window of it."""
    size = max(4 * simulations, 1 << 16)
    ratios = np.asarray(ratios, dtype=float)
    ratios = ratios[np.isfinite(ratios) & (ratios > 0)]
    if len(ratios) >= MIN_RATIOS:
        pool = rng.choice(ratios, size=size) * rng.lognormal(0.0, RATIO_JITTER_SIGMA, size=size)
    else:
        pool = rng.lognormal(np.log(DEFAULT_RATIO_MEDIAN), DEFAULT_RATIO_SIGMA, size=size)
    return pool.astype(DTYPE)


def _load_draws(techs, horizon, simulations, rng) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Future weekly (reactive, other non-project) hours per technician and simulation."""
    reactive, other = [], []
    for tech in techs:
        capacity = np.asarray(tech.capacity_hours, dtype=float)
        normal_week = float(np.max(capacity)) if len(capacity) else 0.0
        history = np.asarray(tech.reactive_history, dtype=float)
        others = np.asarray(tech.other_history, dtype=float)
        if normal_week <= 0:
            reactive.append(np.zeros((simulations, horizon), dtype=DTYPE))
            other.append(reactive[-1])
            continue
        if len(history) == 0:
            # No history: the default share of each week, with a modest week-to-week spread.
            noise = rng.gamma(8.0, 1 / 8.0, size=(simulations, horizon))
            reactive.append((capacity * tech.default_reactive_share * noise).astype(DTYPE))
            other.append(np.zeros((simulations, horizon), dtype=DTYPE))
            continue
        if len(others) != len(history):
            others = np.zeros_like(history)
        # The same past weeks for both kinds of load, so a week's mix stays as it was.
        weeks = _block_bootstrap(len(history), horizon, simulations, rng)
        # A week with less capacity (absence, holiday) brings proportionally less of either.
        scale = (capacity / normal_week).astype(DTYPE)
        reactive.append(history.astype(DTYPE)[weeks] * scale)
        other.append(others.astype(DTYPE)[weeks] * scale)
    return reactive, other


def _block_bootstrap(n: int, horizon: int, simulations: int, rng) -> np.ndarray:
    """Indexes of past weeks (0..n-1) for every future week of every simulation."""
    block = min(BLOCK_WEEKS, n)
    blocks = -(-horizon // block)
    if n >= SEASON_WEEKS + block:
        # Start each block near the same week of the year (±2 weeks) in a random past year.
        same_week = (n + np.arange(blocks) * block) % SEASON_WEEKS
        years = (n - block - same_week) // SEASON_WEEKS + 1
        year = (rng.random((simulations, blocks)) * years).astype(np.int64)
        jitter = rng.integers(-2, 3, size=(simulations, blocks))
        starts = np.clip(same_week + year * SEASON_WEEKS + jitter, 0, n - block)
    else:
        starts = rng.integers(0, n, size=(simulations, blocks))
    index = (starts.astype(np.int32)[:, :, None] + np.arange(block, dtype=np.int32)).reshape(simulations, -1)
    return index[:, :horizon] % n


# --- the schedule ---------------------------------------------------------------------------------


def _schedule(plan: _Plan, available: list[np.ndarray], ratio_pool, pool_starts, draws: np.ndarray):
    """Per project, the latest finish time (periods from as_of, inf = beyond the horizon) per technician.

    ``draws[i]`` says which simulation's task durations column i reads. Returns {project id:
    (technician indexes, array[len(indexes), len(draws)])}. A task's own finish times are kept
    only until its last dependent has been scheduled.
    """
    count = len(draws)
    timelines = [_Timeline(a) for a in available]
    waiting_dependents = [0] * len(plan.order)
    for deps in plan.deps:
        for d in deps:
            waiting_dependents[d] += 1
    finishes: dict[int, np.ndarray] = {}
    latest: dict[tuple[int, int], np.ndarray] = {}
    for position, (task, tech, hours, spent, deps) in enumerate(
        zip(plan.order, plan.tech_index, plan.hours, plan.spent, plan.deps)
    ):
        ready = None
        if deps:
            ready = finishes[deps[0]]
            for d in deps[1:]:
                ready = np.maximum(ready, finishes[d])
        if tech < 0:
            finish = np.full(count, np.inf, dtype=DTYPE)
        elif hours <= 0:
            finish = np.zeros(count, dtype=DTYPE) if ready is None else ready
        else:
            ratio = ratio_pool.take(draws + pool_starts[position])
            if spent > 0:
                total = DTYPE(hours + spent)
                duration = np.maximum(ratio * total - DTYPE(spent), DTYPE(OVERRUN_FLOOR) * total)
            else:
                duration = ratio * DTYPE(hours)
            finish = timelines[tech].book(duration, ready)
        # A task with nothing left and nothing to wait for does not make its project open work.
        if hours > 0 or deps or tech < 0:
            key = (task.project_id, tech)
            if key in latest:
                np.maximum(latest[key], finish, out=latest[key])
            else:
                latest[key] = finish.copy()
        if waiting_dependents[position]:
            finishes[position] = finish
        for d in deps:
            waiting_dependents[d] -= 1
            if not waiting_dependents[d]:
                del finishes[d]
    by_project: dict[int, tuple[list[int], list[np.ndarray]]] = {}
    for (project_id, tech), finish in latest.items():
        techs, arrays = by_project.setdefault(project_id, ([], []))
        techs.append(tech)
        arrays.append(finish)
    return {pid: (techs, np.stack(arrays)) for pid, (techs, arrays) in by_project.items()}


class _Timeline:
    """One technician's cumulative available hours in every simulation, and the hours already booked.

    ``cumulative[k, s]`` is the hours available before period k in simulation s, period-major so
    that reading one period of every simulation touches neighbouring memory; a last row of +inf
    stops every walk at the horizon. ``booked`` is the pointer in those hours, ``period`` a period
    at or before it (and ``index`` its place in the flattened array), so finding where a task ends
    is a short walk forward instead of a search over the whole horizon.
    """

    def __init__(self, available: np.ndarray):
        count, self.horizon = available.shape
        self.count = count
        self.cumulative = np.zeros((self.horizon + 2, count), dtype=DTYPE)
        np.cumsum(available.T, axis=0, out=self.cumulative[1:-1])
        self.cumulative[-1] = np.inf
        self.flat = self.cumulative.ravel()
        self.total = self.cumulative[-2].copy()
        self.columns = np.arange(count, dtype=np.intp)
        self.booked = np.zeros(count, dtype=DTYPE)
        self.period = np.zeros(count, dtype=DTYPE)
        self.index = self.columns.copy()
        self.busy_start = np.zeros(count, dtype=DTYPE)
        self.busy_end = np.zeros(count, dtype=DTYPE)

    def book(self, duration: np.ndarray, ready: np.ndarray | None) -> np.ndarray:
        """Book a task after the earlier ones and after ``ready`` (a time); return its finish time.

        The technician works in priority order but never idles while some booked task could
        run: hours free while a task waits for another technician go to later tasks (the
        prefix ``booked``). A task then ends at the latest of: all higher-priority work plus
        its own done (``booked`` + duration), its release plus its duration, and the end of
        the run of tasks released at or after the current wait began (``busy_end``), which
        keeps two tasks waiting for the same dependency from sharing the same hours.
        """
        booked = self.booked + duration
        if ready is None:
            end, period, index = booked, self.period, self.index
        else:
            ready_period = np.floor(np.minimum(ready, DTYPE(self.horizon - 1)))
            ready_index = ready_period.astype(np.intp) * self.count + self.columns
            before = self.flat.take(ready_index)
            # Beyond the horizon the fraction is capped at 1: the task then starts after the last hour.
            fraction = np.minimum(ready - ready_period, DTYPE(1))
            release = before + fraction * (self.flat.take(ready_index + self.count) - before)
            # Released after the current run ends: a new run starts at the release.
            new_run = release > self.busy_end
            self.busy_start = np.maximum(self.busy_start, release * new_run)
            self.busy_end = np.maximum(self.busy_end, release * new_run) + duration * (release >= self.busy_start)
            end = np.maximum(np.maximum(booked, release + duration), self.busy_end * (release >= self.busy_start))
            # Both are periods at or before the end, so the later one is a valid place to walk from.
            period = np.maximum(self.period, ready_period)
            index = np.maximum(self.index, ready_index)
            blocked = ready >= self.horizon
            if blocked.any():
                # A task whose dependency never finishes takes none of the technician's hours.
                booked = booked - duration * blocked
        finish, end_period, end_index = self._time_at(end, period, index)
        # The walk found the end's period; it is also the booked pointer's when the task did not wait.
        synced = end <= booked
        self.period = np.where(synced, end_period, self.period)
        self.index = np.where(synced, end_index, self.index)
        self.booked = booked
        return finish

    def _time_at(self, hours, period, index):
        """The time the cumulative hours reach ``hours``, walking forward from a period at or before it."""
        within = hours <= self.total
        target = np.minimum(hours, self.total)
        period, index = period.copy(), index.copy()
        after = self.flat.take(index + self.count)
        for _ in range(WALK_STEPS):
            step = after < target
            if not step.any():
                break
            period += step
            index += step * self.count
            after = self.flat.take(index + self.count)
        else:
            # Rare long walks (weeks with no free hours): count the periods for those columns only.
            late = np.flatnonzero(after < target)
            if late.size:
                periods = (self.cumulative[1:-1, late] < target[late]).sum(axis=0)
                period[late] = periods
                index[late] = periods * self.count + late
                after[late] = self.flat.take(index[late] + self.count)
        before = self.flat.take(index)
        time = period + (target - before) / np.maximum(after - before, MIN_WIDTH)
        if not within.all():
            time[~within] = np.inf
        return time, period, index


# --- results ---------------------------------------------------------------------------------------


def _summarise(portfolio, project, latest, latest_without_reactive, horizon, notes) -> ProjectForecast:
    notes = _unique(notes.get(project.id, []))
    deadline_time = None
    if project.deadline is not None:
        deadline_time = ((project.deadline - portfolio.as_of).days + 1) / portfolio.period_days
        if project.deadline < portfolio.as_of:
            notes.append(
                f"The deadline {project.deadline:%Y-%m-%d} has already passed: the chance of meeting it is 0; "
                "the dates show when the work can finish. Set a new deadline."
            )
    else:
        notes.append("No deadline: set one to get the chance of meeting it.")
    if latest is None:
        notes.append("Nothing left to plan: the project has no open tasks with hours left.")
        return ProjectForecast(project.id, None, None, None, None, None, None, notes, [])

    techs, finishes = latest
    completion = np.max(finishes, axis=0)
    probability = None
    if deadline_time is not None:
        probability = 0.0 if deadline_time <= 0 else float(np.mean(completion <= deadline_time))
    p50, p90 = np.quantile(completion, [0.5, 0.9], method="higher")
    horizon_end = _period_end(portfolio, horizon - 1)
    if not np.isfinite(p50):
        notes.append(f"Most simulations do not finish within the forecast horizon: completion beyond {horizon_end:%Y-%m-%d}.")
    elif not np.isfinite(p90):
        notes.append(f"At least 10% of simulations do not finish within the forecast horizon: P90 beyond {horizon_end:%Y-%m-%d}.")

    # Bottleneck: whose work finishes last in most simulations.
    votes = np.bincount(np.argmax(finishes, axis=0), minlength=len(techs))
    bottleneck = techs[int(np.argmax(votes))]
    tech = portfolio.technicians[bottleneck] if bottleneck >= 0 else None

    return ProjectForecast(
        project_id=project.id,
        probability_on_time=probability,
        p50_date=_to_date(portfolio, p50),
        p90_date=_to_date(portfolio, p90),
        bottleneck_id=tech.id if tech else None,
        bottleneck_name=tech.name if tech else None,
        reactive_delay_share=_reactive_share(completion, latest_without_reactive[1]),
        explanations=notes,
        distribution=_distribution(portfolio, completion, horizon),
    )


def _reactive_share(completion, baseline_rows) -> float | None:
    with_reactive = float(np.median(completion[: baseline_rows.shape[1]]))
    baseline = float(np.median(np.max(baseline_rows, axis=0)))
    if not (np.isfinite(with_reactive) and np.isfinite(baseline)) or with_reactive <= 0:
        return None
    return float(np.clip((with_reactive - baseline) / with_reactive, 0.0, 1.0))


def _distribution(portfolio, completion, horizon) -> list[tuple[date, float]]:
    finite = completion[np.isfinite(completion)]
    periods = np.minimum(np.ceil(finite).astype(np.int64) - 1, horizon - 1).clip(0)
    counts = np.bincount(periods, minlength=horizon)
    total = len(completion)
    return [(_period_end(portfolio, k), float(n) / total) for k, n in enumerate(counts) if n]


def _period_end(portfolio, period: int) -> date:
    return portfolio.as_of + timedelta(days=(period + 1) * portfolio.period_days - 1)


def _to_date(portfolio, time: float) -> date | None:
    if not np.isfinite(time):
        return None
    days = int(np.ceil(time * portfolio.period_days - 1e-9))
    return portfolio.as_of + timedelta(days=max(days - 1, 0))


def _names(names: list[str]) -> str:
    quoted = [f"“{n}”" for n in names[:5]]
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    return ", ".join(quoted) + more


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))
