"""The provider's projects, worked day by day in the timesheets so their history is believable.

Each task takes its estimate times a drawn overrun; the timesheets give project time to the
technician's first ready task (by project priority), so a week of fire-fighting visibly holds
a project back. After the year has been worked, finished projects get their completion dates
and a deadline they met or missed, and open ones a deadline that their remaining work and
the team's recent reactive load make safe, tight or at risk.
"""

import math
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from steward.demo.corpus import projects as texts
from steward.demo.dates import PROVIDER_TZ, from_local, to_local
from steward.desk.choices import TicketType
from steward.projects.choices import ProjectStatus, TaskStatus
from steward.projects.models import Phase, Project, ProjectTicket, Task
from steward.work.choices import WorkType

# Open projects' deadline, as a multiple of the weeks their remaining work needs at the recent pace.
DEADLINE_FACTOR = {"at_risk": 0.6, "tight": 1.3, "safe": 2.2, "planned": 1.8}
MIN_DEADLINE_DAYS, MAX_DEADLINE_DAYS = 30, 125
SAFE_DEADLINE_DAYS = 75  # comfortable and not-yet-started projects have room to spare
PACE_WEEKS = 8
FINISHED_PRIORITY = 50  # below every open project  # the recent weeks whose reactive load sets the expected pace


class TaskPlan:
    __slots__ = ("actual", "deps", "done_at", "logged", "project", "row", "started_on", "who")

    def __init__(self, project, row, who, actual):
        self.project, self.row, self.who, self.actual = project, row, who, actual
        self.deps = []
        self.logged = 0
        self.started_on = None
        self.done_at = None


class ProjectPlan:
    def __init__(self, spec, ctx, row):
        self.spec, self.ctx, self.row = spec, ctx, row
        self.phases = []
        self.tasks = []

    @property
    def client(self):
        return self.ctx.client if self.ctx else None


class Projects:
    def __init__(self, rng, org, today, owner):
        self.rng = rng
        self.org = org
        self.today = today
        self.plans = []
        techs = {t.username: t for t in org.techs}
        clients = {ctx.spec.code: ctx for ctx in org.clients}
        self.by_tech = {t.username: [] for t in org.techs}
        open_rank = 0
        for spec in texts.PROJECTS:
            ctx = clients[spec.code] if spec.code else None
            finished = spec.outcome in ("on_time", "late")
            open_rank += not finished
            row = Project(
                client=ctx.client if ctx else None, name=spec.name, description=spec.description,
                owner=owner, priority=FINISHED_PRIORITY if finished else open_rank, starts_on=today + timedelta(days=spec.start),
            )
            plan = ProjectPlan(spec, ctx, row)
            previous = []
            for position, (phase_name, tasks) in enumerate(spec.phases):
                phase = Phase(project=row, name=phase_name, position=position)
                plan.phases.append(phase)
                current = []
                for name, hours, username in tasks:
                    ratio = min(1.8, max(0.75, math.exp(rng.gauss(spec.overrun, 0.18))))
                    task = Task(project=row, phase=phase, name=name, estimate_hours=Decimal(hours),
                                assignee=techs[username].user, position=len(plan.tasks))
                    item = TaskPlan(plan, task, techs[username], round(hours * 60 * ratio))
                    item.deps = previous
                    current.append(item)
                    plan.tasks.append(item)
                    self.by_tech[username].append(item)
                previous = current
            self.plans.append(plan)
        for items in self.by_tech.values():
            # Last year's projects came first; open ones are worked in portfolio order.
            items.sort(key=lambda item: (item.project.spec.start if item.project.row.priority == FINISHED_PRIORITY
                                         else 0, item.project.row.priority, item.row.position))

    # --- worked by the timesheets -------------------------------------------------------------------
    def task_for(self, tech, day):
        """The technician's first task that can be worked on ``day``, by project priority."""
        for item in self.by_tech.get(tech.username, ()):
            if item.done_at is None and item.project.row.starts_on <= day and all(d.done_at for d in item.deps):
                return item
        return None

    @staticmethod
    def minutes_left(item):
        return item.actual - item.logged

    @staticmethod
    def log(item, start, minutes):
        item.logged += minutes
        item.started_on = item.started_on or to_local(start, PROVIDER_TZ).date()
        if item.logged >= item.actual:
            item.done_at = start + timedelta(minutes=minutes)

    # --- after the year is worked --------------------------------------------------------------------
    def settle(self, entries, capacities, stories):
        """Statuses, dates, deadlines and ticket links from what was worked; returns the rows to write."""
        rng = self.rng
        pace = self._pace(entries, capacities)
        done = [item for plan in self.plans for item in plan.tasks if item.done_at]
        overrun = sum(item.logged for item in done) / max(1, sum(float(item.row.estimate_hours) * 60 for item in done))
        queue = {username: 0.0 for username in self.by_tech}  # weeks of open work ahead of each technician
        links = []
        for plan in sorted(self.plans, key=lambda p: p.row.priority):
            row = plan.row
            for item in plan.tasks:
                task = item.row
                task.starts_on = item.started_on
                if item.done_at:
                    task.status = TaskStatus.DONE
                    task.completed_at = item.done_at.replace(tzinfo=UTC)
                elif item.logged:
                    task.status = TaskStatus.IN_PROGRESS
                    # The assignee's own guess of what is left, not the true figure.
                    guess = self.minutes_left(item) / 60 * math.exp(rng.gauss(0, 0.2))
                    task.remaining_hours = Decimal(max(1, round(guess * 2) / 2)).quantize(Decimal("0.01"))
            if all(item.done_at for item in plan.tasks):
                finished = max(item.done_at for item in plan.tasks)
                row.status = ProjectStatus.DONE
                row.completed_on = to_local(finished, PROVIDER_TZ).date()
                if plan.spec.outcome == "late":
                    row.deadline = row.completed_on - timedelta(days=rng.randint(12, 30))
                else:
                    row.deadline = row.completed_on + timedelta(days=rng.randint(3, 20))
            else:
                row.status = ProjectStatus.PLANNED if row.starts_on > self.today else ProjectStatus.ACTIVE
                weeks = 0.0
                for username in self.by_tech:
                    left = sum(self._hours_left(item, overrun) for item in plan.tasks if item.who.username == username)
                    if left:
                        queue[username] += left / pace[username]
                        weeks = max(weeks, queue[username])
                begins = max(self.today, row.starts_on)
                days = (begins - self.today).days + weeks * 7 * DEADLINE_FACTOR.get(plan.spec.outcome, 1.2)
                shortest = SAFE_DEADLINE_DAYS if plan.spec.outcome in ("safe", "planned") else MIN_DEADLINE_DAYS
                row.deadline = self.today + timedelta(days=round(min(MAX_DEADLINE_DAYS, max(shortest, days))))
            row.created_at = row.updated_at = datetime.combine(row.starts_on - timedelta(days=14), time(10), tzinfo=UTC)
            for item in plan.tasks:
                item.row.created_at = row.created_at
            links += self._links(plan, stories)
        return links

    @staticmethod
    def _hours_left(item, overrun):
        """What a forecast would expect: the hours still estimated, times how far estimates have run over."""
        if item.done_at:
            return 0.0
        if item.row.remaining_hours is not None:
            return float(item.row.remaining_hours) * overrun
        return float(item.row.estimate_hours) * overrun

    def _pace(self, entries, capacities):
        """Hours a week each technician has had for projects lately, once reactive work is done."""
        since = from_local(datetime.combine(self.today - timedelta(weeks=PACE_WEEKS), time()), PROVIDER_TZ)
        since = since.replace(tzinfo=UTC)
        reactive = {username: 0 for username in self.by_tech}
        for entry in entries:
            if entry.work_type == WorkType.REACTIVE and entry.started_at >= since:
                username = entry.technician.username
                if username in reactive:
                    reactive[username] += entry.duration_minutes
        return {
            username: max(2.0, capacities[username] - minutes / 60 / PACE_WEEKS)
            for username, minutes in reactive.items()
        }

    def _links(self, plan, stories):
        """A few of the client's change and request tickets raised while the project ran belong to it."""
        if plan.ctx is None or plan.row.starts_on > self.today:
            return []
        first = plan.row.starts_on
        last = plan.row.completed_on or self.today
        candidates = [
            s.t for s in stories
            if s.t.client is plan.ctx.client and s.t.type in (TicketType.CHANGE, TicketType.SERVICE_REQUEST)
            and first <= s.created.date() <= last and s.t.parent is None
        ]
        chosen = self.rng.sample(candidates, min(2, len(candidates)))
        return [ProjectTicket(project=plan.row, ticket=t, linked_at=datetime.combine(first, time(11), tzinfo=UTC))
                for t in chosen]

    def rows(self):
        projects = [plan.row for plan in self.plans]
        phases = [phase for plan in self.plans for phase in plan.phases]
        tasks = [item.row for plan in self.plans for item in plan.tasks]
        deps = [(item.row, dep.row) for plan in self.plans for item in plan.tasks for dep in item.deps]
        return projects, phases, tasks, deps
