"""The ticket timeline over the API: replies, notes, calls, merge, parent and attachments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.accounts.choices import TokenScope
from steward.desk import services
from steward.desk.choices import EntryKind, TicketStatus
from steward.desk.models import Attachment, Ticket, TicketEntry
from steward.work import services as work_services

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


# --- Timeline -------------------------------------------------------------------


def test_staff_timeline_shows_notes_events_and_calls(api_as, technician, ticket_a):
    services.add_message(ticket_a, technician, body="Driver is outdated", kind=EntryKind.NOTE)
    services.add_message(
        ticket_a,
        technician,
        body="Talked it through",
        kind=EntryKind.CALL,
        call=services.CallDetails(direction="outbound", caller_number="+44 20 7946 0101", duration_seconds=300),
    )
    entries = api_as(technician).get(f"/tickets/{ticket_a.number}/timeline").json()
    kinds = [entry["kind"] for entry in entries]
    assert kinds[0] == "event" and "note" in kinds and "call" in kinds
    assert entries[0]["event_text"] == "opened the ticket (via phone)"
    assert entries[0]["author_name"] == "Tom Tech"
    note = next(entry for entry in entries if entry["kind"] == "note")
    assert note["is_public"] is False and note["body"] == "Driver is outdated" and note["call"] is None
    call = next(entry for entry in entries if entry["kind"] == "call")
    assert call["call"] == {"direction": "outbound", "caller_number": "+44 20 7946 0101", "duration_seconds": 300}


def test_client_user_timeline_hides_notes_and_events(api_as, technician, client_a_user, ticket_a):
    services.add_message(ticket_a, technician, body="Customer is difficult", kind=EntryKind.NOTE)
    services.add_message(ticket_a, technician, body="Please restart the printer")
    entries = api_as(client_a_user).get(f"/tickets/{ticket_a.number}/timeline").json()
    assert [(entry["kind"], entry["body"]) for entry in entries] == [("reply", "Please restart the printer")]
    assert "difficult" not in str(entries)


def test_timeline_of_another_clients_ticket_is_not_found(api_as, client_b_user, ticket_a):
    assert api_as(client_b_user).get(f"/tickets/{ticket_a.number}/timeline").status_code == 404


def test_timeline_runs_a_bounded_number_of_queries(api_as, technician, ticket_a, django_assert_max_num_queries):
    for index in range(15):
        entry = services.add_message(ticket_a, technician, body=f"Reply {index}")
        services.store_attachment(ticket_a, SimpleUploadedFile(f"f{index}.txt", b"x"), actor=technician, entry=entry)
    api = api_as(technician)
    api.get(f"/tickets/{ticket_a.number}/timeline")
    with django_assert_max_num_queries(4):  # token, ticket, entries with authors, attachments
        entries = api.get(f"/tickets/{ticket_a.number}/timeline").json()
    assert len(entries[-1]["attachments"]) == 1


# --- Replies, notes, calls ------------------------------------------------------


def test_staff_reply_can_set_status_in_the_same_call(api_as, technician, ticket_a):
    response = api_as(technician).post(
        f"/tickets/{ticket_a.number}/replies", {"body": "Try the new driver", "status": "waiting_on_customer"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "reply" and response.json()["is_public"] is True
    ticket = Ticket.objects.get(pk=ticket_a.pk)
    assert ticket.status == TicketStatus.WAITING_ON_CUSTOMER
    assert ticket.first_response_at is not None


def test_client_user_reply_is_public_and_reopens_the_ticket(api_as, technician, client_a_user, ticket_a):
    services.change_status(ticket_a, technician, TicketStatus.WAITING_ON_CUSTOMER)
    response = api_as(client_a_user).post(f"/tickets/{ticket_a.number}/replies", {"body": "Still jams"})
    assert response.status_code == 201
    assert response.json()["author_name"] == "Bob"
    assert Ticket.objects.get(pk=ticket_a.pk).status == TicketStatus.OPEN


def test_client_user_cannot_set_status_with_a_reply(api_as, client_a_user, ticket_a):
    response = api_as(client_a_user).post(f"/tickets/{ticket_a.number}/replies", {"body": "Fixed", "status": "closed"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "status"
    assert not TicketEntry.objects.filter(kind=EntryKind.REPLY).exists()


def test_client_user_reply_to_closed_ticket_is_a_conflict(api_as, technician, client_a_user, ticket_a):
    services.change_status(ticket_a, technician, TicketStatus.CLOSED)
    response = api_as(client_a_user).post(f"/tickets/{ticket_a.number}/replies", {"body": "Hello?"})
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_empty_reply_is_refused(api_as, technician, ticket_a):
    response = api_as(technician).post(f"/tickets/{ticket_a.number}/replies", {"body": "   "})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    missing = api_as(technician).post(f"/tickets/{ticket_a.number}/replies", {})
    assert missing.json()["errors"] == [{"field": "body", "message": "Field required"}]


def test_reply_to_other_clients_ticket_is_not_found(api_as, client_b_user, ticket_a):
    assert api_as(client_b_user).post(f"/tickets/{ticket_a.number}/replies", {"body": "hi"}).status_code == 404


def test_reply_with_read_token_is_refused(api_as, technician, ticket_a):
    response = api_as(technician, TokenScope.READ).post(f"/tickets/{ticket_a.number}/replies", {"body": "hi"})
    assert response.status_code == 403


def test_staff_add_internal_note(api_as, technician, ticket_a):
    response = api_as(technician).post(f"/tickets/{ticket_a.number}/notes", {"body": "<i>check toner</i>"})
    assert response.status_code == 201
    assert response.json()["is_public"] is False
    assert response.json()["body"] == "<i>check toner</i>"


def test_client_user_cannot_add_notes(api_as, client_a_user, client_b_user, ticket_a):
    assert api_as(client_a_user).post(f"/tickets/{ticket_a.number}/notes", {"body": "psst"}).status_code == 403
    assert api_as(client_b_user).post(f"/tickets/{ticket_a.number}/notes", {"body": "psst"}).status_code == 404
    assert not TicketEntry.objects.filter(kind=EntryKind.NOTE).exists()


def test_log_call(api_as, technician, ticket_a):
    response = api_as(technician).post(
        f"/tickets/{ticket_a.number}/calls",
        {"direction": "inbound", "caller_number": "020 7946 0101", "duration_seconds": 95, "body": "Reported jam"},
    )
    assert response.status_code == 201
    assert response.json()["call"] == {"direction": "inbound", "caller_number": "020 7946 0101", "duration_seconds": 95}


def test_log_call_rejects_bad_direction_and_client_users(api_as, technician, client_a_user, ticket_a):
    bad = api_as(technician).post(f"/tickets/{ticket_a.number}/calls", {"direction": "sideways"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "direction"
    assert api_as(client_a_user).post(f"/tickets/{ticket_a.number}/calls", {"body": "x"}).status_code == 403


# --- Merge and parent -----------------------------------------------------------


def test_merge_ticket_moves_timeline_and_time(api_as, technician, client_a, ticket_a):
    duplicate = services.open_ticket(technician, client=client_a, subject="Printer jams again", description="Same")
    work_services.log_time(technician, ticket=duplicate, duration_minutes=15)
    response = api_as(technician).post(f"/tickets/{duplicate.number}/merge", {"into": ticket_a.number})
    assert response.status_code == 200, response.json()
    assert response.json()["number"] == ticket_a.number
    assert response.json()["merged_from"] == [duplicate.number]
    source = Ticket.objects.get(pk=duplicate.pk)
    assert source.status == TicketStatus.CLOSED and source.merged_into_id == ticket_a.pk
    assert ticket_a.time_entries.count() == 1


def test_merge_into_unknown_or_other_clients_ticket_is_refused(api_as, technician, ticket_a, ticket_b):
    api = api_as(technician)
    unknown = api.post(f"/tickets/{ticket_a.number}/merge", {"into": 999999})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "into"
    other = api.post(f"/tickets/{ticket_a.number}/merge", {"into": ticket_b.number})
    assert other.status_code == 422
    assert other.json()["errors"][0] == {"field": "into", "message": "Only tickets of the same client can be merged."}


def test_merge_parent_into_its_child_is_refused(api_as, technician, client_a, ticket_a):
    child = services.open_ticket(technician, client=client_a, subject="Child")
    services.set_parent(child, technician, ticket_a)
    response = api_as(technician).post(f"/tickets/{ticket_a.number}/merge", {"into": child.number})
    assert response.status_code == 422
    assert "instead" in response.json()["detail"]


def test_client_user_cannot_merge(api_as, client_a_admin, technician, client_a, ticket_a):
    other = services.open_ticket(technician, client=client_a, requester=client_a_admin.contact, subject="Dup")
    assert api_as(client_a_admin).post(f"/tickets/{other.number}/merge", {"into": ticket_a.number}).status_code == 403


def test_set_and_clear_parent_ticket(api_as, technician, client_a, ticket_a):
    parent = services.open_ticket(technician, client=client_a, subject="Office move")
    api = api_as(technician)
    response = api.put(f"/tickets/{ticket_a.number}/parent", {"parent": parent.number})
    assert response.status_code == 200 and response.json()["parent"] == parent.number
    cleared = api.put(f"/tickets/{ticket_a.number}/parent", {"parent": None})
    assert cleared.json()["parent"] is None


def test_parent_cycle_and_other_client_parent_are_refused(api_as, technician, client_a, ticket_a, ticket_b):
    child = services.open_ticket(technician, client=client_a, subject="Child")
    services.set_parent(child, technician, ticket_a)
    api = api_as(technician)
    cycle = api.put(f"/tickets/{ticket_a.number}/parent", {"parent": child.number})
    assert cycle.status_code == 422 and cycle.json()["errors"][0]["field"] == "parent"
    other = api.put(f"/tickets/{ticket_a.number}/parent", {"parent": ticket_b.number})
    assert other.status_code == 422 and "another client" in other.json()["detail"]
    missing = api.put(f"/tickets/{ticket_a.number}/parent", {})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "parent"


# --- Attachments ----------------------------------------------------------------


def test_upload_and_download_attachment(api_as, technician, ticket_a):
    api = api_as(technician)
    upload = SimpleUploadedFile("report <1>.html", b"<script>alert(1)</script>", content_type="text/html")
    response = api.upload(f"/tickets/{ticket_a.number}/attachments", file=upload)
    assert response.status_code == 201, response.json()
    meta = response.json()
    assert meta["filename"] == "report <1>.html" and meta["size"] == 25
    download = api.get(meta["url"].removeprefix("/api/v1"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"<script>alert(1)</script>"
    assert download["Content-Type"] == "application/octet-stream"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "report" in download["Content-Disposition"]
    assert Ticket.objects.get(pk=ticket_a.pk).version == ticket_a.version + 1


def test_safe_image_keeps_its_type(api_as, technician, ticket_a):
    api = api_as(technician)
    meta = api.upload(
        f"/tickets/{ticket_a.number}/attachments", file=SimpleUploadedFile("shot.png", PNG, content_type="image/png")
    ).json()
    download = api.get(f"/tickets/{ticket_a.number}/attachments/{meta['id']}")
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="shot.png"'


def test_empty_attachment_is_refused(api_as, technician, ticket_a):
    response = api_as(technician).upload(
        f"/tickets/{ticket_a.number}/attachments", file=SimpleUploadedFile("empty.txt", b"")
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "'empty.txt' is empty."}]


def test_oversize_attachment_is_refused_with_the_limit(api_as, technician, ticket_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 2048
    response = api_as(technician).upload(
        f"/tickets/{ticket_a.number}/attachments", file=SimpleUploadedFile("big.bin", b"x" * 4096)
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "'big.bin' is 4 KB; attachments may be at most 2 KB."
    assert not Attachment.objects.exists()


def test_upload_without_file_names_the_field(api_as, technician, ticket_a):
    response = api_as(technician).upload(f"/tickets/{ticket_a.number}/attachments")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "Field required"}]


def test_client_user_downloads_public_files_but_not_those_on_notes(api_as, technician, client_a_user, ticket_a):
    note = services.add_message(ticket_a, technician, body="internal", kind=EntryKind.NOTE)
    hidden = services.store_attachment(ticket_a, SimpleUploadedFile("passwords.txt", b"secret"), actor=technician, entry=note)
    shown = services.store_attachment(ticket_a, SimpleUploadedFile("guide.txt", b"steps"), actor=technician)
    api = api_as(client_a_user)
    assert api.get(f"/tickets/{ticket_a.number}/attachments/{shown.pk}").status_code == 200
    assert api.get(f"/tickets/{ticket_a.number}/attachments/{hidden.pk}").status_code == 404
    detail = api.get(f"/tickets/{ticket_a.number}").json()
    assert [a["filename"] for a in detail["attachments"]] == ["guide.txt"]


def test_attachments_of_other_clients_are_not_found(api_as, technician, client_b_user, ticket_a):
    shown = services.store_attachment(ticket_a, SimpleUploadedFile("guide.txt", b"steps"), actor=technician)
    api = api_as(client_b_user)
    assert api.get(f"/tickets/{ticket_a.number}/attachments/{shown.pk}").status_code == 404
    upload = api.upload(f"/tickets/{ticket_a.number}/attachments", file=SimpleUploadedFile("x.txt", b"x"))
    assert upload.status_code == 404


@pytest.mark.parametrize("scope", [TokenScope.READ])
def test_upload_with_read_token_is_refused(api_as, technician, ticket_a, scope):
    response = api_as(technician, scope).upload(
        f"/tickets/{ticket_a.number}/attachments", file=SimpleUploadedFile("x.txt", b"x")
    )
    assert response.status_code == 403
