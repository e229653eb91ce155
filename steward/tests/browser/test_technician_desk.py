"""A technician's day in the desk, in a real browser: filter the queue, open a ticket, work it."""

import re

import pytest
from playwright.sync_api import expect

from steward.accounts.tests.fixtures import PASSWORD
from steward.desk import services
from steward.desk.choices import Impact, Source, Urgency
from steward.tests.browser.conftest import sign_in
from steward.work.models import TimeEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server_down(technician, client_a, client_a_admin):
    """A P1 of Acme next to ticket_a (a P3 of Acme) and ticket_b (Birch)."""
    return services.open_ticket(
        technician, client=client_a, requester=client_a_admin.contact, subject="Practice server is down",
        impact=Impact.HIGH, urgency=Urgency.HIGH, source=Source.PHONE,
    )


def queue_rows(page):
    return page.locator("#queue-list tbody tr")


def test_technician_filters_the_queue_opens_a_ticket_and_works_it(page, technician, ticket_a, ticket_b, server_down):
    # given a signed-in technician on the queue, with three open tickets of two clients
    sign_in(page, "tom", PASSWORD)
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    expect(queue_rows(page)).to_have_count(3)

    # when they pick a client, the list narrows to that client's tickets
    page.get_by_label("Client", exact=True).select_option(label="Acme Dental")
    expect(queue_rows(page)).to_have_count(2)
    expect(page.locator("#queue-list")).not_to_contain_text(ticket_b.subject)
    expect(page).to_have_url(re.compile(r"client=\d+"))

    # and P1 only, to the one urgent ticket
    page.locator("summary", has_text="Priority").click()
    page.get_by_label("P1", exact=True).check()
    expect(queue_rows(page)).to_have_count(1)
    expect(queue_rows(page).first).to_contain_text(server_down.subject)

    # when they clear the filters and open the Acme printer ticket
    page.get_by_role("link", name="Clear filters").first.click()
    expect(queue_rows(page)).to_have_count(3)
    page.get_by_role("link", name=ticket_a.subject).click()
    expect(page.get_by_role("heading", name=ticket_a.subject, level=1)).to_be_visible()
    header = page.locator("#ticket-header")
    timeline = page.locator("#timeline")

    # and reply to the requester
    page.get_by_label("Message").fill("Hi Bob, I have ordered a new pickup roller; it arrives tomorrow.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status").filter(has_text="Reply sent.")).to_be_visible()
    reply = timeline.locator(".entry-reply", has_text="ordered a new pickup roller")
    expect(reply).to_be_visible()
    expect(reply).to_contain_text("Tom Tech")
    expect(reply.locator(".badge.internal")).to_have_count(0)

    # and add an internal note, which the timeline marks as internal
    page.get_by_label("Internal note").check()
    expect(page.get_by_role("button", name="Add note")).to_be_visible()
    page.get_by_label("Message").fill("Roller part no. RM2-5452; the client's warranty covers it.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status").filter(has_text="Internal note added.")).to_be_visible()
    note = timeline.locator(".entry-note", has_text="RM2-5452")
    expect(note).to_have_class(re.compile(r"\bentry-internal\b"))
    expect(note.locator(".badge.internal")).to_have_text("Internal")

    # and log 15 minutes: the ticket's total says so
    time_panel = page.locator("#ticket-time")
    expect(time_panel.get_by_role("heading", name=re.compile("Time"))).to_contain_text("0 min logged")
    time_panel.get_by_label("Duration").fill("15m")
    time_panel.get_by_label("Note").fill("Diagnosed the jam, ordered the part.")
    time_panel.get_by_role("button", name="Log time").click()
    expect(time_panel.get_by_role("status")).to_have_text("Logged 15 min.")
    expect(time_panel.get_by_role("heading", name=re.compile("Time"))).to_contain_text("15 min logged")
    assert TimeEntry.objects.get(ticket=ticket_a).duration_minutes == 15

    # and change the status: the header shows the new one and the timeline the change
    # (the first reply moved it from New to Open)
    expect(header.locator("#field-status")).to_contain_text("Open")
    header.get_by_role("button", name="Change status (e)").click()
    page.locator("#field-status").get_by_role("combobox", name="Status").select_option(label="Waiting on customer")
    page.locator("#field-status").get_by_role("button", name="Save").click()
    expect(header.locator("#field-status")).to_contain_text("Waiting on customer")
    expect(header.locator("#field-status form")).to_have_count(0)
    expect(timeline.locator(".entry-event").last).to_contain_text("Tom Tech changed status from Open to Waiting on customer")

    # and after a reload everything is still there, in order
    page.reload()
    expect(page.locator("#field-status")).to_contain_text("Waiting on customer")
    expect(page.locator("#ticket-time h2")).to_contain_text("15 min logged")
    entries = page.locator("#timeline .entry")
    texts = entries.all_inner_texts()
    reply_at = next(i for i, text in enumerate(texts) if "pickup roller" in text)
    note_at = next(i for i, text in enumerate(texts) if "RM2-5452" in text)
    assert reply_at < note_at < len(texts) - 1
    expect(entries.last).to_contain_text("changed status from Open to Waiting on customer")


def test_keyboard_j_and_k_move_through_the_queue_and_o_opens(page, technician, ticket_a, ticket_b, server_down):
    # given the queue, nothing selected yet
    sign_in(page, "tom", PASSWORD)
    rows = queue_rows(page)
    expect(rows).to_have_count(3)
    numbers = rows.evaluate_all("rows => rows.map(r => r.dataset.number)")
    current = page.locator("#queue-list tbody tr.is-current")
    expect(current).to_have_count(0)

    # when j is pressed twice, the cursor goes down to the second row; k brings it back up
    page.keyboard.press("j")
    expect(current).to_have_attribute("data-number", numbers[0])
    page.keyboard.press("j")
    expect(current).to_have_attribute("data-number", numbers[1])
    expect(current).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(current).to_have_attribute("data-number", numbers[1])
    expect(current).to_have_count(1)

    # and o opens the ticket under the cursor
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(rf"/tickets/{numbers[1]}/$"))
    expect(page.locator(".ticket-number")).to_have_text(f"#{numbers[1]}")
