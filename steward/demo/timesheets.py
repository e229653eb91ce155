"""Technicians' timesheets: time on tickets, and proactive, project and admin time around it.

Each technician logs a 6–7.5 hour day. Ticket work takes time in proportion to what was
done (a fix more than a reply), scaled per technician so their year comes out at their usual
reactive share (55–65%); busy days are mostly reactive, quiet ones leave room for proactive
maintenance, project tasks and internal admin, placed in the gaps between tickets. Days away
(holidays, leave, sickness, training) have no time at all. Past weeks are approved, last week
is submitted by most, this week is still a draft.
"""

import math
from bisect import insort
from datetime import datetime, time, timedelta

from steward.demo.corpus import work as work_texts
from steward.demo.dates import PROVIDER_TZ, aware, from_local, to_local
from steward.work.choices import EntryStatus, WorkType
from steward.work.models import TimeEntry

DAY_START = time(8, 30)
STANDUP = time(9, 0)
MINUTES_PER_WEIGHT = 12  # a unit of ticket work (a reply is 0.3–0.6, a fix 1.5) in minutes, before scaling
MAX_REACTIVE = 0.9  # even the busiest day keeps a stand-up and some admin
PROJECT_FOCUS = 3  # with a project task ready, project time gets this many times its usual share


def _round5(minutes):
    return int(5 * round(minutes / 5))


class Timesheets:
    def __init__(self, rng, org, days, projects):
        self.rng = rng
        self.org = org
        self.clock = org.clock
        self.days = days
        self.entries = []
        self.projects = projects

    def plan(self, work):
        rng = self.rng
        by_day = {}
        for item in work:
            by_day.setdefault((item.tech.username, self.clock.work_date(item.at)), []).append(item)
        # How long each piece of work would take on its own; scaled per technician below.
        natural = {id(item): MINUTES_PER_WEIGHT * item.weight * math.exp(rng.gauss(0, 0.35)) for item in work}
        targets, scales = {}, {}
        for tech in self.org.techs:
            workdays = [d for d in self.days if self.clock.is_workday(d, tech.username)]
            targets[tech.username] = {d: _round5(min(7.5, max(6.0, rng.gauss(6.75, 0.4))) * 60) for d in workdays}
            loads = {d: sum(natural[id(i)] for i in by_day.get((tech.username, d), ())) for d in workdays}
            scales[tech.username] = self._calibrate(tech.spec.reactive_share, targets[tech.username], loads)
        # Day by day for everyone at once: a project task one technician finishes lets another start.
        for day in self.days:
            for tech in self.org.techs:
                items = by_day.pop((tech.username, day), [])
                target = targets[tech.username].get(day)
                scale = scales[tech.username]
                if target:
                    self._workday(tech, day, items, target, scale, natural)
                elif items and not self._away(tech, day):  # the odd ticket touched on a weekend
                    self._reactive(tech, items, [max(5, _round5(scale * natural[id(i)])) for i in items])
        for (_, day), items in sorted(by_day.items(), key=lambda pair: pair[0]):
            if self._away(items[0].tech, day):
                continue
            self._reactive(items[0].tech, items, [max(5, _round5(natural[id(i)])) for i in items])
        return self.entries

    def _away(self, tech, day):
        """A public holiday, leave, sickness or training: whatever was touched then is not logged."""
        return day in self.clock.holidays or day in self.clock.leave.get(tech.username, ())

    @staticmethod
    def _calibrate(share, targets, loads):
        """The factor that turns a technician's ticket load into their usual reactive share of the year."""
        total = sum(targets.values())
        load = sum(loads.values()) or 1.0
        scale = share * total / load
        for _ in range(6):  # busy days are capped, so the others take a little more
            logged = sum(min(scale * loads[d], MAX_REACTIVE * targets[d]) for d in targets) or 1.0
            scale *= share * total / logged
        return scale

    def _workday(self, tech, day, items, target, scale, natural):
        rng = self.rng
        busy = []
        reactive = 0
        if items:
            load = sum(natural[id(i)] for i in items)
            logged = min(scale * load, MAX_REACTIVE * target)
            durations = [min(240, max(5, _round5(logged * natural[id(i)] / load))) for i in items]
            busy = self._reactive(tech, items, durations)
            reactive = sum(durations)
        remaining = target - reactive
        day_start = from_local(datetime.combine(day, DAY_START), PROVIDER_TZ)
        if remaining >= 15:
            standup = from_local(datetime.combine(day, STANDUP), PROVIDER_TZ)
            self._block(tech, standup, 15, WorkType.ADMIN, None, work_texts.STANDUP)
            insort(busy, (standup, standup + timedelta(minutes=15)))
            remaining -= 15
        split = tech.spec.non_reactive
        kinds = list(split)
        while remaining >= 15:
            ready = self.projects.task_for(tech, day)
            weights = [split[k] * (PROJECT_FOCUS if k == WorkType.PROJECT and ready else 1) for k in kinds]
            kind = rng.choices(kinds, weights=weights)[0]
            task = ready if kind == WorkType.PROJECT else None
            if kind == WorkType.PROJECT and task is None:
                kind = WorkType.PROACTIVE
            longest = 180 if kind == WorkType.PROJECT else 90
            minutes = min(remaining, rng.choice([30, 45, 60, 60, 75, 90, 120, 150, 180]), longest)
            if task is not None:
                minutes = min(minutes, max(15, _round5(self.projects.minutes_left(task))))
            if remaining - minutes < 15:
                minutes = remaining
            start = self._place(busy, day_start, minutes)
            if task is not None:
                client = task.project.client
                self._block(tech, start, minutes, kind, client, task.row.name, billable=client is not None, task=task.row)
                self.projects.log(task, start, minutes)
            elif kind == WorkType.PROACTIVE:
                weights = [c.spec.people + 8 * len(c.spec.servers) for c in self.org.clients]
                ctx = rng.choices(self.org.clients, weights=weights)[0]
                if ctx.spec.servers and rng.random() < 0.35:
                    note = rng.choice(work_texts.PROACTIVE_SERVER).format(server=rng.choice(ctx.spec.servers))
                else:
                    note = rng.choice(work_texts.PROACTIVE)
                self._block(tech, start, minutes, kind, ctx.client, note)
            else:
                self._block(tech, start, minutes, kind, None, rng.choice(work_texts.ADMIN), billable=False)
            remaining -= minutes

    def _reactive(self, tech, items, durations):
        busy = []
        for item, minutes in zip(items, durations):
            start = max(item.not_before, item.at - timedelta(minutes=minutes))
            busy.append((start, start + timedelta(minutes=minutes)))
            self.entries.append(
                TimeEntry(
                    technician=tech.user,
                    ticket=item.ticket,
                    client=item.ticket.client,
                    started_at=aware(start),
                    duration_minutes=minutes,
                    work_type=WorkType.REACTIVE,
                    billable=True,
                    note=item.note[:500],
                    created_at=aware(start + timedelta(minutes=minutes)),
                )
            )
        busy.sort()
        return busy

    def _place(self, busy, day_start, minutes):
        """The first gap of ``minutes`` from the start of the day, between the tickets worked on."""
        length = timedelta(minutes=minutes)
        cursor = day_start
        for start, end in busy:
            if start - cursor >= length:
                break
            cursor = max(cursor, end)
        insort(busy, (cursor, cursor + length))
        return cursor

    def _block(self, tech, start, minutes, kind, client, note, billable=False, task=None):
        self.entries.append(
            TimeEntry(
                technician=tech.user,
                ticket=None,
                client=client,
                task=task,
                started_at=aware(start),
                duration_minutes=minutes,
                work_type=kind,
                billable=billable,
                note=note,
                created_at=aware(start + timedelta(minutes=minutes)),
            )
        )


def settle_weeks(entries, today, approver, rng, unsubmitted=()):
    """Weeks before last approved by ``approver``; last week submitted except by ``unsubmitted``; this week draft."""
    this_monday = today - timedelta(days=today.weekday())
    last_monday = this_monday - timedelta(days=7)
    approvals = {}
    for entry in entries:
        day = to_local(entry.started_at, PROVIDER_TZ).date()
        monday = day - timedelta(days=day.weekday())
        username = entry.technician.username
        if monday >= this_monday or (monday == last_monday and username in unsubmitted):
            entry.status = EntryStatus.DRAFT
        elif monday == last_monday:
            entry.status = EntryStatus.SUBMITTED
        else:
            key = (username, monday)
            if key not in approvals:
                # Approved early the following week.
                local = datetime.combine(monday + timedelta(days=7 + rng.randint(0, 1)), time(9, rng.randint(0, 59)))
                approvals[key] = aware(from_local(local + timedelta(hours=rng.randint(0, 6)), PROVIDER_TZ))
            entry.status = EntryStatus.APPROVED
            entry.approved_by = approver
            entry.approved_at = approvals[key]
