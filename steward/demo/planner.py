"""Plans a year of tickets: when they arrive, what they say, and how each one unfolds.

Arrivals follow an office's week (a Monday-morning peak, quiet weekends and evenings,
fewer in August and over Christmas, a school that closes in its holidays, accountants busy
in January), monitoring alerts arrive at any hour, and a few outages make a whole client
write in within an hour or two. Everything is drawn from one ``random.Random``, so the
same seed and the same day give the same year.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from steward.demo.corpus import clients as people_texts
from steward.demo.corpus import projects as project_texts
from steward.demo.corpus import timeline as texts
from steward.demo.corpus.catalogue import INFRASTRUCTURE
from steward.demo.corpus.tickets import ALERTS, EFFORT, SUBCATEGORY_WEIGHTS, TEMPLATES
from steward.demo.dates import PROVIDER_TZ, from_local, to_local
from steward.demo.stories import Stop, Story
from steward.desk.choices import CallDirection, EntryKind, Source, TicketStatus, TicketType
from steward.desk.models import Ticket

HOURS_OFFICE = {6: 0.05, 7: 0.25, 8: 1.0, 9: 1.4, 10: 1.25, 11: 1.05, 12: 0.7, 13: 0.85, 14: 1.0, 15: 0.9, 16: 0.75,
                17: 0.4, 18: 0.15, 19: 0.08, 20: 0.06, 21: 0.05, 22: 0.03}
HOURS_EARLY = {5: 0.05, 6: 0.4, 7: 1.0, 8: 1.35, 9: 1.3, 10: 1.15, 11: 1.0, 12: 0.7, 13: 0.85, 14: 0.95, 15: 0.8,
               16: 0.6, 17: 0.4, 18: 0.25, 19: 0.15, 20: 0.05}
HOURS_HOSPITALITY = {9: 0.3, 10: 0.8, 11: 1.1, 12: 1.0, 13: 0.6, 14: 0.7, 15: 0.9, 16: 1.1, 17: 1.2, 18: 1.0,
                     19: 0.8, 20: 0.6, 21: 0.4, 22: 0.2, 23: 0.05}
HOURS_SCHOOL = {7: 0.6, 8: 1.5, 9: 1.2, 10: 0.9, 11: 0.9, 12: 1.1, 13: 0.8, 14: 0.7, 15: 1.0, 16: 0.6, 17: 0.2}
WEEKDAY_OFFICE = (1.45, 1.12, 1.02, 0.98, 0.8, 0.05, 0.03)
WEEKDAY_HOSPITALITY = (1.15, 1.0, 1.0, 1.0, 1.05, 0.75, 0.55)
SATURDAY_OPEN = 0.22
MONDAY_MORNING = 1.6  # on Mondays, 8–11 o'clock is busier still

TICKETS_PER_YEAR = 8000
ALERT_SHARE = 0.07
BURSTS_PER_YEAR = 9
BURST_KINDS = ("internet", "phishing", "email", "fileserver", "phishing", "phones", "printing", "internet", "fileserver")

# Working minutes from assignment to the fix, by priority: most are quick, some take long.
FIX_MINUTES = {1: (20, 150), 2: (45, 360), 3: (60, 1100), 4: (120, 2600)}
TRIAGE_MINUTES = {1: (3, 12), 2: (8, 40), 3: (15, 120), 4: (30, 240)}
STANDARD_SOFTWARE = frozenset({"Sophos Intercept X", "3CX"})
HELPER_SHARE = 0.3  # weight of a projects technician on service-desk tickets


@dataclass
class TechCtx:
    spec: object
    user: object

    @property
    def username(self):
        return self.spec.username

    @property
    def team(self):
        return self.spec.team


@dataclass
class ClientCtx:
    spec: object
    client: object
    sites: list
    site_tz: dict
    contacts: list
    contact_weights: list
    hours: object
    closures: set  # days the client is closed besides weekends
    school_days_off: set
    primary: TechCtx | None = None
    key_contact: object = None
    templates: list = field(default_factory=list)
    template_weights: list = field(default_factory=list)


@dataclass
class Org:
    clients: list
    techs: list
    teams: dict  # team name -> [TechCtx]
    queues: dict  # name -> Queue
    categories: dict  # "Parent/Child" -> Category
    software: dict  # name -> Software
    tags: dict  # name -> Tag
    priority: dict  # (impact, urgency) -> priority
    clock: object
    bank_holidays: set


class Planner:
    def __init__(self, rng, org: Org, anchor: datetime, scale: float = 1.0):
        self.rng = rng
        self.org = org
        self.clock = org.clock
        self.anchor = anchor  # naive UTC: nothing happens at or after it
        self.start = anchor - timedelta(days=365)
        self.scale = scale
        self.work = []
        self.stories = []
        self.ticket_tags = []  # (ticket, tag)
        self.ticket_cc = []  # (ticket, contact)
        self.crises = []  # (client ctx, lead TechCtx, first day, working days of clean-up)
        self.days = [self.start.date() + timedelta(days=i) for i in range(365)]
        for ctx in org.clients:
            self._prepare_templates(ctx)

    # --- plan -----------------------------------------------------------------------------------
    def plan(self):
        arrivals = self._regular_arrivals() + self._alert_arrivals()
        arrivals.sort(key=lambda a: (a[0], a[1]))
        for at, _, kind, ctx, requester in arrivals:
            if kind == "alert":
                self._alert(ctx, at)
            else:
                self._regular(ctx, requester, at)
        for burst in self._burst_plans():
            self._burst(*burst)
        for crisis in self.crises:
            self._crisis(*crisis)
        self.stories.sort(key=lambda s: (s.created, s.t.subject))
        for number, story in enumerate(self.stories, start=1001):
            story.t.number = number
        for story in self.stories:
            for entry, parent in story.parent_fixups:
                entry.event["ticket"] = parent.number
        return self.stories

    # --- arrivals -------------------------------------------------------------------------------
    def _poisson(self, lam):
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.rng.gauss(lam, math.sqrt(lam))))
        limit, k, product = math.exp(-lam), 0, self.rng.random()
        while product > limit:
            k += 1
            product *= self.rng.random()
        return k

    def _day_factor(self, ctx, day: date, index: int) -> float:
        spec = ctx.spec
        weekday = day.weekday()
        if spec.profile == "hospitality":
            factor = WEEKDAY_HOSPITALITY[weekday]
        else:
            factor = WEEKDAY_OFFICE[weekday]
            if weekday == 5 and spec.open_saturdays:
                factor = SATURDAY_OPEN
        if day in self.org.bank_holidays:
            factor *= 0.8 if spec.profile == "hospitality" else 0.04
        elif day in ctx.closures:
            factor *= 0.1
        if day in ctx.school_days_off:
            factor *= 0.12
        elif weekday < 5 and day - timedelta(days=3 if weekday == 0 else 1) in ctx.school_days_off:
            factor *= 1.6  # first day of term: new accounts, broken projectors
        if day.month == 8:
            factor *= 0.72
        if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day == 1):
            factor *= 0.45
        if spec.industry == "Accountancy" and day.month == 1:
            factor *= 1.5  # self-assessment deadline
        if weekday < 5 and self._after_break(day):
            factor *= 1.35
        return factor * (0.9 + 0.2 * index / 365)  # the provider grows over the year

    def _after_break(self, day):
        off = 0
        previous = day - timedelta(days=1)
        while previous.weekday() >= 5 or previous in self.org.bank_holidays:
            off += 1
            previous -= timedelta(days=1)
        return off >= 3

    def _regular_arrivals(self):
        rng = self.rng
        factors = []
        total = 0.0
        for ctx in self.org.clients:
            weight = ctx.spec.people * ctx.spec.intensity
            row = [weight * self._day_factor(ctx, day, i) * math.exp(rng.gauss(0, 0.2)) for i, day in enumerate(self.days)]
            factors.append(row)
            total += sum(row)
        expected_bursts = round(BURSTS_PER_YEAR * self.scale) * 18
        target = max(0.0, TICKETS_PER_YEAR * self.scale * (1 - ALERT_SHARE) - expected_bursts)
        k = target / total
        arrivals = []
        seq = 0
        for ctx, row in zip(self.org.clients, factors):
            for day, factor in zip(self.days, row):
                for _ in range(self._poisson(k * factor)):
                    requester = rng.choices(ctx.contacts, weights=ctx.contact_weights)[0]
                    at = self._arrival_time(ctx, requester, day)
                    if self.start <= at < self.anchor:
                        seq += 1
                        arrivals.append((at, seq, "ticket", ctx, requester))
        return arrivals

    def _arrival_time(self, ctx, requester, day):
        rng = self.rng
        spec = ctx.spec
        if spec.profile == "hospitality":
            profile = HOURS_HOSPITALITY
        elif spec.profile == "school":
            profile = HOURS_SCHOOL
        elif spec.hours[0][1] < "08:00":
            profile = HOURS_EARLY
        else:
            profile = HOURS_OFFICE
        hours = list(profile)
        weights = list(profile.values())
        if day.weekday() == 0:
            weights = [w * MONDAY_MORNING if 8 <= h <= 11 else w for h, w in zip(hours, weights)]
        hour = rng.choices(hours, weights=weights)[0]
        local = datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)))
        return from_local(local, ctx.site_tz[requester.site.name])

    def _alert_arrivals(self):
        rng = self.rng
        clients = self.org.clients
        rates = [len(ctx.spec.servers) * 1.5 + ctx.spec.people / 12 for ctx in clients]
        per_day = TICKETS_PER_YEAR * self.scale * ALERT_SHARE / 365 / sum(rates)
        arrivals = []
        seq = 10**7
        for ctx, rate in zip(clients, rates):
            for day in self.days:
                for _ in range(self._poisson(per_day * rate)):
                    # Backups and maintenance fail at night; other checks at any hour.
                    hour = rng.choice((1, 2, 3, 4)) if rng.random() < 0.35 else rng.randint(0, 23)
                    at = from_local(datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59))),
                                    ctx.site_tz[ctx.sites[0].name])
                    if self.start <= at < self.anchor:
                        seq += 1
                        arrivals.append((at, seq, "alert", ctx, None))
        return arrivals

    # --- what a ticket says ---------------------------------------------------------------------
    def _prepare_templates(self, ctx):
        spec = ctx.spec
        software = set(spec.software) | STANDARD_SOFTWARE
        features = {
            "server": bool(spec.servers),
            "vpn": spec.has_vpn,
            "mac": "macOS" in software,
            "windows": "Windows 11" in software,
        }
        usable = []
        for template in TEMPLATES:
            if template.only and spec.code not in template.only:
                continue
            if template.needs and not features[template.needs]:
                continue
            if template.sw and not template.sw.startswith("{") and template.sw not in software:
                continue
            usable.append(template)
        per_key = {}
        for template in usable:
            per_key[template.key] = per_key.get(template.key, 0) + template.weight
        ctx.templates = usable
        ctx.template_weights = [SUBCATEGORY_WEIGHTS[t.key] * t.weight / per_key[t.key] for t in usable]

    def _vars(self, ctx, requester, site, created):
        rng = self.rng
        spec = ctx.spec
        others = [c for c in ctx.contacts if c is not requester]
        soon = created.date() + timedelta(days=rng.randint(3, 14))
        while soon.weekday() >= 5:
            soon += timedelta(days=1)
        lob = rng.choice(spec.lob)
        mac = "macOS" in spec.software
        return {
            "first": requester.first_name if requester else "",
            "name": requester.full_name if requester else "",
            "title": requester.title if requester else "",
            "phone": (requester.phone or requester.mobile) if requester else "",
            "client": spec.name,
            "room": rng.choice(spec.rooms),
            "site": site.name,
            "server": rng.choice(spec.servers) if spec.servers else f"{spec.code}-SRV01",
            "device": rng.choice(spec.devices),
            "printer": rng.choice(spec.printers),
            "folder": rng.choice(spec.folders),
            "lob": lob,
            "vendor": self.org.software[lob].vendor,
            "app": rng.choice(("Word", "Excel", "Outlook", "Teams")),
            "colleague": rng.choice(others).full_name,
            "newname": f"{rng.choice(people_texts.FIRST_NAMES)} {rng.choice(people_texts.LAST_NAMES)}",
            "date": f"{soon:%A} {soon.day} {soon:%B}",
            "n": rng.randint(2, 6),
            "domain": spec.domain,
            "wifi": f"{spec.code}-Staff",
            "sender": rng.choice(texts.PHISHING_SENDERS),
            "ref": f"{rng.choice('CSR')}{rng.randint(100000, 999999)}",
            "mailbox": f"{rng.choice(('accounts', 'info', 'reception', 'enquiries', 'admin'))}@{spec.domain}",
            "workstation": f"{spec.code}-{'MAC' if mac else 'LT'}{rng.randint(1, 60):03d}",
            "free": f"{rng.uniform(1.2, 9.5):.1f}",
            "percent": rng.randint(3, 9),
            "minutes": rng.randint(5, 90),
            "tech": "",
            "fix": "",
        }

    def _description(self, body, source, v):
        rng = self.rng
        if source == Source.EMAIL:
            signature = f"\n\n--\n{v['name']}\n{v['title']} | {v['client']}"
            if v["phone"]:
                signature += f"\n{v['phone']}"
            return f"{rng.choice(texts.GREETINGS)}\n\n{body}\n\n{rng.choice(texts.SIGNOFFS)}\n{v['first']}{signature}"
        if source == Source.PHONE:
            return f"{rng.choice(texts.PHONE_INTRO).format_map(v)}\n\n{body}"
        if source == Source.WALK_IN:
            return f"{rng.choice(texts.WALK_IN_INTRO).format_map(v)}\n\n{body}"
        return body

    def _new_ticket(self, ctx, *, requester, site, subject, description, source, type, impact, urgency, key, software,
                    queue=None):
        return Ticket(
            number=0,
            client=ctx.client,
            site=site,
            requester=requester,
            subject=subject[:255],
            description=description,
            type=type,
            impact=impact,
            urgency=urgency,
            priority=self.org.priority[(impact, urgency)],
            priority_overridden=False,
            category=self.org.categories[key],
            software=self.org.software.get(software) if software else None,
            source=source,
            queue=queue or self.org.queues["Service desk"],
        )

    def _tag(self, ticket, name):
        self.ticket_tags.append((ticket, self.org.tags[name]))

    # --- who does the work ------------------------------------------------------------------------
    def pick_tech(self, team, when, ctx=None):
        """A technician at work that day: mostly from ``team``, the client's usual one when possible."""
        rng = self.rng
        day = self.clock.work_date(when)
        working = [t for t in self.org.techs if self.clock.is_workday(day, t.username)] or self.org.techs
        members = [t for t in working if t.team == team] or working
        if ctx is not None and ctx.primary in members and rng.random() < 0.35:
            return ctx.primary
        # The projects team helps on the desk, so it takes a few of the everyday tickets too.
        helpers = [t for t in working if t.team != team] if team == people_texts.SERVICE_DESK else []
        pool = members + helpers
        weights = [m.spec.ticket_weight for m in members] + [m.spec.ticket_weight * HELPER_SHARE for m in helpers]
        return rng.choices(pool, weights=weights)[0]

    def _team_for(self, key, type):
        if key in INFRASTRUCTURE or (type == TicketType.CHANGE and self.rng.random() < 0.5):
            return people_texts.PROJECTS
        return people_texts.SERVICE_DESK

    def _tech_at_work(self, moment, ctx):
        """Who answers the phone now: a service-desk technician at work, or None out of hours."""
        if self.clock.next_work(moment) != moment:
            return None
        tech = self.pick_tech(people_texts.SERVICE_DESK, moment, ctx)
        if self.clock.next_work(moment, tech.username) == moment:
            return tech
        return next((t for t in self.org.techs if self.clock.next_work(moment, t.username) == moment), None)

    # --- everyday tickets -----------------------------------------------------------------------------
    def _regular(self, ctx, requester, created):
        rng = self.rng
        template = rng.choices(ctx.templates, weights=ctx.template_weights)[0]
        site = requester.site
        v = self._vars(ctx, requester, site, created)
        impact, urgency = template.iu
        if rng.random() < 0.1 and impact > 1:
            impact -= 1
        if rng.random() < 0.12:
            urgency = min(3, max(1, urgency + rng.choice((-1, 1))))
        if requester.is_vip and urgency > 1:
            urgency -= 1
        user = requester.user
        if user is not None and rng.random() < 0.5:
            source = Source.PORTAL
        else:
            roll = rng.random()
            source = Source.EMAIL if roll < 0.7 else Source.PHONE if roll < 0.96 else Source.WALK_IN
        desk_tech = None
        if source in (Source.PHONE, Source.WALK_IN):
            desk_tech = self._tech_at_work(created, ctx)
            if desk_tech is None:
                source = Source.EMAIL  # nobody takes calls outside office hours: they email instead
            else:
                v["tech"] = desk_tech.spec.first_name
        software = template.sw.format_map(v) if template.sw else None
        if software in self.org.software:
            v["vendor"] = self.org.software[software].vendor
        body = template.body.format_map(v)
        ticket = self._new_ticket(
            ctx, requester=requester, site=site, subject=template.subject.format_map(v),
            description=self._description(body, source, v), source=source, type=template.type, impact=impact,
            urgency=urgency, key=template.key, software=software,
        )
        for tag in template.tags:
            self._tag(ticket, tag)
        if source == Source.EMAIL and rng.random() < 0.05:
            cc = rng.choice(ctx.contacts)
            if cc is not requester:
                self.ticket_cc.append((ticket, cc))
        story = Story(self, ticket, created)
        self.stories.append(story)
        try:
            self._regular_story(story, ctx, template, requester, source, v, desk_tech)
        except Stop:
            pass

    def _regular_story(self, s, ctx, template, requester, source, v, desk_tech):
        rng = self.rng
        t = s.t
        team = self._team_for(template.key, template.type)
        contact_user = requester.user
        if desk_tech is not None:
            tech = desk_tech
            when = s.open(s.created, actor=tech.user, assignee=tech)
            if source == Source.PHONE:
                seconds = rng.randint(90, 720)
                when = s.message(when + timedelta(seconds=seconds), actor=tech.user, kind=EntryKind.CALL,
                                 body=f"{v['first']} called about this. Took the details and started looking.",
                                 call=(CallDirection.INBOUND, v["phone"], seconds))
                s.work(when, 0.4 + seconds / 900, f"Call with {v['first']}")
            else:
                self._tag(t, "onsite")
                when = s.message(when + timedelta(minutes=rng.randint(2, 10)), actor=tech.user, kind=EntryKind.NOTE,
                                 body=f"Raised in person while on site at {v['site']}. Had a first look at the desk.")
                s.work(when, 1.0, "On-site: first look")
        else:
            when = s.open(s.created, actor=contact_user if source == Source.PORTAL else None)
            lo, hi = TRIAGE_MINUTES[t.priority]
            when = self.clock.add_work(s.created, rng.uniform(lo, hi))
            tech = self.pick_tech(team, when, ctx)
            when = self.clock.next_work(when, tech.username)
            changes = {"assignee": tech, "status": TicketStatus.OPEN}
            if team == people_texts.PROJECTS:
                changes["queue"] = self.org.queues[people_texts.PROJECTS]
            if rng.random() < 0.025:
                changes["priority"] = min(4, max(1, t.priority + rng.choice((-1, 1))))
            triager = tech
            if team == people_texts.PROJECTS:
                triager = self.pick_tech(people_texts.SERVICE_DESK, when)
            v["tech"] = tech.spec.first_name
            when = s.update(when, triager.user, **changes)

        fixes = texts.FIXES[template.key]
        if template.fix is None:
            note, fix = rng.choice(fixes)
        else:
            note, fix = fixes[template.fix] if isinstance(template.fix, int) else template.fix
        note, fix = note.format_map(v), fix.format_map(v)
        v["fix"] = fix
        lo, hi = FIX_MINUTES[t.priority]
        fix_minutes = (lo + (hi - lo) * rng.random() ** 2) * EFFORT.get(template.key, 1.0)
        phoned = source in (Source.PHONE, Source.WALK_IN)  # the call itself was the first answer
        heavy = 1.5 if team == people_texts.PROJECTS else 1.0
        path = rng.choices(("quick", "confirm", "investigate", "customer", "vendor", "chase"),
                           weights=(40, 20, 15, 15, 7, 3))[0]
        hardware = "hardware-order" in template.tags
        if hardware and rng.random() < 0.7:
            path = "vendor"
        elif path == "vendor" and template.key != "Software/Line-of-business":
            path = "customer"  # only suppliers and software vendors get a case raised with them

        def reply(moment, text, weight=None, note_text="Replied to {first}"):
            at = s.message(moment, actor=tech.user, body=text.format_map(v))
            if weight:
                s.work(at, weight * heavy, note_text.format_map(v))
            return at

        def customer(moment, text, slowest=240):
            at = s.customer_after(ctx, moment, 5, slowest)
            if contact_user is not None and source == Source.PORTAL:
                return s.message(at, actor=contact_user, contact=requester, body=text.format_map(v))
            return s.message(at, contact=requester, kind=EntryKind.EMAIL, body=text.format_map(v))

        def fix_note(moment):
            at = s.message(moment, actor=tech.user, kind=EntryKind.NOTE, body=note)
            s.work(at, 1.5 * heavy, note.split(".")[0])
            return at

        def fix_reply(moment, tail=True):
            body = f"Hi {v['first']},\n\n{fix}"
            body += rng.choice(texts.RESOLVED_TAIL) if tail else "\n\nCould you let me know if that's working for you now?"
            return reply(moment, body + f"\n\n{v['tech']}", 0.6)

        start = when
        if path == "quick":
            when = fix_note(s.tech_after(start, fix_minutes))
            when = fix_reply(when + timedelta(minutes=rng.randint(1, 6)))
        elif path == "confirm":
            if not phoned:
                when = reply(s.tech_after(start, rng.uniform(0, 20)), rng.choice(texts.ACK), 0.3)
            when = fix_note(s.tech_after(when, fix_minutes))
            when = fix_reply(when + timedelta(minutes=rng.randint(1, 6)), tail=False)
            when = customer(when, rng.choice(texts.THANKS))
        elif path == "investigate":
            if not phoned:
                when = reply(s.tech_after(start, rng.uniform(0, 20)), rng.choice(texts.ACK), 0.3)
            when = s.update(when + timedelta(minutes=rng.randint(1, 10)), tech.user, status=TicketStatus.IN_PROGRESS)
            when = s.message(s.tech_after(when, fix_minutes / 3), actor=tech.user, kind=EntryKind.NOTE,
                             body=rng.choice(texts.IN_PROGRESS_NOTE).format_map(v))
            s.work(when, 1.0 * heavy, "Investigation")
            seconds = rng.randint(180, 1500)
            when = s.message(s.tech_after(when, fix_minutes / 2), actor=tech.user, kind=EntryKind.CALL,
                             body=rng.choice(texts.CALL_OUT).format_map(v),
                             call=(CallDirection.OUTBOUND, v["phone"], seconds))
            s.work(when, 0.5 + seconds / 900, f"Call with {v['first']}")
            when = fix_reply(when + timedelta(minutes=rng.randint(2, 15)))
        elif path == "customer":
            asks = texts.ASK_INCIDENT if template.type == TicketType.INCIDENT else texts.ASK_REQUEST
            question, answers = rng.choice(asks)
            when = reply(s.tech_after(start, rng.uniform(0, 30)), question, 0.4)
            when = s.update(when + timedelta(seconds=rng.randint(20, 120)), tech.user,
                            status=TicketStatus.WAITING_ON_CUSTOMER)
            # Some people answer within the hour, some take days.
            when = customer(when, rng.choice(answers), rng.choice((120, 600, 3000, 6000, 12000)))
            when = fix_note(s.tech_after(when, fix_minutes))
            when = fix_reply(when + timedelta(minutes=rng.randint(1, 6)))
        elif path == "vendor":
            if not phoned:
                when = reply(s.tech_after(start, rng.uniform(0, 30)), rng.choice(texts.ACK), 0.3)
            vendor_note = texts.SUPPLIER_NOTE if hardware else texts.VENDOR_NOTE
            when = s.message(s.tech_after(when, rng.uniform(15, 90)), actor=tech.user, kind=EntryKind.NOTE,
                             body=vendor_note.format_map(v))
            s.work(when, 0.6 * heavy, "Raised with supplier" if hardware else f"Raised case with {v['vendor']}")
            if not hardware:
                self._tag(t, "vendor-case")
            when = s.update(when + timedelta(seconds=rng.randint(30, 300)), tech.user,
                            status=TicketStatus.WAITING_ON_THIRD_PARTY)
            back = texts.SUPPLIER_BACK_NOTE if hardware else texts.VENDOR_BACK_NOTE
            when = s.message(s.tech_after(when, rng.uniform(480, 4000)), actor=tech.user, kind=EntryKind.NOTE,
                             body=rng.choice(back).format_map(v))
            s.work(when, 1.2 * heavy, "Supplier delivery: set-up" if hardware else f"Follow-up with {v['vendor']}")
            when = s.update(when + timedelta(seconds=rng.randint(30, 300)), tech.user, status=TicketStatus.IN_PROGRESS)
            when = fix_reply(s.tech_after(when, rng.uniform(10, 120)))
        else:  # the customer chases by phone
            if not phoned:
                when = reply(s.tech_after(start, rng.uniform(0, 30)), rng.choice(texts.ACK), 0.3)
            seconds = rng.randint(60, 400)
            moment = s.customer_after(ctx, when, 60, 600)
            when = s.message(self.clock.next_work(moment, tech.username), actor=tech.user, kind=EntryKind.CALL,
                             body=rng.choice(texts.CALL_IN).format_map(v),
                             call=(CallDirection.INBOUND, v["phone"], seconds))
            s.work(when, 0.3 + seconds / 900, f"Call from {v['first']}")
            when = fix_note(s.tech_after(when, fix_minutes))
            when = fix_reply(when + timedelta(minutes=rng.randint(1, 6)))

        if s.content < 2:
            when = fix_note(when + timedelta(minutes=1))
        when = s.update(when + timedelta(minutes=rng.randint(1, 5)), tech.user, status=TicketStatus.RESOLVED)
        if rng.random() < 0.04 and s.content <= 4:
            when = customer(when + timedelta(hours=rng.randint(4, 60)), rng.choice(texts.STILL_BROKEN))
            when = reply(s.tech_after(when, fix_minutes), rng.choice(texts.REOPEN_REPLY), 1.0, "Reopened: permanent fix")
            when = s.update(when + timedelta(minutes=rng.randint(1, 5)), tech.user, status=TicketStatus.RESOLVED)
        s.close_later()

    # --- monitoring alerts ------------------------------------------------------------------------------
    def _alert(self, ctx, created):
        rng = self.rng
        spec = ctx.spec
        alert = rng.choice([a for a in ALERTS if spec.servers or "{server}" not in a.subject])
        site = rng.choice(ctx.sites) if "{site}" in alert.subject else ctx.sites[0]
        v = self._vars(ctx, None, site, created)
        v["percent"] = rng.randint(91, 100) if "CPU" in alert.subject else rng.randint(3, 9)
        v["device"] = v["workstation"] if "{workstation}" in alert.subject else v["server"]
        if "{site}" in alert.subject:
            v["device"] = f"the {site.name} gateway"
        ticket = self._new_ticket(
            ctx, requester=None, site=site, subject=alert.subject.format_map(v), description=alert.body.format_map(v),
            source=Source.ALERT, type=TicketType.ALERT, impact=alert.impact, urgency=alert.urgency, key=alert.key,
            software=alert.software,
        )
        self._tag(ticket, "monitoring")
        story = Story(self, ticket, created)
        self.stories.append(story)
        try:
            self._alert_story(story, ctx, alert, v)
        except Stop:
            pass

    def _alert_story(self, s, ctx, alert, v):
        rng = self.rng
        when = s.open(s.created)
        if alert.remedy and rng.random() < 0.45:  # the agent's remediation works and the check recovers
            when = s.message(when + timedelta(minutes=rng.randint(2, 6)), kind=EntryKind.NOTE,
                             body=alert.remedy.format_map(v))
            when = s.message(when + timedelta(minutes=v["minutes"]), kind=EntryKind.NOTE,
                             body=rng.choice(texts.ALERT_CLEARED).format_map(v))
            when = s.update(when + timedelta(seconds=5), None, status=TicketStatus.RESOLVED)
            if rng.random() < 0.35:
                s.tech = self.pick_tech(people_texts.PROJECTS, self.clock.next_work(when), ctx)
                at = s.message(self.clock.next_work(when + timedelta(minutes=rng.randint(10, 240)), s.tech.username),
                               actor=s.tech.user, kind=EntryKind.NOTE, body=rng.choice(texts.ALERT_REVIEW))
                s.work(at, 0.5, f"Alert review: {s.t.subject}")
            s.close_later()
            return
        key = alert.key
        note = alert.fix
        if alert.remedy:
            when = s.message(when + timedelta(minutes=rng.randint(2, 6)), kind=EntryKind.NOTE,
                             body=alert.remedy.format_map(v) + " The check is still failing.")
        team = people_texts.PROJECTS if key in INFRASTRUCTURE or key == "Hardware/Server" else people_texts.SERVICE_DESK
        lo, hi = TRIAGE_MINUTES[s.t.priority]
        when = self.clock.add_work(when, rng.uniform(lo, hi))
        tech = self.pick_tech(team, when, ctx)
        changes = {"assignee": tech, "status": TicketStatus.OPEN}
        if team == people_texts.PROJECTS:
            changes["queue"] = self.org.queues[people_texts.PROJECTS]
        when = s.update(self.clock.next_work(when, tech.username), tech.user, **changes)
        when = s.update(when + timedelta(minutes=rng.randint(1, 20)), tech.user, status=TicketStatus.IN_PROGRESS)
        lo, hi = FIX_MINUTES[s.t.priority]
        when = s.message(s.tech_after(when, lo + (hi - lo) * rng.random() ** 2), actor=tech.user, kind=EntryKind.NOTE,
                         body=note.format_map(v))
        s.work(when, 1.6, note.split(".")[0])
        if rng.random() < 0.5:
            when = s.message(when + timedelta(minutes=rng.randint(5, 60)), actor=tech.user, kind=EntryKind.NOTE,
                             body="Checked again after the change: the check is green.")
        when = s.update(when + timedelta(minutes=rng.randint(1, 5)), tech.user, status=TicketStatus.RESOLVED)
        s.close_later()

    # --- outages: a whole client writes in --------------------------------------------------------------
    def _burst_plans(self):
        rng = self.rng
        count = round(BURSTS_PER_YEAR * self.scale) if self.scale >= 0.05 else 0
        count = max(count, 1) if self.scale >= 0.02 else 0
        big = [ctx for ctx in self.org.clients if ctx.spec.people >= 14]
        plans, used = [], set()
        for i in range(count):
            kind = BURST_KINDS[i % len(BURST_KINDS)]
            candidates = [c for c in big if kind != "fileserver" or c.spec.servers]
            ctx = rng.choice(candidates)
            for _ in range(100):
                day = rng.choice(self.days[:-3])
                if (self.clock.is_workday(day) and day not in ctx.school_days_off and day not in ctx.closures
                        and day.month != 8 and day not in used):
                    break
            used.add(day)
            plans.append((ctx, kind, day))
        return plans

    def _burst(self, ctx, kind, day, lead=None):
        rng = self.rng
        spec = ctx.spec
        burst = texts.BURSTS[kind]
        site = ctx.sites[0]
        tz = ctx.site_tz[site.name]
        start = from_local(datetime.combine(day, time(rng.randint(8, 10), rng.randint(0, 59))), tz)
        if start >= self.anchor:
            return
        people = [c for c in ctx.contacts if c.site is site] or ctx.contacts
        reports = min(len(people), rng.randint(10, 30))
        reporters = rng.sample(people, reports)
        times, moment = [], start
        for _ in reporters:
            moment += timedelta(minutes=rng.expovariate(1 / 7))
            times.append(moment)
        lead = lead or self.pick_tech(people_texts.PROJECTS, start, ctx)
        v = self._vars(ctx, ctx.key_contact, site, start)
        v["tech"] = lead.spec.first_name
        v["client"] = spec.name
        fixed_at = times[-1] + timedelta(minutes=rng.randint(20, 150))
        # The problem ticket, opened by the lead once a few reports are in.
        opened = times[min(2, len(times) - 1)] + timedelta(minutes=rng.randint(3, 12))
        problem = self._new_ticket(
            ctx, requester=ctx.key_contact, site=site, subject=burst["problem"].format_map(v),
            description=f"Several people at {site.name} report the same problem since about "
                        f"{to_local(times[0], tz):%H:%M}. Tracking the outage here; related tickets are linked.",
            source=Source.PHONE, type=TicketType.PROBLEM, impact=1, urgency=1, key=burst["key"], software=None,
            queue=self.org.queues[people_texts.PROJECTS],
        )
        self._tag(problem, burst["tag"])
        story = Story(self, problem, opened)
        self.stories.append(story)
        try:
            when = story.open(opened, actor=lead.user, assignee=lead)
            when = story.message(when + timedelta(minutes=rng.randint(3, 10)), actor=lead.user, kind=EntryKind.NOTE,
                                 body=burst["note"].format_map(v))
            story.work(when, 2.0, f"Outage: {problem.subject}")
            when = story.message(when + timedelta(minutes=rng.randint(2, 8)), actor=lead.user,
                                 body=f"Hi {v['first']},\n\nWe know about the problem at {site.name} and are working on it "
                                      f"now. I'll update you every hour.\n\n{v['tech']}")
            story.update(when + timedelta(minutes=1), lead.user, status=TicketStatus.IN_PROGRESS)
            when = story.message(fixed_at, actor=lead.user,
                                 body=f"Hi {v['first']},\n\n{burst['fix'].format_map(v)}\n\n{v['tech']}")
            story.work(when, 3.0, f"Outage fixed: {problem.subject}")
            story.update(when + timedelta(minutes=2), lead.user, status=TicketStatus.RESOLVED)
            story.close_later()
        except Stop:
            pass
        for requester, created in zip(reporters, times):
            self._burst_report(ctx, burst, problem, opened, fixed_at, requester, created, site)

    def _crisis(self, ctx, lead, day, workdays):
        """A phishing campaign that got through, then days of clean-up that fill ``lead``'s diary."""
        rng = self.rng
        while not (self.clock.is_workday(day, lead.username) and day not in ctx.closures):
            day += timedelta(days=1)
        self._burst(ctx, "phishing", day, lead)
        site = ctx.sites[0]
        opened = self.clock.next_work(from_local(datetime.combine(day + timedelta(days=1), time(9, 10)), PROVIDER_TZ),
                                      lead.username)
        ticket = self._new_ticket(
            ctx, requester=ctx.key_contact, site=site, subject=project_texts.CRISIS_SUBJECT,
            description=project_texts.CRISIS_DESCRIPTION, source=Source.PHONE, type=TicketType.INCIDENT, impact=1,
            urgency=2, key="Security/Phishing", software=None, queue=self.org.queues[people_texts.PROJECTS],
        )
        self._tag(ticket, "phishing")
        s = Story(self, ticket, opened)
        self.stories.append(s)
        v = self._vars(ctx, ctx.key_contact, site, opened)
        try:
            when = s.open(opened, actor=lead.user, assignee=lead)
            when = s.update(when + timedelta(minutes=rng.randint(2, 10)), lead.user, status=TicketStatus.IN_PROGRESS)
            current = self.clock.work_date(when)
            for _ in range(workdays):
                morning = from_local(datetime.combine(current, time(9, rng.randint(15, 50))), PROVIDER_TZ)
                when = max(when, self.clock.next_work(morning, lead.username))
                for note in rng.sample(project_texts.CRISIS_NOTES, 3):
                    when = s.message(s.tech_after(when, rng.uniform(70, 130)), actor=lead.user, kind=EntryKind.NOTE,
                                     body=note.format_map(v))
                    s.work(when, rng.uniform(5, 8), note.format_map(v))
                current = self.clock.work_date(self.clock.next_work(
                    from_local(datetime.combine(current + timedelta(days=1), time(8, 30)), PROVIDER_TZ), lead.username))
            when = s.message(when + timedelta(minutes=rng.randint(5, 30)), actor=lead.user,
                             body=f"Hi {v['first']},\n\n{project_texts.CRISIS_DONE}\n\n{lead.spec.first_name}")
            s.update(when + timedelta(minutes=2), lead.user, status=TicketStatus.RESOLVED)
            s.close_later()
        except Stop:
            pass

    def _burst_report(self, ctx, burst, problem, opened, fixed_at, requester, created, site):
        rng = self.rng
        v = self._vars(ctx, requester, site, created)
        source = rng.choices((Source.EMAIL, Source.PHONE, Source.PORTAL), weights=(70, 25, 5))[0]
        if source == Source.PORTAL and requester.user is None:
            source = Source.EMAIL
        tech = self._tech_at_work(created, ctx)
        if tech is None:
            tech = self.pick_tech(people_texts.SERVICE_DESK, created, ctx)
            if source == Source.PHONE:
                source = Source.EMAIL
        impact, urgency = (3, 2) if burst["tag"] == "phishing" else (3, 1)
        body = rng.choice(burst["bodies"]).format_map(v)
        ticket = self._new_ticket(
            ctx, requester=requester, site=site, subject=rng.choice(burst["subjects"]).format_map(v),
            description=self._description(body, source, v), source=source, type=TicketType.INCIDENT, impact=impact,
            urgency=urgency, key=burst["key"], software=None,
        )
        self._tag(ticket, burst["tag"])
        story = Story(self, ticket, created)
        self.stories.append(story)
        v["tech"] = tech.spec.first_name
        try:
            if source == Source.PHONE:
                when = story.open(created, actor=tech.user, assignee=tech)
                seconds = rng.randint(60, 300)
                when = story.message(when + timedelta(seconds=seconds), actor=tech.user, kind=EntryKind.CALL,
                                     body=f"{v['first']} called about the problem; told them we're on it.",
                                     call=(CallDirection.INBOUND, v["phone"], seconds))
            else:
                when = story.open(created, actor=requester.user if source == Source.PORTAL else None)
                triage = max(created + timedelta(minutes=rng.randint(3, 20)), opened + timedelta(minutes=1))
                when = story.update(self.clock.next_work(triage, tech.username), tech.user, assignee=tech,
                                    status=TicketStatus.OPEN)
            when = story.set_parent(max(when, opened) + timedelta(seconds=rng.randint(30, 300)), tech.user, problem)
            if source != Source.PHONE:
                when = story.message(when + timedelta(seconds=rng.randint(20, 200)), actor=tech.user,
                                     body=f"Hi {v['first']},\n\nThanks – we're aware of this and working on it. "
                                          f"We'll let you know as soon as it's fixed.\n\n{v['tech']}")
            story.work(when, 0.3, f"Outage report from {v['first']}")
            when = story.message(max(when, fixed_at) + timedelta(minutes=rng.randint(5, 40)), actor=tech.user,
                                 body=f"Hi {v['first']},\n\n{burst['fix'].format_map(v)}\n\n{v['tech']}")
            story.update(when + timedelta(minutes=1), tech.user, status=TicketStatus.RESOLVED)
            story.close_later()
        except Stop:
            pass
