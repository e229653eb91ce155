"""The ticket page: header edited in place, stale edits, timeline, downloads and query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.desk import services
from steward.desk.choices import CallDirection, EntryKind, TicketStatus
from steward.desk.models import Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tech_client(client, technician):
    client.force_login(technician)
    return client


def page_url(ticket):
    return f"/tickets/{ticket.number}/"


def edit(client, ticket, field, version=None, **values):
    data = {"field": field, "version": ticket.version if version is None else version, **values}
    return client.post(f"/tickets/{ticket.number}/edit/", data, **HTMX)


def test_ticket_page_shows_header_timeline_composer_and_shortcuts(tech_client, ticket_a, client_a, client_a_user):
    response = tech_client.get(page_url(ticket_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"#{ticket_a.number}" in page and "Printer on reception jams" in page
    assert f'href="/clients/{client_a.pk}/"' in page
    assert f'href="/contacts/{client_a_user.contact.pk}/"' in page
    assert "opened the ticket (via phone)" in page
    assert 'id="composer"' in page and "Internal note" in page
    assert 'data-shortcut="e"' in page and 'data-shortcut="t"' in page
    assert "Keyboard shortcuts" in page and "steward/ticket.js" in page


def test_ticket_page_starts_the_technicians_running_timer_on_this_ticket(tech_client, technician, ticket_a):
    page = tech_client.get(page_url(ticket_a)).content.decode()
    assert "Start timer" in page and "data-duration-input" in page
    tech_client.post("/time/timer/start/", {"ticket": ticket_a.number, "next": page_url(ticket_a)})
    page = tech_client.get(page_url(ticket_a)).content.decode()
    assert "Timer running on this ticket" in page and "Start timer" not in page.split('id="ticket-time"')[1]


def test_client_users_get_404_on_the_ticket_page_even_for_their_own_ticket(client, client_a_user, client_b_user, ticket_a):
    for user in (client_a_user, client_b_user):
        client.force_login(user)
        assert client.get(page_url(ticket_a)).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, ticket_a):
    response = client.get(page_url(ticket_a))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_unknown_ticket_is_404(tech_client, db):
    assert tech_client.get("/tickets/999999/").status_code == 404


# --- Inline header edits -------------------------------------------------------------------


def test_edit_button_loads_editor_carrying_the_pages_version(tech_client, ticket_a):
    response = tech_client.get(f"/tickets/{ticket_a.number}/edit/?field=status&version=1", **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="field-status"' in page and 'name="version" value="1"' in page
    assert '<option value="in_progress"' in page


def test_unknown_inline_field_is_404(tech_client, ticket_a):
    assert tech_client.get(f"/tickets/{ticket_a.number}/edit/?field=client", **HTMX).status_code == 404


def test_inline_status_change_writes_event_and_rerenders_header_and_timeline(tech_client, ticket_a):
    # given the page at version 1
    version = ticket_a.version
    # when the status is changed inline
    response = edit(tech_client, ticket_a, "status", version, status=TicketStatus.IN_PROGRESS)
    # then the ticket changed, the header came back with the new version and the timeline shows the event
    ticket_a.refresh_from_db()
    page = response.content.decode()
    assert ticket_a.status == TicketStatus.IN_PROGRESS and ticket_a.version == version + 1
    assert page.lstrip().startswith('<header id="ticket-header"')
    assert f'data-version="{ticket_a.version}"' in page
    assert 'id="timeline"' in page and 'hx-swap-oob="true"' in page
    assert "changed status from New to In progress" in page


def test_inline_priority_by_hand_and_back_to_the_matrix(tech_client, ticket_a):
    edit(tech_client, ticket_a, "priority", impact=3, urgency=2, priority="1")
    ticket_a.refresh_from_db()
    assert ticket_a.priority == 1 and ticket_a.priority_overridden
    edit(tech_client, ticket_a, "priority", impact=1, urgency=1, priority="auto")
    ticket_a.refresh_from_db()
    assert ticket_a.priority == 1 and not ticket_a.priority_overridden
    assert (ticket_a.impact, ticket_a.urgency) == (1, 1)


def test_inline_assignee_tags_and_subject(tech_client, ticket_a, other_technician):
    edit(tech_client, ticket_a, "assignee", assignee=other_technician.pk)
    ticket_a.refresh_from_db()
    edit(tech_client, ticket_a, "tags", tags="Printer, reception desk")
    ticket_a.refresh_from_db()
    response = edit(tech_client, ticket_a, "subject", subject="Printer jams on tray 2")
    ticket_a.refresh_from_db()
    assert ticket_a.assignee == other_technician and ticket_a.status == TicketStatus.OPEN
    assert sorted(ticket_a.tags.values_list("name", flat=True)) == ["printer", "reception-desk"]
    assert ticket_a.subject == "Printer jams on tray 2"
    assert "Printer jams on tray 2" in response.content.decode()


def test_inline_edit_refuses_a_requester_of_another_client(tech_client, ticket_a, client_b_user):
    response = edit(tech_client, ticket_a, "requester", requester=client_b_user.contact.pk)
    ticket_a.refresh_from_db()
    assert ticket_a.requester.client_id == ticket_a.client_id
    assert response["HX-Retarget"] == "#field-requester"
    assert "Select a valid choice" in response.content.decode()


def test_inline_empty_subject_is_a_field_error(tech_client, ticket_a):
    response = edit(tech_client, ticket_a, "subject", subject="   ")
    ticket_a.refresh_from_db()
    assert ticket_a.subject == "Printer on reception jams"
    assert "This field is required" in response.content.decode() or "needs a subject" in response.content.decode()


def test_stale_edit_is_refused_with_who_and_when_and_nothing_is_overwritten(tech_client, ticket_a, other_technician):
    # given Tom opened the page at this version, then Tara assigned the ticket to herself
    seen_version = ticket_a.version
    services.update_ticket(ticket_a, other_technician, {"assignee": other_technician, "status": TicketStatus.IN_PROGRESS})
    # when Tom saves a status based on his old copy
    response = edit(tech_client, ticket_a, "status", seen_version, status=TicketStatus.RESOLVED)
    # then it is refused, explained, and Tara's change stands
    ticket_a.refresh_from_db()
    page = response.content.decode()
    assert ticket_a.status == TicketStatus.IN_PROGRESS and ticket_a.assignee == other_technician
    assert "Tara Tech changed this ticket just now" in page
    assert "reload to see their changes" in page and "Nothing was saved" in page
    assert response["HX-Retarget"] == "#field-status"


def test_non_htmx_inline_edit_redirects_to_the_ticket(client, technician, ticket_a):
    client.force_login(technician)
    response = client.post(
        f"/tickets/{ticket_a.number}/edit/", {"field": "type", "version": ticket_a.version, "type": "service_request"}
    )
    assert response.status_code == 302 and response["Location"] == page_url(ticket_a)


# --- Timeline --------------------------------------------------------------------------------


def test_timeline_shows_replies_notes_calls_and_events_with_attachments(tech_client, technician, ticket_a):
    services.add_message(ticket_a, technician, body="Swapped the fuser.")
    services.add_message(ticket_a, technician, body="Fuser was under warranty", kind=EntryKind.NOTE)
    services.add_message(
        ticket_a,
        technician,
        body="Called back",
        kind=EntryKind.CALL,
        call=services.CallDetails(direction=CallDirection.OUTBOUND, caller_number="+44 20 7946 0123", duration_seconds=185),
    )
    reply = services.add_message(
        ticket_a, technician, body="Photo attached", attachments=[SimpleUploadedFile("jam.png", b"png-bytes", "image/png")]
    )
    page = tech_client.get(page_url(ticket_a)).content.decode()
    assert "Swapped the fuser." in page
    assert 'class="entry entry-note entry-internal"' in page and '<span class="badge internal">Internal</span>' in page
    assert "Outbound · +44 20 7946 0123 · 3 min 05 s" in page
    assert f'href="/attachments/{reply.attachments.get().pk}/"' in page and "jam.png" in page
    assert "changed status from New to Open" in page


def test_html_and_script_in_texts_are_shown_as_text(tech_client, technician, client_a):
    ticket = services.open_ticket(
        technician, client=client_a, subject="<script>alert(1)</script>", description="<b>bold</b>\nline two"
    )
    services.add_message(ticket, technician, body='<img src=x onerror="alert(2)">')
    page = tech_client.get(page_url(ticket)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;<br>line two" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page


# --- Downloads ---------------------------------------------------------------------------------


@pytest.fixture
def public_and_internal_files(technician, ticket_a):
    reply = services.add_message(
        ticket_a, technician, body="Driver attached", attachments=[SimpleUploadedFile("driver <v2>.html", b"<script>x</script>", "text/html")]
    )
    note = services.add_message(
        ticket_a, technician, body="Licence key", kind=EntryKind.NOTE, attachments=[SimpleUploadedFile("key.txt", b"SECRET")]
    )
    return reply.attachments.get(), note.attachments.get()


def test_attachment_downloads_as_opaque_bytes_under_its_name(tech_client, public_and_internal_files):
    public, _ = public_and_internal_files
    response = tech_client.get(f"/attachments/{public.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;") and "driver" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == b"<script>x</script>"


def test_safe_image_keeps_its_type(tech_client, technician, ticket_a):
    attachment = services.add_attachment(ticket_a, technician, SimpleUploadedFile("shot.png", b"png", "image/png"))
    response = tech_client.get(f"/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("attachment;")


def test_requester_gets_public_attachment_but_not_one_on_an_internal_note(client, client_a_user, public_and_internal_files):
    public, internal = public_and_internal_files
    client.force_login(client_a_user)
    assert client.get(f"/attachments/{public.pk}/").status_code == 200
    assert client.get(f"/attachments/{internal.pk}/").status_code == 404


def test_client_user_of_another_client_gets_404_for_attachments(client, client_b_user, public_and_internal_files):
    client.force_login(client_b_user)
    for attachment in public_and_internal_files:
        assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_attachment_whose_file_is_gone_is_404(tech_client, public_and_internal_files):
    public, _ = public_and_internal_files
    public.file.delete(save=False)
    assert tech_client.get(f"/attachments/{public.pk}/").status_code == 404


# --- Speed ---------------------------------------------------------------------------------------


def grow(ticket, technician, entries):
    for i in range(entries):
        kind = EntryKind.NOTE if i % 3 == 0 else EntryKind.REPLY
        attachments = [SimpleUploadedFile(f"log{i}.txt", b"log")] if i % 5 == 0 else []
        services.add_message(ticket, technician, body=f"Entry {i}", kind=kind, attachments=attachments)
    return Ticket.objects.get(pk=ticket.pk)


def queries_for_page(client, ticket):
    with CaptureQueriesContext(connection) as context:
        response = client.get(page_url(ticket))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_ticket_page_queries_do_not_grow_with_the_timeline(
    tech_client, technician, client_a, client_a_user, django_assert_max_num_queries
):
    # given a short and a long ticket of the same client, each with a tag, a CC and time logged
    from steward.work.services import log_time

    short, long = (
        services.open_ticket(technician, client=client_a, requester=client_a_user.contact, subject=name, tags=["x"])
        for name in ("Short", "Long")
    )
    short = grow(short, technician, 2)  # opened event + 2 = 3 entries
    long = grow(long, technician, 39)  # opened event + 39 = 40 entries
    for ticket in (short, long):
        log_time(technician, ticket=ticket, duration_minutes=15)
    # then both pages cost the same, and few, queries
    assert queries_for_page(tech_client, short) == queries_for_page(tech_client, long)
    with django_assert_max_num_queries(25):
        tech_client.get(page_url(long))
