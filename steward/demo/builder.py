"""Builds the demo provider in one transaction: organisation, clients, a year of tickets, time and projects.

Everything is planned in Python from one ``random.Random(seed)`` and written with
``bulk_create``; the planner applies the desk's rules itself (see ``stories.py``), so the
data looks exactly as if it had gone through the services.
"""

import math
import random
import time as clock
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from steward import demo
from steward.accounts.choices import Role
from steward.accounts.models import Team, User
from steward.clients.models import BusinessHours, BusinessHoursSlot, Client, Contact, Contract, Holiday, Site
from steward.clients.services import fill_phone_digits
from steward.demo import dates
from steward.demo.corpus import catalogue as catalogue_texts
from steward.demo.corpus import clients as client_texts
from steward.demo.corpus import projects as project_texts
from steward.demo.planner import ClientCtx, Org, Planner, TechCtx
from steward.demo.projects import Projects
from steward.demo.staffing import Staffing
from steward.demo.timesheets import Timesheets, settle_weeks
from steward.desk.models import Attachment, Category, Queue, Software, Tag, Ticket, TicketEntry, TicketNumber
from steward.desk.services import priority_for
from steward.projects.choices import OPEN_PROJECT_STATUSES, ProjectStatus
from steward.projects.models import Phase, Project, ProjectTicket, Task
from steward.work.days import rebuild_days
from steward.work.models import Absence, Capacity, TimeEntry

PROVIDER_DOMAIN = "ironbridge-it.example"
STAFF_USERNAMES = (client_texts.ADMIN.username,) + tuple(t.username for t in client_texts.TECHNICIANS)
TEAM_NAMES = (client_texts.SERVICE_DESK, client_texts.PROJECTS)
SEEDED_QUEUES = ("Service desk", "Triage")  # created by the desk's migrations; the demo only assigns their team
DEMO_QUEUES = (client_texts.PROJECTS,)
INTERNAL_PROJECTS = tuple(spec.name for spec in project_texts.PROJECTS if spec.code is None)
LATE_SUBMITTER = "tom"  # has not submitted last week's timesheet yet


class DemoExists(Exception):
    """The database already holds data the demo would mix with."""


def build_demo(*, seed: int = 42, flush: bool = False, scale: float = 1.0, today: date | None = None, log=None) -> dict:
    """Build the demo provider; with ``flush``, first delete what a previous build (or anyone) left."""
    log = log or (lambda message: None)
    started = clock.monotonic()
    today = today or timezone.now().date()
    with transaction.atomic():
        existing = Client.objects.exists() or User.objects.filter(username__in=STAFF_USERNAMES).exists()
        if existing and not flush:
            raise DemoExists(
                "This database already has clients or demo users. Run `steward demo --flush` to delete all "
                "clients, their tickets and time, and the demo's users and catalogue, and build the demo afresh."
            )
        if existing:
            log("Deleting existing clients, tickets, time and demo users…")
            flush_demo()
        builder = _Builder(random.Random(seed), today, scale, log)
        builder.build()
    at_risk = refresh_forecasts(log)
    summary = summarize()
    if at_risk is not None:
        summary["projects at risk"] = at_risk
    summary["seconds"] = round(clock.monotonic() - started, 1)
    return summary


def refresh_forecasts(log):
    """Forecast the open projects so the risks show on first start; None when forecasting is not available."""
    try:
        from steward.projects.forecasting import refresh_forecasts as refresh
    except ImportError:
        return None
    log("Forecasting the open projects…")
    refresh()
    at_risk = 0
    for project in Project.objects.filter(status__in=OPEN_PROJECT_STATUSES):
        latest = project.forecasts.first()
        if latest and latest.probability_on_time is not None:
            at_risk += latest.probability_on_time * 100 < project.risk_threshold
    return at_risk


def flush_demo():
    """Delete every client with everything hanging off it, the demo staff, teams, queue and catalogue."""
    clients = Client.objects.all()
    tickets = Ticket.objects.filter(client__in=clients)
    TimeEntry.objects.filter(
        Q(client__in=clients) | Q(ticket__in=tickets) | Q(technician__username__in=STAFF_USERNAMES)
    ).delete()
    Project.objects.filter(Q(client__in=clients) | Q(client__isnull=True, name__in=INTERNAL_PROJECTS)).delete()
    Attachment.objects.filter(ticket__in=tickets).delete()
    # Tens of thousands of entries: one DELETE instead of the collector loading each row.
    TicketEntry.objects.filter(ticket__in=tickets)._raw_delete(TicketEntry.objects.db)
    Ticket.cc.through.objects.filter(ticket__in=tickets).delete()
    Ticket.tags.through.objects.filter(ticket__in=tickets).delete()
    Ticket.objects.filter(Q(parent__isnull=False) | Q(merged_into__isnull=False)).update(parent=None, merged_into=None)
    tickets.delete()
    User.objects.filter(contact__client__in=clients).delete()
    clients.delete()
    User.objects.filter(username__in=STAFF_USERNAMES).delete()
    Team.objects.filter(name__in=TEAM_NAMES).delete()
    Queue.objects.filter(name__in=DEMO_QUEUES).delete()
    Category.objects.filter(parent__isnull=True, name__in=[name for name, _ in catalogue_texts.CATEGORIES]).delete()
    for name, vendor in catalogue_texts.SOFTWARE:
        Software.objects.filter(name=name, vendor=vendor).delete()
    Tag.objects.filter(name__in=catalogue_texts.TAGS).delete()
    TicketNumber.objects.filter(pk=1).update(last_number=1000)


def summarize() -> dict:
    """Counts of what the demo built, for the command's summary."""
    hours = TimeEntry.objects.values("work_type").annotate(minutes=Sum("duration_minutes"), entries=Count("id"))
    return {
        "clients": Client.objects.count(),
        "sites": Site.objects.count(),
        "contacts": Contact.objects.count(),
        "technicians": User.objects.filter(role=Role.TECHNICIAN).count(),
        "portal users": User.objects.filter(role__in=(Role.CLIENT_ADMIN, Role.CLIENT_USER)).count(),
        "tickets": Ticket.objects.count(),
        "open tickets": Ticket.objects.open().count(),
        "timeline entries": TicketEntry.objects.count(),
        "time entries": TimeEntry.objects.count(),
        "absences": Absence.objects.count(),
        "projects": Project.objects.count(),
        "projects finished": Project.objects.filter(status=ProjectStatus.DONE).count(),
        "projects open": Project.objects.filter(status__in=OPEN_PROJECT_STATUSES).count(),
        "hours by work type": {row["work_type"]: round(row["minutes"] / 60) for row in hours},
    }


@contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the created_at/updated_at we planned instead of stamping "now"."""
    fields = [
        f for model in models for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Builder:
    def __init__(self, rng, today, scale, log):
        self.rng = rng
        self.today = today
        self.scale = scale
        self.log = log
        self.anchor = datetime.combine(today, datetime.min.time())  # naive UTC midnight: the demo's "now"
        self.start = self.anchor - timedelta(days=365)
        self.days = [self.start.date() + timedelta(days=i) for i in range(365)]
        self.hashes = {}

    def build(self):
        self.log("Creating staff, teams, queues and the catalogue…")
        self._password_hashes()
        techs, teams = self._staff()
        queues = self._queues(teams)
        categories, software, tags = self._catalogue()
        bank = {}
        for year in range(self.start.year, self.today.year + 2):
            bank.update(dates.bank_holidays(year))
        staffing = Staffing(self.rng, techs, self.days, bank, self.today)
        leave = staffing.plan()
        org = Org(
            clients=[], techs=techs, teams={name: [t for t in techs if t.team == name] for name in TEAM_NAMES},
            queues=queues, categories=categories, software=software, tags=tags,
            priority={(i, u): priority_for(i, u) for i in (1, 2, 3) for u in (1, 2, 3)},
            clock=dates.WorkClock(set(bank), leave, staffing.weekdays), bank_holidays=set(bank),
        )
        self.log("Creating clients, sites, contacts, contracts and business hours…")
        org.clients = self._clients(org, bank)
        users = {t.username: t.user for t in techs}
        capacities = staffing.capacities(users)
        Capacity.objects.bulk_create(capacities)
        Absence.objects.bulk_create(staffing.absences(users))

        self.log("Planning a year of tickets and projects…")
        planner = Planner(self.rng, org, self.anchor, self.scale)
        clients = {ctx.spec.code: ctx for ctx in org.clients}
        by_name = {t.username: t for t in techs}
        planner.crises = [(clients[code], by_name[username], self.today + timedelta(days=offset), length)
                          for code, username, offset, length in project_texts.CRISES]
        stories = planner.plan()
        projects = Projects(self.rng, org, self.today, self.admin)
        sheets = Timesheets(self.rng, org, self.days, projects).plan(planner.work)
        links = projects.settle(sheets, {c.technician.username: float(c.weekly_hours) for c in capacities}, stories)
        settle_weeks(sheets, self.today, self.admin, self.rng, unsubmitted=(LATE_SUBMITTER,))

        self.log(f"Writing {len(stories):,} tickets…")
        tickets = [story.t for story in stories]
        parents = [(t, t.parent) for t in tickets if t.parent is not None]
        for t, _ in parents:
            t.parent = None
        Ticket.objects.bulk_create(tickets, batch_size=500)
        for t, parent in parents:
            t.parent = parent
        Ticket.objects.bulk_update([t for t, _ in parents], ["parent"], batch_size=500)
        tag_rows = sorted({(t.pk, tag.pk) for t, tag in planner.ticket_tags})
        Ticket.tags.through.objects.bulk_create(
            [Ticket.tags.through(ticket_id=ticket_id, tag_id=tag_id) for ticket_id, tag_id in tag_rows], batch_size=500
        )
        Ticket.cc.through.objects.bulk_create(
            [Ticket.cc.through(ticket_id=t.pk, contact_id=c.pk) for t, c in planner.ticket_cc], batch_size=500
        )
        entries = [entry for story in stories for entry in story.entries]
        self.log(f"Writing {len(entries):,} timeline entries…")
        TicketEntry.objects.bulk_create(entries, batch_size=1000)
        rows, phases, tasks, deps = projects.rows()
        self.log(f"Writing {len(rows)} projects with {len(tasks)} tasks…")
        with explicit_timestamps(Project, Task, ProjectTicket):
            Project.objects.bulk_create(rows)
            Phase.objects.bulk_create(phases)
            Task.objects.bulk_create(tasks, batch_size=500)
            ProjectTicket.objects.bulk_create(links)
        Task.depends_on.through.objects.bulk_create(
            [Task.depends_on.through(from_task_id=task.pk, to_task_id=dep.pk) for task, dep in deps], batch_size=500
        )
        self.log(f"Writing {len(sheets):,} time entries…")
        with explicit_timestamps(TimeEntry):
            TimeEntry.objects.bulk_create(sheets, batch_size=1000)
        rebuild_days()  # the bulk insert bypasses the services that keep the day summaries
        last = max((t.number for t in tickets), default=1000)
        TicketNumber.objects.update_or_create(pk=1, defaults={"last_number": last})

    # --- people ---------------------------------------------------------------------------------
    def _password_hashes(self):
        # Hashing is deliberately slow: hash each demo password once and share the hash.
        for password in (demo.ADMIN_PASSWORD, demo.TECHNICIAN_PASSWORD, demo.PORTAL_PASSWORD):
            self.hashes[password] = make_password(password)

    def _staff(self):
        joined = datetime(self.today.year - 6, 3, 1, 9, tzinfo=UTC)
        spec = client_texts.ADMIN
        users = [
            User(username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
                 email=f"{spec.first_name}.{spec.last_name}@{PROVIDER_DOMAIN}".lower(), role=Role.ADMIN,
                 is_staff=True, is_superuser=True, password=self.hashes[demo.ADMIN_PASSWORD], date_joined=joined)
        ]
        for i, spec in enumerate(client_texts.TECHNICIANS):
            users.append(User(
                username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
                email=f"{spec.first_name}.{spec.last_name}@{PROVIDER_DOMAIN}".lower(), role=Role.TECHNICIAN,
                password=self.hashes[demo.TECHNICIAN_PASSWORD], date_joined=joined + timedelta(days=200 * i),
            ))
        User.objects.bulk_create(users)
        self.admin = users[0]
        techs = [TechCtx(spec, user) for spec, user in zip(client_texts.TECHNICIANS, users[1:])]
        teams = {name: Team.objects.create(name=name) for name in TEAM_NAMES}
        Team.members.through.objects.bulk_create(
            [Team.members.through(team_id=teams[t.team].pk, user_id=t.user.pk) for t in techs]
        )
        return techs, teams

    def _queues(self, teams):
        queues = {}
        has_default = Queue.objects.filter(is_default=True).exists()
        for name in SEEDED_QUEUES + DEMO_QUEUES:
            team = teams[client_texts.PROJECTS if name == client_texts.PROJECTS else client_texts.SERVICE_DESK]
            queue, _ = Queue.objects.get_or_create(name=name)
            queue.team = team
            if name == "Service desk" and not has_default:
                queue.is_default = True
            queue.save(update_fields=["team", "is_default"])
            queues[name] = queue
        return queues

    def _catalogue(self):
        categories = {}
        for parent_name, children in catalogue_texts.CATEGORIES:
            parent, _ = Category.objects.get_or_create(name=parent_name, parent=None)
            for child in children:
                categories[f"{parent_name}/{child}"], _ = Category.objects.get_or_create(name=child, parent=parent)
        software = {}
        for name, vendor in catalogue_texts.SOFTWARE:
            software[name], _ = Software.objects.get_or_create(name=name, vendor=vendor)
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in catalogue_texts.TAGS}
        return categories, software, tags

    # --- clients ----------------------------------------------------------------------------------
    def _clients(self, org, bank):
        rng = self.rng
        pools = {}

        def number(range_name):
            if range_name not in pools:
                size = 100 if range_name == "New York" else 1000
                pool = list(range(size))
                rng.shuffle(pool)
                pools[range_name] = pool
            return client_texts.PHONE_RANGES[range_name].format(pools[range_name].pop())

        mobiles = list(range(1000))
        rng.shuffle(mobiles)

        service_desk = org.teams[client_texts.SERVICE_DESK]
        contexts, clients, sites_by_client, hours_rows = [], [], [], []
        for spec in client_texts.CLIENTS:
            onboarded = self.today - timedelta(days=rng.randint(420, 2400))
            stamp = datetime.combine(onboarded, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
            sites = [
                Site(name=s.name, address=s.address, city=s.city, postcode=s.postcode, country=s.country,
                     timezone=s.timezone, phone=number(s.phone_range) if s.phone_range else "")
                for s in spec.sites
            ]
            client = Client(
                name=spec.name, short_code=spec.code, email_domains=[spec.domain], phone=sites[0].phone,
                website=f"https://www.{spec.domain}", industry=spec.industry, is_active=True,
                notes=f"{spec.industry}, {spec.people} staff. Managed since {onboarded:%B %Y}.",
                created_at=stamp, updated_at=stamp,
            )
            clients.append(client)
            sites_by_client.append((spec, client, sites, onboarded, stamp))
        with explicit_timestamps(Client, Contact):
            Client.objects.bulk_create(clients)
            all_sites = []
            for spec, client, sites, _, _ in sites_by_client:
                for site in sites:
                    site.client = client
                    all_sites.append(site)
            Site.objects.bulk_create(all_sites)

            contracts, calendars, portal_users, contacts_all = [], [], [], []
            for index, (spec, client, sites, onboarded, stamp) in enumerate(sites_by_client):
                contracts.append(self._contract(spec, client, onboarded))
                calendar = BusinessHours(client=client, timezone=spec.sites[0].timezone)
                calendars.append(calendar)
                closures = self._closures(spec, bank)
                school = {}
                if spec.profile == "school":
                    for year in range(self.start.year, self.today.year + 2):
                        school.update(dates.school_holidays(year))
                hours_rows.append((calendar, spec, {**school, **closures}))
                contacts = self._contacts(spec, client, sites, stamp, number, mobiles, portal_users)
                contacts_all.extend(contacts)
                tzs = {s.name: ZoneInfo(s.timezone) for s in spec.sites}
                ctx = ClientCtx(
                    spec=spec, client=client, sites=sites, site_tz=tzs, contacts=contacts,
                    contact_weights=[self._activity(spec, c) for c in contacts],
                    hours=dates.OpeningHours(tzs[spec.sites[0].name], spec.hours, set(closures) | set(school)),
                    closures=set(closures) - set(bank), school_days_off=set(school),
                    primary=service_desk[index % len(service_desk)], key_contact=contacts[0],
                )
                contexts.append(ctx)
            Contract.objects.bulk_create(contracts)
            BusinessHours.objects.bulk_create(calendars)
            slots, holidays = [], []
            for calendar, spec, closed in hours_rows:
                for weekdays, opens, closes in spec.hours:
                    for weekday in weekdays:
                        slots.append(BusinessHoursSlot(calendar=calendar, weekday=weekday, opens=opens, closes=closes))
                first, last = self.start.date(), self.today + timedelta(days=365)
                holidays += [Holiday(calendar=calendar, date=day, name=name)
                             for day, name in sorted(closed.items()) if first <= day <= last]
            BusinessHoursSlot.objects.bulk_create(slots)
            Holiday.objects.bulk_create(holidays)
            User.objects.bulk_create(portal_users)
            Contact.objects.bulk_create(contacts_all)
        return contexts

    def _closures(self, spec, bank):
        closed = dict(bank)
        for year in range(self.start.year, self.today.year + 2):
            for month, day, name in spec.extra_holidays:
                closed.setdefault(date(year, month, day), name)
        return closed

    def _contract(self, spec, client, onboarded):
        starts = onboarded
        fixed_term = spec.code not in ("RFB", "GCT", "KING")  # a few small clients are on rolling monthly terms
        ends = None
        if fixed_term:
            while True:
                ends = starts.replace(year=starts.year + 3) - timedelta(days=1)
                if ends >= self.today:
                    break
                starts = ends + timedelta(days=1)
        hours = max(4, round(spec.people * 0.6))
        return Contract(
            client=client,
            name=f"Managed IT – {spec.sla}",
            starts_on=starts,
            ends_on=ends,
            included_hours_per_month=Decimal(hours),
            hourly_rate=Decimal(spec.hourly_rate),
            covered_devices=round(spec.people * 1.2) + len(spec.servers),
            covered_users=spec.people,
            sla_plan=spec.sla,
            notes=f"{hours} hours a month included; further time at £{spec.hourly_rate}/hour.",
        )

    def _contacts(self, spec, client, sites, stamp, number, mobiles, portal_users):
        rng = self.rng
        people = list(spec.key_people)
        used = {(p.first_name, p.last_name) for p in people}
        titles = [t for t, _ in spec.titles]
        weights = [w for _, w in spec.titles]
        while len(people) < spec.people:
            name = (rng.choice(client_texts.FIRST_NAMES), rng.choice(client_texts.LAST_NAMES))
            if name in used:
                continue
            used.add(name)
            people.append(client_texts.Person(name[0], name[1], rng.choices(titles, weights=weights)[0]))
        shares = [s.share for s in spec.sites]
        contacts = []
        for i, person in enumerate(people):
            site_index = 0 if i < len(spec.key_people) else rng.choices(range(len(sites)), weights=shares)[0]
            site, site_spec = sites[site_index], spec.sites[site_index]
            email = f"{person.first_name}.{person.last_name}@{spec.domain}".lower().replace("'", "").replace(" ", "")
            phone = number(site_spec.phone_range) if site_spec.phone_range and rng.random() < 0.75 else ""
            mobile = ""
            if person.vip or person.portal or not phone or rng.random() < 0.4:
                mobile = client_texts.MOBILE_RANGE.format(mobiles.pop())
            user = None
            if person.portal:
                user = User(
                    username=email, first_name=person.first_name, last_name=person.last_name, email=email,
                    role=Role.CLIENT_ADMIN if person.portal == "client_admin" else Role.CLIENT_USER,
                    password=self.hashes[demo.PORTAL_PASSWORD], date_joined=stamp,
                )
                portal_users.append(user)
            joined = stamp + timedelta(days=rng.randint(0, 30)) if i < len(spec.key_people) else stamp + timedelta(
                days=rng.randint(0, max(1, (self.start - stamp.replace(tzinfo=None)).days)))
            contact = Contact(
                client=client, site=site, first_name=person.first_name, last_name=person.last_name, email=email,
                phone=phone, mobile=mobile,
                title=person.title, is_vip=person.vip, is_active=True, portal_access=user is not None, user=user,
                created_at=joined, updated_at=joined,
            )
            fill_phone_digits(contact)  # bulk_create bypasses the services that usually do this
            contacts.append(contact)
        return contacts

    def _activity(self, spec, contact):
        """How often someone raises tickets: client admins raise many, on everyone's behalf."""
        if contact.user is not None and contact.user.role == Role.CLIENT_ADMIN:
            return 2.5
        return math.exp(self.rng.gauss(0, 0.6)) * (1.4 if contact.is_vip else 1.0)
