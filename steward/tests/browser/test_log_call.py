"""Logging a phone call in the browser: find the caller by part of their number, file the call."""

import re

import pytest
from playwright.sync_api import expect

from steward.accounts.tests.fixtures import PASSWORD
from steward.clients.services import create_contact
from steward.desk.choices import EntryKind
from steward.desk.models import Ticket, TicketEntry
from steward.tests.browser.conftest import sign_in
from steward.work.models import TimeEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dana(technician, client_a):
    return create_contact(
        technician, client=client_a, first_name="Dana", last_name="Scully", email="dana@acme.test",
        phone="+44 20 7946 0777", mobile="07700 900123",
    )


@pytest.fixture
def danas_ticket(technician, client_a, dana):
    from steward.desk import services

    return services.open_ticket(technician, client=client_a, requester=dana, subject="VPN drops every hour")


def pick_caller(page, typed, name):
    page.goto("/calls/new/")
    page.get_by_label("Phone number or name").fill(typed)
    option = page.get_by_role("option").filter(has_text=name)
    expect(option).to_contain_text("Acme Dental")
    option.click()
    expect(page.locator("#caller-card")).to_contain_text(name)
    # the way back is readable: link-styled buttons used to keep the buttons' white text on the light card
    change = page.get_by_role("button", name="Change caller")
    expect(change).to_be_visible()
    expect(change).not_to_have_css("color", "rgb(255, 255, 255)")


def test_call_from_a_known_caller_lands_on_their_open_ticket(page, technician, dana, danas_ticket, ticket_a):
    # given a technician, and Dana of Acme who has an open ticket
    sign_in(page, "tom", PASSWORD)

    # when they type part of Dana's number and pick her from the matches
    pick_caller(page, "7946 0777", "Dana Scully")

    # then Dana's open ticket is offered (Bob's ticket of the same client is not)
    target = page.get_by_role("radio", name=re.compile(rf"#{danas_ticket.number}"))
    expect(target).to_be_visible()
    expect(page.locator(".call-target")).not_to_contain_text(ticket_a.subject)

    # when the call goes on that ticket with its duration and notes
    target.check()
    page.get_by_label("Duration").fill("4:30")
    page.get_by_label("Notes").fill("Dana says the VPN dropped twice this morning; asked her to send the client log.")
    page.get_by_role("button", name="Log call").click()

    # then the ticket page shows the call on the timeline with its duration, and the time logged
    expect(page).to_have_url(re.compile(rf"/tickets/{danas_ticket.number}/$"))
    expect(page.get_by_text(f"Call logged and added to #{danas_ticket.number}.")).to_be_visible()
    call = page.locator("#timeline .entry-call")
    expect(call).to_have_count(1)
    expect(call).to_contain_text("Inbound call")
    expect(call).to_contain_text("4 min 30 s")
    expect(call).to_contain_text("VPN dropped twice")
    expect(page.locator("#ticket-time h2")).to_contain_text("5 min logged")
    entry = TicketEntry.objects.get(ticket=danas_ticket, kind=EntryKind.CALL)
    assert entry.call_duration_seconds == 270
    time_entry = TimeEntry.objects.get(ticket=danas_ticket)
    assert (time_entry.duration_minutes, time_entry.technician) == (5, technician)


def test_call_can_open_a_new_ticket_for_the_caller(page, technician, dana, danas_ticket):
    sign_in(page, "tom", PASSWORD)
    pick_caller(page, "Dana", "Dana Scully")

    # when the technician chooses a new ticket instead of the open one
    page.get_by_role("radio", name="Open a new ticket").check()
    page.get_by_role("radio", name="Outbound").check()
    page.get_by_label("Duration").fill("2")
    page.get_by_label("Subject").fill("New starter needs a laptop on Monday")
    page.get_by_role("button", name="Log call").click()

    # then a new phone ticket for Dana opens, with the call on it
    expect(page.get_by_text(re.compile(r"Call logged and opened #\d+\."))).to_be_visible()
    expect(page.get_by_role("heading", name="New starter needs a laptop on Monday", level=1)).to_be_visible()
    expect(page.locator("#timeline .entry-call")).to_contain_text("Outbound call")
    expect(page.locator("#timeline .entry-call")).to_contain_text("2 min 00 s")
    ticket = Ticket.objects.get(subject="New starter needs a laptop on Monday")
    assert (ticket.requester, ticket.source) == (dana, "phone")
    assert TimeEntry.objects.get(ticket=ticket).duration_minutes == 2
