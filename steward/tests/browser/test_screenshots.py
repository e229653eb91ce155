"""Pictures of the main pages for the documentation (docs/screenshots/), taken on believable data.

The demo builder at a small scale gives the provider: 15 clients with sites, contacts,
contracts and a year of mostly closed tickets and timesheets. On top, this file opens
today's work through the desk's services (the way a day at the desk would make it) and
dates each step back, so the queue, a ticket, a call and the portal look lived in.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from steward import demo
from steward.accounts.models import User
from steward.clients.models import Client, Contact
from steward.demo.builder import build_demo
from steward.desk import calls, services
from steward.desk.choices import (
    CallDirection,
    Impact,
    Source,
    TicketStatus,
    TicketType,
    Urgency,
)
from steward.desk.models import Ticket, TicketEntry
from steward.tests.browser.conftest import sign_in
from steward.work import services as work_services
from steward.work import weeks

pytestmark = pytest.mark.django_db(transaction=True)

BEN = demo.CLIENT_USER_USERNAME  # Ben Carter, trainee solicitor at Whitcombe & Lowe


@dataclass
class Today:
    """What the pages show: the tickets the screenshots are about."""

    tickets: dict = field(default_factory=dict)
    client: Client | None = None
    caller: Contact | None = None


class Story:
    """One ticket's history, written through the services, each step dated ``minutes`` ago."""

    def __init__(self, code, person, subject, minutes, *, description="", impact=Impact.LOW, urgency=Urgency.MEDIUM,
                 source=Source.EMAIL, type=TicketType.INCIDENT, assignee=None, actor=None):
        client = Client.objects.get(short_code=code)
        self.requester = contact(client, person)
        self.last = None
        actor = actor or self.requester.user or staff(assignee or "priya")
        self.ticket = services.open_ticket(
            actor, client=client, requester=self.requester, subject=subject, description=description, impact=impact,
            urgency=urgency, source=source, type=type, assignee=staff(assignee) if assignee else None,
        )
        self.date(minutes)

    def date(self, minutes):
        when = timezone.now() - timedelta(minutes=minutes)
        entries = TicketEntry.objects.filter(ticket=self.ticket)
        if self.last is None:
            Ticket.objects.filter(pk=self.ticket.pk).update(created_at=when)
        else:
            entries = entries.filter(pk__gt=self.last)
        entries.update(created_at=when)
        self.last = TicketEntry.objects.filter(ticket=self.ticket).order_by("-pk").values_list("pk", flat=True).first()
        Ticket.objects.filter(pk=self.ticket.pk).update(updated_at=when)
        self.ticket.refresh_from_db()
        return self

    def reply(self, who, body, minutes, *, status=None):
        actor = staff(who)
        services.reply_to_ticket(self.ticket, actor, body=body, status=status)
        return self.date(minutes)

    def customer(self, body, minutes):
        services.add_message(self.ticket, self.requester.user, body=body, author_contact=self.requester)
        return self.date(minutes)

    def note(self, who, body, minutes):
        services.add_internal_note(self.ticket, staff(who), body=body)
        return self.date(minutes)

    def status(self, who, status, minutes):
        services.update_ticket(self.ticket, staff(who), {"status": status})
        return self.date(minutes)

    def time(self, who, minutes_spent, note):
        # Within this week: the demo has already submitted last week's timesheets, which refuse new time.
        this_week_start, _ = weeks.week_range(weeks.current_week())
        started = max(timezone.now() - timedelta(minutes=minutes_spent), this_week_start)
        work_services.log_time(staff(who), ticket=self.ticket, duration_minutes=minutes_spent, note=note, started_at=started)
        return self

    def call(self, who, seconds, notes, minutes, direction=CallDirection.INBOUND):
        calls.log_call(
            staff(who), contact=self.requester, caller_number=self.requester.phone or self.requester.mobile,
            ticket=self.ticket, direction=direction, duration_seconds=seconds, notes=notes,
        )
        return self.date(minutes)


def staff(username):
    return User.objects.get(username=username)


def contact(client, person):
    first, _, last = person.partition(" ")
    found = Contact.objects.filter(client=client, first_name=first, last_name=last).first()
    return found or Contact.objects.filter(client=client, is_active=True).order_by("pk")[len(person) % 7]


def todays_work() -> Today:
    today = Today(client=Client.objects.get(short_code="WLAW"))
    jonathan = Story(
        "WLAW", "Jonathan Whitcombe", "Cannot open client matter files in Clio", 185, source=Source.PHONE,
        impact=Impact.MEDIUM, urgency=Urgency.HIGH, assignee="tom", actor=staff("tom"),
        description="Jonathan rang: every matter he opens in Clio shows “document locked by another user”. "
        "Amanda Lowe sees the same since this morning.",
    )
    jonathan.call("tom", 372, "Jonathan called from the York office; two partners affected, court bundle due at 4pm.", 184)
    jonathan.note("tom", "Clio sync service on WLAW-DC01 stopped at 07:52 after the Windows update. Restarting it "
                  "and clearing the lock table; Marek to check the update ring tonight.", 160)
    jonathan.time("tom", 25, "Diagnosed the lock errors; restarted the Clio sync service.")
    jonathan.reply("tom", "Hi Jonathan,\n\nThe sync service on your server stopped after last night's update. I have "
                   "restarted it and released the stale locks, so the matters should open again. Could you try the "
                   "Henderson bundle and let me know?\n\nTom", 150)
    jonathan.customer("That's working now, thank you. Amanda is back in too.", 95)
    jonathan.status("tom", TicketStatus.IN_PROGRESS, 90)
    jonathan.note("tom", "Leaving open until tonight's update ring is moved for WLAW-DC01.", 88)
    jonathan.time("tom", 15, "Confirmed with the partners; scheduled the update ring change.")
    today.tickets["clio"] = jonathan.ticket

    outlook = Story(
        "WLAW", "Ben Carter", "Outlook keeps asking for my password", 1560, source=Source.PORTAL,
        description="Since yesterday afternoon Outlook asks for my password every few minutes, even though I type it "
        "correctly. Webmail works fine.",
    )
    outlook.reply("priya", "Hi Ben,\n\nThanks for reporting this. Could you close Outlook, sign out of Office "
                  "(File › Office account › Sign out), sign in again and tell me whether the prompt comes back?\n\n"
                  "Priya", 1500)
    outlook.customer("I did that but it still asks every ten minutes or so.", 320)
    outlook.note("priya", "Stale MFA token: revoked his sessions in Entra ID and re-registered the Authenticator app.", 300)
    outlook.time("priya", 20, "Revoked sessions, re-registered MFA.")
    outlook.reply("priya", "Hi Ben, I have reset your sign-in sessions. When Outlook next asks, approve the prompt in "
                  "the Authenticator app once; after that it should stay quiet. Let me know either way.", 295,
                  status=TicketStatus.WAITING_ON_CUSTOMER)
    today.tickets["outlook"] = outlook.ticket

    acrobat = Story(
        "WLAW", "Ben Carter", "Adobe Acrobat Pro licence for court bundles", 4300, source=Source.PORTAL,
        type=TicketType.SERVICE_REQUEST, urgency=Urgency.LOW,
        description="I am preparing bundles for the Marsh matter and need to merge and paginate PDFs.",
    )
    acrobat.reply("aisha", "Hi Ben, Claire has approved the licence; I will assign it this afternoon.", 4000)
    acrobat.status("aisha", TicketStatus.RESOLVED, 3900)
    monitor = Story("WLAW", "Ben Carter", "Second monitor flickers when docked", 9000, source=Source.PORTAL)
    monitor.reply("daniel", "Swapped the DisplayPort cable at your desk this morning; it should be steady now.", 8600,
                  status=TicketStatus.RESOLVED)

    Story("HARB", "", "X-ray imaging PC will not boot in surgery 2", 38, impact=Impact.HIGH, urgency=Urgency.HIGH,
          source=Source.PHONE, assignee="daniel").note(
        "daniel", "BIOS beeps 3 times: memory. On my way with a spare DIMM.", 30)
    Story("PENN", "", "CNC workstation lost the drawings share", 130, impact=Impact.MEDIUM, urgency=Urgency.HIGH)
    Story("STAL", "", "Year 4 whiteboard not detected after half term", 260, assignee="aisha").reply(
        "aisha", "I will be on site at lunchtime to reseat the USB extender.", 240)
    Story("NGL", "", "Label printer in dispatch prints offset", 1400, impact=Impact.MEDIUM, assignee="marek").status(
        "marek", TicketStatus.WAITING_ON_THIRD_PARTY, 1300)
    Story("OAKV", "", "New starter: account for locum vet from Monday", 600, type=TicketType.SERVICE_REQUEST,
          urgency=Urgency.LOW, source=Source.PORTAL)
    Story("ASHC", "", "Sage Payroll update fails with error 1603", 75, impact=Impact.MEDIUM, assignee="priya").status(
        "priya", TicketStatus.IN_PROGRESS, 60)
    Story("MERL", "", "Reception reported a phishing email about a parcel", 20, impact=Impact.MEDIUM,
          urgency=Urgency.HIGH)
    Story("SAFF", "", "Till at the Leeds restaurant cannot reach the card terminal", 12, impact=Impact.MEDIUM,
          urgency=Urgency.HIGH, source=Source.PHONE)
    today.caller = contact(today.client, "Jonathan Whitcombe")
    return today


@pytest.fixture
def provider():
    build_demo(seed=42, scale=0.05)
    return todays_work()


def test_screenshots_of_the_main_pages(page, new_page, provider, screenshot):
    clio = provider.tickets["clio"]

    # The desk, as Priya of the service desk sees it
    sign_in(page, demo.TECHNICIAN_USERNAME, demo.TECHNICIAN_PASSWORD)
    expect(page.locator("#queue-list tbody tr")).to_have_count(Ticket.objects.open().count())
    screenshot(page, "queue")

    page.goto(f"/tickets/{clio.number}/")
    expect(page.locator("#timeline .entry-call")).to_be_visible()
    screenshot(page, "ticket", full_page=True)

    page.goto("/calls/new/")
    page.get_by_label("Phone number or name").fill("Whitcombe")
    page.get_by_role("option").filter(has_text=provider.caller.full_name).click()
    expect(page.get_by_role("radio", name=f"Add to #{clio.number}", exact=False)).to_be_visible()
    page.get_by_label("Duration").fill("3:40")
    page.get_by_label("Notes").fill("Jonathan confirms the Henderson bundle opens again.")
    screenshot(page, "log-call")

    page.goto("/clients/")
    expect(page.get_by_role("link", name=provider.client.name)).to_be_visible()
    screenshot(page, "clients")

    page.get_by_role("link", name=provider.client.name).click()
    expect(page.get_by_role("heading", name=provider.client.name, level=1)).to_be_visible()
    screenshot(page, "client")

    # The portal, as Ben Carter of Whitcombe & Lowe sees it
    portal = new_page()
    portal.goto("/portal/login/")
    expect(portal.get_by_label("Username or email")).to_be_visible()
    screenshot(portal, "portal-sign-in")
    portal.get_by_label("Username or email").fill(BEN)
    portal.get_by_label("Password").fill(demo.PORTAL_PASSWORD)
    portal.get_by_role("button", name="Sign in").click()
    expect(portal.get_by_role("heading", name="My requests")).to_be_visible()
    screenshot(portal, "portal-requests")

    portal.get_by_role("link", name="Outlook keeps asking for my password").click()
    expect(portal.locator(".portal-timeline .entry-reply").first).to_be_visible()
    expect(portal.locator("main")).not_to_contain_text("Stale MFA token")
    screenshot(portal, "portal-request", full_page=True)

    portal.get_by_role("link", name="New request").click()
    expect(portal.get_by_label("Subject")).to_be_visible()
    screenshot(portal, "portal-new-request")


def test_screenshots_of_the_planning_pages(page, provider, screenshot):
    from steward.projects.choices import ProjectStatus
    from steward.projects.models import Project

    # Planning as the provider's admin sees it: timesheets, the portfolio with its risks, reports
    from steward.work import weeks

    sign_in(page, demo.ADMIN_USERNAME, demo.ADMIN_PASSWORD)
    last_week = weeks.shift_week(weeks.current_week(), -1)
    marek = User.objects.get(username="marek")
    page.goto(f"/time/technicians/{marek.pk}/{last_week}/")
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    screenshot(page, "timesheet")

    page.goto("/projects/")
    expect(page.locator("main")).to_contain_text("at risk")
    screenshot(page, "projects", full_page=True)

    at_risk = (
        Project.objects.filter(status__in=[ProjectStatus.ACTIVE, ProjectStatus.PLANNED], forecasts__isnull=False)
        .order_by("forecasts__probability_on_time")
        .first()
    )
    page.goto(f"/projects/{at_risk.pk}/")
    expect(page.locator("main svg").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("90%")
    screenshot(page, "project", full_page=True)

    page.goto(f"/projects/{at_risk.pk}/timeline/")
    expect(page.locator("main svg").first).to_be_visible()
    screenshot(page, "project-timeline")

    page.goto("/reports/hours/?period=12m")
    expect(page.locator("main svg").first).to_be_visible()
    screenshot(page, "hours-report", full_page=True)
