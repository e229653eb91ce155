"""Technicians' capacity and absences: public holidays, leave, sick days and training, past and coming.

The days away are decided before anything else so the ticket planner and the timesheets
never put work on them: what ``Absence`` rows say is exactly when nobody logged time.
"""

from datetime import timedelta
from decimal import Decimal

from steward.work.choices import AbsenceKind
from steward.work.models import Absence, Capacity

# username: (weekly hours, ISO working days, target utilisation); everyone else works 40 h Monday to Friday.
CAPACITIES = {
    "priya": (40, "12345", "0.85"),
    "tom": (40, "12345", "0.85"),
    "aisha": (40, "12345", "0.80"),
    "daniel": (24, "123", "0.75"),  # part-time, Monday to Wednesday
    "marek": (40, "12345", "0.80"),
    "rachel": (40, "12345", "0.80"),
}
DEFAULT_CAPACITY = (40, "12345", "0.80")
HORIZON_DAYS = 183  # leave is booked about six months ahead
TRAINING = (
    # (username, days relative to today, working days, course)
    ("tom", -230, 2, "Microsoft Intune administrator course"),
    ("aisha", -90, 1, "Cyber Essentials assessor briefing"),
    ("rachel", 40, 3, "Azure administrator course"),
)
SICK_DAYS = 3  # of each technician's odd days off, how many were sick days
APPOINTMENT = ("priya", 9, Decimal("3.5"), "Hospital appointment (afternoon)")


def weekdays_of(username):
    """The weekdays (0 is Monday) a technician works."""
    work_days = CAPACITIES.get(username, DEFAULT_CAPACITY)[1]
    return frozenset(int(d) - 1 for d in work_days)


class Staffing:
    def __init__(self, rng, techs, past_days, bank, today):
        self.rng = rng
        self.techs = techs
        self.today = today
        self.bank = bank  # date -> name of the public holiday
        self.past = past_days
        self.future = [today + timedelta(days=i) for i in range(HORIZON_DAYS)]
        self.weekdays = {t.username: weekdays_of(t.username) for t in techs}
        # username -> {day: (kind, note)} of full days away, bank holidays aside.
        self.off = {t.username: {} for t in techs}

    def plan(self):
        """Decide every full day away; returns {username: set of days} for the working clock."""
        rng = self.rng
        for days in (self.past, self.future):
            leave = self._leave(days)
            for username, taken in leave.items():
                for day in taken:
                    self.off[username][day] = (AbsenceKind.LEAVE, "Annual leave")
        for tech in self.techs:
            singles = sorted(d for d, _ in self.off[tech.username].items() if d < self.today and self._single(tech, d))
            for day in rng.sample(singles, min(SICK_DAYS, len(singles))):
                self.off[tech.username][day] = (AbsenceKind.SICK, "Sick")
        for username, offset, length, course in TRAINING:
            if username not in self.off:
                continue
            day = self.today + timedelta(days=offset)
            booked = 0
            while booked < length:
                if self._free(username, day):
                    self.off[username][day] = (AbsenceKind.TRAINING, course)
                    booked += 1
                day += timedelta(days=1)
        return {username: set(days) for username, days in self.off.items()}

    def _working(self, username, day):
        return day.weekday() in self.weekdays[username] and day not in self.bank

    def _free(self, username, day):
        return self._working(username, day) and day not in self.off[username]

    def _single(self, tech, day):
        before, after = day - timedelta(days=1), day + timedelta(days=1)
        while not self._working(tech.username, before):
            before -= timedelta(days=1)
        while not self._working(tech.username, after):
            after += timedelta(days=1)
        return before not in self.off[tech.username] and after not in self.off[tech.username]

    def _leave(self, days):
        """About 23 days a year each, staggered so a team never has two people off at once."""
        rng = self.rng
        share = len(days) / 365
        workdays = [d for d in days if d.weekday() < 5 and d not in self.bank]
        summer = [d for d in workdays if d.month in (7, 8)]
        rest = [d for d in workdays if d.month not in (7, 8, 12)]
        leave = {tech.username: set() for tech in self.techs}
        teams = sorted({t.team for t in self.techs})
        for team in teams:
            members = [t for t in self.techs if t.team == team]
            if len(summer) >= 10 * len(members):
                # A summer fortnight each, one after the other.
                shift = rng.randrange(len(summer) - 10 * len(members) + 1)
                for i, tech in enumerate(members):
                    leave[tech.username].update(summer[shift + 10 * i:shift + 10 * i + 10])
            part = len(rest) // len(members)
            for i, tech in enumerate(members):
                # A week each in its own part of the year (or of the months ahead).
                if part > 5:
                    first = part * i + rng.randrange(part - 5)
                    leave[tech.username].update(rest[first:first + 5])
            for tech in members:
                taken = set().union(*(leave[m.username] for m in members))
                free = [d for d in workdays if d not in taken]
                leave[tech.username].update(rng.sample(free, min(round(8 * share), len(free))))
        return leave

    # --- rows ----------------------------------------------------------------------------------------
    def capacities(self, users):
        rows = []
        for tech in self.techs:
            hours, work_days, target = CAPACITIES.get(tech.username, DEFAULT_CAPACITY)
            rows.append(Capacity(technician=users[tech.username], weekly_hours=Decimal(hours), work_days=work_days,
                                 target_utilisation=Decimal(target)))
        return rows

    def absences(self, users):
        """Absence rows: each run of working days away for one reason becomes one row."""
        first, last = self.past[0], self.future[-1]
        rows = []
        for tech in self.techs:
            username = tech.username
            days = dict(self.off[username])
            for day, name in self.bank.items():
                if first <= day <= last and day.weekday() in self.weekdays[username]:
                    days[day] = (AbsenceKind.HOLIDAY, name)
            run = None
            for day in sorted(days):
                kind, note = days[day]
                if run and tuple(run[2:]) == (kind, note) and self._next_workday(username, run[1]) == day:
                    run[1] = day
                    continue
                if run:
                    rows.append(self._absence(users[username], *run))
                run = [day, day, kind, note]
            if run:
                rows.append(self._absence(users[username], *run))
        username, offset, hours, note = APPOINTMENT
        if username in users:
            day = self.today + timedelta(days=offset)
            while not self._free(username, day):
                day += timedelta(days=1)
            rows.append(Absence(technician=users[username], kind=AbsenceKind.OTHER, starts_on=day, ends_on=day,
                                hours_per_day=hours, note=note))
        return rows

    def _next_workday(self, username, day):
        day += timedelta(days=1)
        while day.weekday() not in self.weekdays[username]:
            day += timedelta(days=1)
        return day

    @staticmethod
    def _absence(user, starts_on, ends_on, kind, note):
        return Absence(technician=user, kind=kind, starts_on=starts_on, ends_on=ends_on, note=note)
