"""The client portal in the browser: a request with a file, the technician's answer, and no leaks."""

import re

import pytest
from playwright.sync_api import expect

from steward.accounts.tests.fixtures import PASSWORD
from steward.desk.models import Ticket
from steward.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "Scanner on reception saves blank pages"
REPLY = "Hi Bob, the scanner's glass needed cleaning; please try again and tell us if it still happens."
NOTE = "Internal: Acme's scanner is out of warranty since March; quote a replacement if it fails again."
SCAN_LOG = b"2026-03-02 09:14 scan job 118: 3 pages, 0 bytes of image data\n"


def sign_in_portal(page, username):
    page.goto("/portal/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My requests")).to_be_visible()


def test_client_user_opens_a_request_sees_the_reply_but_not_the_note(
    page, new_page, technician, client_a_user, client_b_user
):
    # given Bob of Acme, signed in to the portal
    sign_in_portal(page, "bob")

    # when he opens a request with a file attached
    page.get_by_role("link", name="New request").first.click()
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Description").fill("Since this morning every scan comes out blank. I attached the scanner's log.")
    page.get_by_label("Attachments").set_input_files(
        files=[{"name": "scan-log.txt", "mimeType": "text/plain", "buffer": SCAN_LOG}]
    )
    page.get_by_role("button", name="Send request").click()

    # then he lands on his request, which shows the file
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    expect(page.get_by_text(re.compile(r"Request #\d+ is open"))).to_be_visible()
    expect(page.get_by_role("link", name="scan-log.txt")).to_be_visible()
    ticket = Ticket.objects.get(subject=SUBJECT)
    request_url = f"/portal/requests/{ticket.number}/"
    assert page.url.endswith(request_url)

    # when a technician, at another desk, finds it in the desk, replies and adds an internal note
    desk = new_page()
    sign_in(desk, "tom", PASSWORD)
    desk.get_by_role("link", name=SUBJECT).click()
    expect(desk.locator(".ticket-description").get_by_role("link", name="scan-log.txt")).to_be_visible()
    desk.get_by_label("Message").fill(REPLY)
    desk.get_by_role("button", name="Send reply").click()
    expect(desk.locator("#timeline .entry-reply")).to_contain_text("scanner's glass")
    desk.get_by_label("Internal note").check()
    desk.get_by_label("Message").fill(NOTE)
    desk.get_by_role("button", name="Add note").click()
    expect(desk.locator("#timeline .entry-note")).to_contain_text("out of warranty")

    # then Bob sees the technician's reply, and nothing of the internal note
    page.reload()
    timeline = page.locator(".portal-timeline")
    expect(timeline.locator(".entry-reply")).to_contain_text(REPLY)
    expect(timeline.locator(".entry-reply")).to_contain_text("Tom Tech")
    expect(timeline).not_to_contain_text("out of warranty")
    expect(page.locator("body")).not_to_contain_text("Internal")
    expect(timeline.locator(".entry-note")).to_have_count(0)

    # and his list shows the request as answered by the desk
    page.get_by_role("link", name="My requests").first.click()
    expect(page.get_by_role("link", name=re.compile(SUBJECT))).to_be_visible()

    # when Charlie of Birch, signed in to the same portal, opens that request's address
    charlie = new_page()
    sign_in_portal(charlie, "charlie")
    expect(charlie.locator("main")).not_to_contain_text(SUBJECT)
    response = charlie.goto(request_url)

    # then he gets the not-found page, and nothing of Acme's request
    assert response.status == 404
    expect(charlie.locator("body")).to_contain_text("Not Found")
    expect(charlie.locator("body")).not_to_contain_text(SUBJECT)
    expect(charlie.locator("body")).not_to_contain_text("scan-log.txt")
