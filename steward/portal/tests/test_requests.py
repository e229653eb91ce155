"""Portal requests: open, list, read the public timeline, reply, reopen; nobody sees another's."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.desk import services
from steward.desk.choices import CallDirection, EntryKind, Source, TicketStatus
from steward.desk.models import Ticket
from steward.desk.services import CallDetails


@pytest.fixture
def bob(client, client_a_user):
    client.force_login(client_a_user)
    return client


@pytest.fixture
def alice(client, client_a_admin):
    client.force_login(client_a_admin)
    return client


@pytest.fixture
def ticket_of_alice(technician, client_a, client_a_admin):
    return services.open_ticket(technician, client=client_a, requester=client_a_admin.contact, subject="Alice's laptop is slow")


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Opening a request ----------------------------------------------------------


def test_open_request_with_attachments(bob, client_a, client_a_user, printers):
    # when Bob opens a request with two files
    response = bob.post(
        "/portal/requests/new/",
        {
            "subject": "Scanner offline",
            "description": "Since this morning.",
            "category": printers.pk,
            "attachments": [SimpleUploadedFile("error.png", b"\x89PNG..."), SimpleUploadedFile("log.txt", b"log")],
        },
    )
    # then the desk has it, from the portal, with Bob as requester, and he lands on it
    ticket = Ticket.objects.get(subject="Scanner offline")
    assert response["Location"] == f"/portal/requests/{ticket.number}/"
    assert (ticket.client, ticket.requester, ticket.source, ticket.category) == (
        client_a, client_a_user.contact, Source.PORTAL, printers
    )
    html = page(bob.get(response["Location"]))
    assert f"Request #{ticket.number} is open" in html
    for attachment in ticket.attachments.all():
        assert f'href="/attachments/{attachment.pk}/">{attachment.filename}</a>' in html
    assert "Since this morning." in html


def test_oversized_attachment_is_refused_with_the_limit_and_text_kept(bob, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = bob.post(
        "/portal/requests/new/",
        {"subject": "Big scan", "description": "See the scan", "attachments": [SimpleUploadedFile("scan.pdf", b"x" * 2048)]},
    )
    html = page(response)
    assert "&#x27;scan.pdf&#x27; is 2 KB; attachments may be at most 1 KB." in html
    assert 'value="Big scan"' in html and "See the scan</textarea>" in html
    assert "choose the files again" in html
    assert not Ticket.objects.filter(subject="Big scan").exists()


def test_empty_attachment_and_missing_subject_are_field_errors(bob):
    html = page(bob.post("/portal/requests/new/", {"subject": "", "description": "Kept <text>"}))
    assert "This field is required." in html and "Kept &lt;text&gt;</textarea>" in html
    html = page(bob.post("/portal/requests/new/", {"subject": "Empty", "attachments": [SimpleUploadedFile("e.txt", b"")]}))
    assert "&#x27;e.txt&#x27; is empty." in html
    assert not Ticket.objects.exists()


def test_new_request_form_labels_every_input(bob, printers):
    html = page(bob.get("/portal/requests/new/"))
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html)
    assert ids and all(f'<label for="{id_}"' in html for id_ in ids)
    assert "Hardware › Printers" in html
    assert "at most 25 MB each" in html


# --- Lists --------------------------------------------------------------------


def test_client_user_sees_only_own_requests(bob, ticket_a, ticket_of_alice, ticket_b):
    html = page(bob.get("/portal/"))
    assert "Printer on reception jams" in html
    assert "Alice&#x27;s laptop" not in html and "Cannot open case files" not in html
    assert "All requests of" not in html
    assert bob.get("/portal/company/").status_code == 404


def test_client_admin_sees_all_company_requests(alice, ticket_a, ticket_of_alice, ticket_b):
    mine = page(alice.get("/portal/"))
    assert "Alice&#x27;s laptop" in mine and "Printer on reception jams" not in mine
    company = page(alice.get("/portal/company/"))
    assert "All requests of Acme Dental" in company
    assert "Alice&#x27;s laptop" in company and "Printer on reception jams" in company and "Bob Acme" in company
    assert "Cannot open case files" not in company


def test_list_filters_by_state_and_text(bob, technician, client_a, client_a_user, ticket_a):
    done = services.open_ticket(technician, client=client_a, requester=client_a_user.contact, subject="Old VPN issue")
    services.change_status(done, technician, TicketStatus.RESOLVED)
    assert "Old VPN issue" not in page(bob.get("/portal/?state=open"))
    closed = page(bob.get("/portal/?state=closed"))
    assert "Old VPN issue" in closed and "Printer on reception" not in closed
    found = page(bob.get("/portal/?q=vpn"))
    assert "Old VPN issue" in found and "Printer on reception" not in found
    assert "No requests match" in page(bob.get("/portal/?q=nothing-like-this"))
    assert f"#{ticket_a.number}" in page(bob.get(f"/portal/?q=%23{ticket_a.number}"))


def test_list_is_newest_activity_first_and_paginated(bob, technician, client_a, client_a_user, ticket_a, django_assert_max_num_queries):
    for i in range(30):
        services.open_ticket(technician, client=client_a, requester=client_a_user.contact, subject=f"Request {i:02d}")
    services.add_message(ticket_a, technician, body="Any news?")  # the oldest request gets the latest activity
    with django_assert_max_num_queries(4):  # session, user with contact, client, one page of tickets
        html = page(bob.get("/portal/"))
    assert html.index("Printer on reception jams") < html.index("Request 29") < html.index("Request 06")
    assert "Request 05" not in html
    older = re.search(r'href="\?(cursor=[^"]+)" rel="next"', html).group(1)
    second = page(bob.get(f"/portal/?{older}"))
    assert "Request 05" in second and "Request 00" in second and "Request 29" not in second
    assert "Newest requests" in second
    # a broken cursor starts again from the first page
    assert "Request 29" in page(bob.get("/portal/?cursor=%%%"))


def test_list_filter_answers_htmx_with_rows_only(bob, ticket_a):
    html = page(bob.get("/portal/?q=printer", HTTP_HX_REQUEST="true"))
    assert html.lstrip().startswith('<div id="request-results"') and "<html" not in html


def test_list_shows_an_empty_state_that_says_what_to_do(bob):
    assert "No requests yet" in page(bob.get("/portal/"))


# --- The request page -----------------------------------------------------------


def test_request_page_shows_only_the_public_timeline(bob, technician, ticket_a, time_entry):
    # given a public reply with a file, an internal note with a file, a logged call and status events
    reply = services.add_message(
        ticket_a, technician, body="Cleaned the rollers.", attachments=[SimpleUploadedFile("rollers.jpg", b"jpg")]
    )
    note = services.add_message(
        ticket_a, technician, body="Client is on the old contract", kind=EntryKind.NOTE,
        attachments=[SimpleUploadedFile("contract.pdf", b"pdf")],
    )
    services.add_message(
        ticket_a, technician, body="Talked it through", kind=EntryKind.CALL,
        call=CallDetails(direction=CallDirection.OUTBOUND, caller_number="+44", duration_seconds=300),
    )
    services.assign_ticket(ticket_a, technician, technician)
    # when Bob opens it
    html = page(bob.get(f"/portal/requests/{ticket_a.number}/"))
    # then he sees the reply, its file and the call, but no note, note file, event or time entry
    assert "Cleaned the rollers." in html
    assert f'href="/attachments/{reply.attachments.get().pk}/">rollers.jpg' in html
    assert "Talked it through" in html and "phone call (outbound, 5 min)" in html
    assert "old contract" not in html and "contract.pdf" not in html
    assert f"/attachments/{note.attachments.get().pk}/" not in html
    assert "changed" not in html and "assignee" not in html.lower()
    assert "Cleared the paper path" not in html and "30 min" not in html
    assert "It jams on every second page." in html
    # and the desk's download view gives him the reply's file, not the note's
    assert bob.get(f"/attachments/{reply.attachments.get().pk}/").status_code == 200
    assert bob.get(f"/attachments/{note.attachments.get().pk}/").status_code == 404


def test_request_page_runs_a_bounded_number_of_queries(bob, technician, ticket_a, django_assert_max_num_queries):
    for i in range(10):
        services.add_message(ticket_a, technician, body=f"Reply {i}", attachments=[SimpleUploadedFile(f"f{i}.txt", b"x")])
    with django_assert_max_num_queries(7):  # session, user, client, ticket, its files, entries, their files
        html = page(bob.get(f"/portal/requests/{ticket_a.number}/"))
    assert "Reply 9" in html and "f9.txt" in html


def test_text_with_html_is_shown_as_text(bob, technician, client_a, client_a_user):
    ticket = services.open_ticket(
        technician, client=client_a, requester=client_a_user.contact,
        subject="<script>alert('s')</script>", description="<img src=x onerror=alert(1)>",
    )
    services.add_message(ticket, technician, body="<b>bold</b>\nline two")
    for html in (page(bob.get(f"/portal/requests/{ticket.number}/")), page(bob.get("/portal/"))):
        assert "<script>alert" not in html and "&lt;script&gt;" in html
    html = page(bob.get(f"/portal/requests/{ticket.number}/"))
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "&lt;b&gt;bold&lt;/b&gt;<br>line two" in html


def test_reply_with_attachment(bob, ticket_a, client_a_user):
    response = bob.post(
        f"/portal/requests/{ticket_a.number}/", {"body": "Here is a photo", "attachments": [SimpleUploadedFile("jam.jpg", b"jpg")]}
    )
    assert response.status_code == 302
    entry = ticket_a.entries.get(body="Here is a photo")
    assert entry.is_public and entry.author_contact == client_a_user.contact
    html = page(bob.get(response["Location"]))
    assert "Reply sent." in html and "jam.jpg" in html


def test_empty_reply_is_refused(bob, ticket_a):
    html = page(bob.post(f"/portal/requests/{ticket_a.number}/", {"body": "  "}))
    assert "Write a reply or attach a file." in html


def test_reply_to_resolved_request_reopens_it(bob, technician, ticket_a):
    services.change_status(ticket_a, technician, TicketStatus.RESOLVED)
    html = page(bob.get(f"/portal/requests/{ticket_a.number}/"))
    assert "Reopen this request" in html and ">Reopen</button>" in html
    # a reason is required
    html = page(bob.post(f"/portal/requests/{ticket_a.number}/", {"body": ""}))
    assert "Say why you are reopening the request." in html
    assert Ticket.objects.get(pk=ticket_a.pk).status == TicketStatus.RESOLVED
    response = bob.post(f"/portal/requests/{ticket_a.number}/", {"body": "Still <jamming>"})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket_a.pk).status == TicketStatus.OPEN
    assert "Request reopened." in page(bob.get(response["Location"]))


def test_closed_request_shows_no_reply_box_and_refuses_replies(bob, technician, ticket_a):
    services.change_status(ticket_a, technician, TicketStatus.CLOSED)
    html = page(bob.get(f"/portal/requests/{ticket_a.number}/"))
    assert "This request is closed — " in html and 'href="/portal/requests/new/">open a new request' in html
    assert "<textarea" not in html
    bob.post(f"/portal/requests/{ticket_a.number}/", {"body": "Hello?"})
    assert not ticket_a.entries.filter(body="Hello?").exists()


# --- Isolation ------------------------------------------------------------------


def test_other_clients_request_is_not_found(client, client_b_user, ticket_a):
    client.force_login(client_b_user)
    assert client.get(f"/portal/requests/{ticket_a.number}/").status_code == 404
    assert client.post(f"/portal/requests/{ticket_a.number}/", {"body": "hi"}).status_code == 404
    assert not ticket_a.entries.filter(body="hi").exists()


def test_client_user_cannot_open_a_colleagues_request_but_the_admin_can(client, client_a_user, client_a_admin, ticket_of_alice, ticket_a):
    client.force_login(client_a_user)
    assert client.get(f"/portal/requests/{ticket_of_alice.number}/").status_code == 404
    client.force_login(client_a_admin)
    assert "Printer on reception jams" in page(client.get(f"/portal/requests/{ticket_a.number}/"))


def test_unknown_request_number_is_not_found(bob):
    assert bob.get("/portal/requests/999999/").status_code == 404


def test_staff_opening_portal_pages_go_to_the_desk(client, technician, ticket_a):
    client.force_login(technician)
    assert client.get(f"/portal/requests/{ticket_a.number}/")["Location"] == "/"
