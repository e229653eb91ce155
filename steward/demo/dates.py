"""Calendars for the demo: bank holidays, school terms and the technicians' working time.

Times are naive UTC datetimes inside the planner (cheap to compare and add); they are
converted to the wall clock of a site or of the provider only to decide "is this working time".
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PROVIDER_TZ = ZoneInfo("Europe/London")
DAY_STARTS = time(8, 30)
DAY_ENDS = time(17, 30)
FULL_WEEK = frozenset(range(5))


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year, month):
    d = date(year, month, 1)
    return d + timedelta(days=(0 - d.weekday()) % 7)


def _last_monday(year, month):
    d = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return d - timedelta(days=d.weekday())


def bank_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays, with the substitute days when one falls on a weekend."""
    days = {}
    new_year = date(year, 1, 1)
    while new_year.weekday() >= 5:
        new_year += timedelta(days=1)
    days[new_year] = "New Year's Day"
    easter = easter_sunday(year)
    days[easter - timedelta(days=2)] = "Good Friday"
    days[easter + timedelta(days=1)] = "Easter Monday"
    days[_first_monday(year, 5)] = "Early May bank holiday"
    days[_last_monday(year, 5)] = "Spring bank holiday"
    days[_last_monday(year, 8)] = "Summer bank holiday"
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday and Tuesday off
        christmas, boxing = date(year, 12, 27), date(year, 12, 28)
    elif christmas.weekday() == 6:  # Sunday: Boxing Day on Monday, Christmas on Tuesday
        christmas = date(year, 12, 27)
    elif boxing.weekday() == 5:  # Friday Christmas: Boxing Day moves to Monday
        boxing = date(year, 12, 28)
    days[christmas] = "Christmas Day"
    days[boxing] = "Boxing Day"
    return days


def school_holidays(year: int) -> dict[date, str]:
    """Typical English state-school holidays (weekdays only), close enough for a demo."""
    days = {}

    def add_weeks(monday, weeks, name):
        for offset in range(weeks * 7):
            d = monday + timedelta(days=offset)
            if d.weekday() < 5:
                days[d] = name

    feb = _first_monday(year, 2) + timedelta(days=14)
    add_weeks(feb, 1, "February half term")
    easter = easter_sunday(year)
    add_weeks(easter - timedelta(days=6), 2, "Easter holidays")
    add_weeks(_last_monday(year, 5), 1, "May half term")
    summer = date(year, 7, 21)
    summer += timedelta(days=(0 - summer.weekday()) % 7)
    for offset in range((date(year, 9, 2) - summer).days + 1):
        d = summer + timedelta(days=offset)
        if d.weekday() < 5:
            days[d] = "Summer holidays"
    add_weeks(_last_monday(year, 10), 1, "October half term")
    christmas = date(year, 12, 19)
    christmas += timedelta(days=(0 - christmas.weekday()) % 7)
    add_weeks(christmas, 2, "Christmas holidays")
    return days


def to_local(moment: datetime, tz) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)


def from_local(moment: datetime, tz) -> datetime:
    return moment.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


class WorkClock:
    """The provider's working time (08:30–17:30 London, weekdays that are not holidays or leave).

    ``weekdays`` gives part-timers their own working days (0 is Monday).
    """

    def __init__(self, holidays, leave=None, weekdays=None):
        self.holidays = holidays
        self.leave = leave or {}
        self.weekdays = weekdays or {}

    def is_workday(self, day: date, who=None) -> bool:
        return (
            day.weekday() in self.weekdays.get(who, FULL_WEEK)
            and day not in self.holidays
            and day not in self.leave.get(who, ())
        )

    def next_work(self, moment: datetime, who=None) -> datetime:
        """The first working moment at or after ``moment``."""
        local = to_local(moment, PROVIDER_TZ)
        day = local.date()
        if self.is_workday(day, who) and local.time() < DAY_ENDS:
            if local.time() >= DAY_STARTS:
                return moment
            return from_local(datetime.combine(day, DAY_STARTS), PROVIDER_TZ)
        day += timedelta(days=1)
        while not self.is_workday(day, who):
            day += timedelta(days=1)
        return from_local(datetime.combine(day, DAY_STARTS), PROVIDER_TZ)

    def add_work(self, moment: datetime, minutes: float, who=None) -> datetime:
        """``moment`` moved on by ``minutes`` of working time."""
        current = self.next_work(moment, who)
        remaining = timedelta(minutes=minutes)
        while True:
            local = to_local(current, PROVIDER_TZ)
            left_today = datetime.combine(local.date(), DAY_ENDS) - local
            if remaining < left_today:
                return current + remaining
            remaining -= left_today
            current = self.next_work(from_local(datetime.combine(local.date(), DAY_ENDS), PROVIDER_TZ), who)

    def work_date(self, moment: datetime) -> date:
        return to_local(moment, PROVIDER_TZ).date()


class OpeningHours:
    """A client's opening hours, to place customers' replies when they are at work."""

    def __init__(self, tz, slots, holidays):
        self.tz = tz
        self.slots = {}  # weekday -> (opens, closes)
        for weekdays, opens, closes in slots:
            for weekday in weekdays:
                self.slots[weekday] = (time.fromisoformat(opens), time.fromisoformat(closes))
        self.holidays = holidays

    def next_open(self, moment: datetime) -> datetime:
        local = to_local(moment, self.tz)
        day = local.date()
        for _ in range(30):
            slot = self.slots.get(day.weekday())
            if slot and day not in self.holidays:
                opens, closes = slot
                if day != local.date() or local.time() < opens:
                    return from_local(datetime.combine(day, opens), self.tz)
                if local.time() < closes:
                    return moment
            day += timedelta(days=1)
        return moment
