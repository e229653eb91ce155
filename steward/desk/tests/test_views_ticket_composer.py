"""The ticket page's composer: replies, internal notes, attachments, reply-and-set-status and canned replies."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.desk.choices import EntryKind, TicketStatus
from steward.desk.models import Attachment, CannedReply, TicketEntry

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tech_client(client, technician):
    client.force_login(technician)
    return client


def post_message(client, ticket, body="", kind="reply", then_status="", files=(), htmx=True):
    data = {"kind": kind, "body": body, "then_status": then_status}
    if files:
        data["attachments"] = list(files)
    return client.post(f"/tickets/{ticket.number}/messages/", data, **(HTMX if htmx else {}))


def messages_of(ticket):
    return TicketEntry.objects.filter(ticket=ticket).exclude(kind=EntryKind.EVENT)


def test_reply_is_public_and_comes_back_with_a_fresh_composer_and_timeline(tech_client, ticket_a):
    response = post_message(tech_client, ticket_a, "Try the other tray, please.")
    entry = messages_of(ticket_a).get()
    page = response.content.decode()
    assert entry.kind == EntryKind.REPLY and entry.is_public
    assert 'id="composer"' in page and "Reply sent." in page
    assert 'id="timeline" class="timeline"' in page and "Try the other tray, please." in page
    # the header comes along so the page's version stays current for inline edits
    ticket_a.refresh_from_db()
    assert f'data-version="{ticket_a.version}"' in page


def test_internal_note_is_not_public_and_marked_internal(tech_client, ticket_a):
    response = post_message(tech_client, ticket_a, "Customer sounded annoyed", kind="note")
    entry = messages_of(ticket_a).get()
    assert entry.kind == EntryKind.NOTE and not entry.is_public
    assert "Internal note added." in response.content.decode()


def test_reply_and_set_waiting_on_customer_in_one_action(tech_client, ticket_a):
    post_message(tech_client, ticket_a, "Can you send a photo?", then_status=TicketStatus.WAITING_ON_CUSTOMER)
    ticket_a.refresh_from_db()
    assert ticket_a.status == TicketStatus.WAITING_ON_CUSTOMER
    assert messages_of(ticket_a).get().is_public


def test_note_and_resolve_in_one_action(tech_client, ticket_a):
    post_message(tech_client, ticket_a, "Fixed on site", kind="note", then_status=TicketStatus.RESOLVED)
    ticket_a.refresh_from_db()
    assert ticket_a.status == TicketStatus.RESOLVED and ticket_a.resolved_at is not None


def test_empty_message_is_a_field_error(tech_client, ticket_a):
    response = post_message(tech_client, ticket_a, "   ")
    assert "Write a message or attach a file." in response.content.decode()
    assert not messages_of(ticket_a).exists()


def test_reply_with_several_attachments(tech_client, ticket_a):
    files = [SimpleUploadedFile("a.txt", b"first"), SimpleUploadedFile("b.pdf", b"%PDF-1.4", "application/pdf")]
    post_message(tech_client, ticket_a, "Logs attached", files=files)
    entry = messages_of(ticket_a).get()
    assert sorted(entry.attachments.values_list("filename", flat=True)) == ["a.txt", "b.pdf"]


def test_oversize_attachment_is_refused_with_the_limit_and_the_text_is_kept(tech_client, ticket_a, settings):
    # given a 1 KB limit
    settings.ATTACHMENT_MAX_BYTES = 1024
    # when a reply comes with a 2 KB file
    response = post_message(
        tech_client, ticket_a, "Here is <the> full log", files=[SimpleUploadedFile("big.log", b"x" * 2048)]
    )
    # then nothing is stored, the limit is stated and the typed text comes back
    page = response.content.decode()
    assert not messages_of(ticket_a).exists() and not Attachment.objects.exists()
    assert "attachments may be at most 1 KB" in page and "big.log" in page
    assert "Here is &lt;the&gt; full log</textarea>" in page


def test_empty_file_is_refused(tech_client, ticket_a):
    response = post_message(tech_client, ticket_a, "See file", files=[SimpleUploadedFile("empty.txt", b"")])
    assert "is empty" in response.content.decode()
    assert not messages_of(ticket_a).exists()


def test_without_htmx_a_reply_redirects_and_an_error_renders_the_page(tech_client, ticket_a):
    response = post_message(tech_client, ticket_a, "Done", htmx=False)
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket_a.number}/"
    response = post_message(tech_client, ticket_a, "", htmx=False)
    assert response.status_code == 200 and "Write a message or attach a file." in response.content.decode()


def test_client_user_cannot_post_to_the_staff_composer(client, client_a_user, ticket_a):
    client.force_login(client_a_user)
    assert post_message(client, ticket_a, "hi").status_code == 404
    assert not messages_of(ticket_a).exists()


# --- Canned replies ----------------------------------------------------------------------------


def fill(client, ticket, canned):
    return client.get(f"/tickets/{ticket.number}/canned-replies/{canned.pk}/")


def test_canned_reply_placeholders_are_filled(tech_client, ticket_a):
    canned = CannedReply.objects.create(
        title="Received",
        body="Hi {{ requester.first_name }}, ticket #{{ticket.number}} for {{ client.name }} is with me. – {{ technician.first_name }}",
    )
    response = fill(tech_client, ticket_a, canned)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["text"] == f"Hi Bob, ticket #{ticket_a.number} for Acme Dental is with me. – Tom"


def test_canned_reply_is_not_run_through_the_template_engine(tech_client, ticket_a):
    canned = CannedReply.objects.create(
        title="Tricky", body="{% load static %}{{ ticket.client.contracts }} {{ settings.SECRET_KEY }} {{ requester.first_name|upper }}"
    )
    text = fill(tech_client, ticket_a, canned).json()["text"]
    assert text == canned.body  # unknown placeholders, tags and filters stay exactly as typed


def test_canned_reply_inserted_with_html_is_shown_escaped_once_sent(tech_client, ticket_a, client_a):
    client_a.name = "<b>Acme</b>"
    client_a.save(update_fields=["name"])
    canned = CannedReply.objects.create(title="Hello", body="Hello from <i>{{ client.name }}</i>")
    text = fill(tech_client, ticket_a, canned).json()["text"]
    assert text == "Hello from <i><b>Acme</b></i>"  # plain text for the textarea
    page = post_message(tech_client, ticket_a, text).content.decode()
    assert "Hello from &lt;i&gt;&lt;b&gt;Acme&lt;/b&gt;&lt;/i&gt;" in page and "<i><b>Acme" not in page


def test_anothers_personal_canned_reply_is_404(tech_client, ticket_a, other_technician):
    canned = CannedReply.objects.create(title="Tara's", body="mine", owner=other_technician)
    assert fill(tech_client, ticket_a, canned).status_code == 404
    assert tech_client.get(f"/canned-replies/{canned.pk}/").status_code == 404


def test_composer_offers_shared_and_own_canned_replies_only(tech_client, ticket_a, technician, other_technician):
    CannedReply.objects.create(title="Shared hello", body="x")
    CannedReply.objects.create(title="My sign-off", body="x", owner=technician)
    CannedReply.objects.create(title="Tara's secret", body="x", owner=other_technician)
    page = tech_client.get(f"/tickets/{ticket_a.number}/").content.decode()
    assert "Shared hello" in page and "My sign-off (personal)" in page and "Tara's secret" not in page


def test_canned_reply_pages_create_edit_and_delete(tech_client, technician):
    # create a personal one
    response = tech_client.post("/canned-replies/new/", {"title": "Reboot", "body": "Please <b>reboot</b>."})
    assert response.status_code == 302
    canned = CannedReply.objects.get()
    assert canned.owner == technician
    # the list shows it, escaped
    page = tech_client.get("/canned-replies/").content.decode()
    assert "Please &lt;b&gt;reboot&lt;/b&gt;." in page and "Personal" in page
    # share it
    tech_client.post(f"/canned-replies/{canned.pk}/", {"title": "Reboot first", "body": "Please reboot.", "shared": "on"})
    canned.refresh_from_db()
    assert canned.owner is None and canned.title == "Reboot first"
    # delete it
    assert tech_client.post(f"/canned-replies/{canned.pk}/delete/").status_code == 302
    assert not CannedReply.objects.exists()


def test_canned_reply_form_errors_keep_input(tech_client):
    response = tech_client.post("/canned-replies/new/", {"title": "", "body": "Kept body"})
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required." in page and "Kept body" in page
    assert not CannedReply.objects.exists()


def test_client_users_get_404_on_canned_replies(client, client_a_admin):
    canned = CannedReply.objects.create(title="Shared", body="x")
    client.force_login(client_a_admin)
    assert client.get("/canned-replies/").status_code == 404
    assert client.get(f"/canned-replies/{canned.pk}/").status_code == 404
    assert client.post(f"/canned-replies/{canned.pk}/delete/").status_code == 404
    assert CannedReply.objects.exists()
