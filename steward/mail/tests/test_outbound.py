"""Outbound email through a real SMTP exchange: what the receiving server gets, retries and failures."""

import re
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.desk import services
from steward.desk.choices import Source, TicketStatus
from steward.mail import notifications, outbound
from steward.mail.choices import OutboundKind, OutboundStatus
from steward.mail.choices import Source as MailSource
from steward.mail.models import EmailTemplate, InboundMessage, OutboundMessage

HTMX = {"HTTP_HX_REQUEST": "true"}


def inbound_for(ticket, mailbox, message_id="<first.1@acme.test>", **extra):
    """An email that came in for ``ticket`` (the raw store row, as ingestion leaves it)."""
    digest = secrets.token_hex(32)
    return InboundMessage.objects.create(
        mailbox=mailbox,
        source=MailSource.IMAP,
        sha256=digest,
        raw=f"mail/raw/{digest[:2]}/{digest}.eml",
        size=100,
        message_id=message_id,
        from_address=ticket.requester.email if ticket.requester else "",
        subject=ticket.subject,
        received_at=timezone.now(),
        ticket=ticket,
        **extra,
    )


@pytest.fixture
def email_ticket(technician, client_a, client_a_user, client_a_admin, smtp_mailbox):
    """Bob's ticket, opened by an email to support@, with Alice in CC."""
    ticket = services.open_ticket(
        None, client=client_a, requester=client_a_user.contact, cc=[client_a_admin.contact],
        subject="Printer on reception jams", source=Source.EMAIL,
    )
    inbound_for(ticket, smtp_mailbox)
    return ticket


def test_technician_reply_arrives_threaded_with_attachment_and_without_auto_submitted(
    email_ticket, technician, smtp_capture, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.reply_to_ticket(
            email_ticket, technician, body="Please try the other tray.",
            attachments=[SimpleUploadedFile("steps.txt", b"1. open tray 2\n", content_type="text/plain")],
        )

    # then: the other side received exactly what the outbox row says
    (received,) = smtp_capture.messages
    sent = OutboundMessage.objects.get()
    assert sent.status == OutboundStatus.SENT and sent.attempts == 1 and sent.kind == OutboundKind.REPLY
    assert received["Message-ID"] == sent.message_id
    assert re.fullmatch(rf"<ticket-{email_ticket.number}\.entry-{entry.pk}\.[0-9a-f]+@provider\.test>", sent.message_id)
    assert received["In-Reply-To"] == "<first.1@acme.test>"
    assert "<first.1@acme.test>" in received["References"]
    assert f"[#{email_ticket.number}]" in received["Subject"]
    assert "support@provider.test" in received["From"] and "support@provider.test" in received["Reply-To"]
    assert received["Auto-Submitted"] is None
    assert "bob@acme.test" in received["To"] and "alice@acme.test" in received["Cc"]
    assert set(smtp_capture.envelopes[0].rcpt_tos) == {"bob@acme.test", "alice@acme.test"}
    assert "Please try the other tray." in received.get_body(("plain",)).get_content()
    assert "Please try the other tray." in received.get_body(("html",)).get_content()
    (attachment,) = received.iter_attachments()
    assert attachment.get_filename() == "steps.txt" and attachment.get_content().splitlines() == ["1. open tray 2"]


def test_second_reply_references_the_whole_thread(
    email_ticket, technician, smtp_mailbox, smtp_capture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_ticket(email_ticket, technician, body="First answer")
    inbound_for(email_ticket, smtp_mailbox, message_id="bob.2@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_ticket(email_ticket, technician, body="Second answer")

    first, second = smtp_capture.messages
    # Stored without brackets by some sources; sent back normalised.
    assert second["In-Reply-To"] == "<bob.2@acme.test>"
    assert second["References"].split() == ["<first.1@acme.test>", first["Message-ID"], "<bob.2@acme.test>"]


def test_acknowledgement_answers_the_inbound_message_and_is_auto_submitted(
    client_a, client_a_user, smtp_mailbox, smtp_capture, django_capture_on_commit_callbacks
):
    # given a ticket opened by mail processing
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.open_ticket(None, client=client_a, requester=client_a_user.contact, subject="VPN down", source=Source.EMAIL)
        inbound = inbound_for(ticket, smtp_mailbox, message_id="<vpn@acme.test>")
        # when processing acknowledges it
        notifications.acknowledge_ticket(ticket, inbound=inbound)

    (received,) = smtp_capture.messages
    assert received["Auto-Submitted"] == "auto-replied"
    assert received["In-Reply-To"] == "<vpn@acme.test>"
    assert received["Subject"].endswith(f"[#{ticket.number}]")
    assert f"#{ticket.number}" in received.get_body(("plain",)).get_content()
    assert OutboundMessage.objects.get().kind == OutboundKind.ACKNOWLEDGEMENT


@pytest.mark.parametrize("switch_off", ["auto_reply", "mailbox", "client"])
def test_no_acknowledgement_for_automatic_mail_or_when_switched_off(switch_off, client_a, client_a_user, smtp_mailbox):
    if switch_off == "mailbox":
        smtp_mailbox.send_acknowledgements = False
        smtp_mailbox.save(update_fields=["send_acknowledgements"])
    if switch_off == "client":
        client_a.send_acknowledgements = False
        client_a.save(update_fields=["send_acknowledgements"])
    ticket = services.open_ticket(None, client=client_a, requester=client_a_user.contact, subject="Out of office", source=Source.EMAIL)
    inbound = inbound_for(ticket, smtp_mailbox)

    result = notifications.acknowledge_ticket(ticket, inbound=inbound, auto_submitted=switch_off == "auto_reply")

    assert result is None and not OutboundMessage.objects.exists()


def test_portal_ticket_is_acknowledged_but_a_logged_call_is_not(client_a, client_a_user, technician, smtp_mailbox):
    portal = services.open_ticket(client_a_user, client=client_a, requester=client_a_user.contact, subject="New laptop", source=Source.PORTAL)
    services.open_ticket(technician, client=client_a, requester=client_a_user.contact, subject="Called about Wi-Fi", source=Source.PHONE)

    (ack,) = OutboundMessage.objects.all()
    assert ack.ticket == portal and ack.kind == OutboundKind.ACKNOWLEDGEMENT and ack.mailbox == smtp_mailbox


def test_resolving_emails_the_requester_as_an_automatic_message(
    email_ticket, technician, smtp_capture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(email_ticket, technician, TicketStatus.RESOLVED)

    (received,) = smtp_capture.messages
    assert received["Auto-Submitted"] == "auto-replied"
    assert received["To"].addresses[0].addr_spec == "bob@acme.test" and received["Cc"] is None
    assert "resolved" in received.get_body(("plain",)).get_content()


def test_customer_reply_notifies_the_assignee_only(email_ticket, technician, other_technician, client_a_user, smtp_mailbox):
    services.assign_ticket(email_ticket, other_technician, technician)
    OutboundMessage.objects.all().delete()

    entry = services.add_message(email_ticket, author_contact=client_a_user.contact, body="Still jams.", kind="email")

    (note,) = OutboundMessage.objects.all()
    assert note.kind == OutboundKind.TECHNICIAN_REPLY and note.to == ["Tom Tech <tom@example.test>"]
    assert note.entry == entry and "Still jams." in note.body and note.headers["Auto-Submitted"] == "auto-replied"


def test_customer_reply_on_unassigned_ticket_notifies_the_queue_team(email_ticket, technician, other_technician, client_a_user):
    from steward.accounts.models import Team

    team = Team.objects.create(name="Desk")
    team.members.set([technician, other_technician])
    email_ticket.queue.team = team
    email_ticket.queue.save(update_fields=["team"])

    services.add_message(email_ticket, author_contact=client_a_user.contact, body="Any news?")

    (note,) = OutboundMessage.objects.all()
    assert sorted(note.to) == ["Tara Tech <tara@example.test>", "Tom Tech <tom@example.test>"]


def test_assignment_tells_the_new_assignee_but_not_who_took_it_themselves(email_ticket, technician, other_technician):
    services.assign_ticket(email_ticket, technician, technician)
    assert not OutboundMessage.objects.exists()

    services.assign_ticket(email_ticket, technician, other_technician)

    (note,) = OutboundMessage.objects.all()
    assert note.kind == OutboundKind.TECHNICIAN_ASSIGNED and note.to == ["Tara Tech <tara@example.test>"]
    assert "Tom Tech" in note.body and f"[#{email_ticket.number}]" in note.subject


def test_bounced_contacts_and_steward_own_addresses_are_never_emailed(email_ticket, technician, client_a_admin, client_a_user):
    # given: Bob's address bounced, and Alice's (the CC) is, by mistake, our own support address
    bob = client_a_user.contact
    bob.email_bounced_at = timezone.now()
    bob.save(update_fields=["email_bounced_at"])
    alice = client_a_admin.contact
    alice.email = "Support@Provider.test"
    alice.save(update_fields=["email"])

    services.reply_to_ticket(email_ticket, technician, body="Hello?")

    assert not OutboundMessage.objects.exists()


def test_default_smtp_settings_are_used_when_there_is_no_mailbox(
    settings, smtp_capture, technician, ticket_a, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_capture.port
    settings.DEFAULT_FROM_EMAIL = "Help Desk <help@msp.test>"

    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_ticket(ticket_a, technician, body="On my way.")

    (received,) = smtp_capture.messages
    assert received["From"].addresses[0].addr_spec == "help@msp.test"
    assert received["Message-ID"].endswith("@msp.test>") and received["In-Reply-To"] is None


def test_smtp_server_down_retries_then_fails_with_the_error_shown(
    email_ticket, technician, smtp_mailbox, huey_queue, django_capture_on_commit_callbacks, client
):
    # given: nothing listens on the mailbox's SMTP port
    from steward.mail.tests.outbound_fixtures import free_port

    smtp_mailbox.smtp_port = free_port()
    smtp_mailbox.save(update_fields=["smtp_port"])

    # when: the first attempt runs after commit, then every retry huey scheduled
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_ticket(email_ticket, technician, body="Reboot it, please.")
    first = OutboundMessage.objects.get()
    assert (first.status, first.attempts) == (OutboundStatus.QUEUED, 1) and "Attempt 1 of 5" in first.last_error
    huey_queue.run_scheduled()

    # then
    failed = OutboundMessage.objects.get()
    assert (failed.status, failed.attempts) == (OutboundStatus.FAILED, outbound.MAX_ATTEMPTS)
    assert "Attempt 5 of 5" in failed.last_error and "Connection" in failed.last_error
    client.force_login(technician)
    page = client.get("/mail/outbox/?status=failed").content.decode()
    assert failed.subject in page and "Attempt 5 of 5" in page


def test_a_retry_succeeds_once_the_server_is_back(
    email_ticket, technician, smtp_mailbox, smtp_capture, huey_queue, django_capture_on_commit_callbacks
):
    from steward.mail.tests.outbound_fixtures import free_port

    working_port = smtp_mailbox.smtp_port
    smtp_mailbox.smtp_port = free_port()
    smtp_mailbox.save(update_fields=["smtp_port"])
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_ticket(email_ticket, technician, body="Reboot it, please.")
    smtp_mailbox.smtp_port = working_port
    smtp_mailbox.save(update_fields=["smtp_port"])

    huey_queue.run_scheduled()

    sent = OutboundMessage.objects.get()
    assert (sent.status, sent.attempts, sent.last_error) == (OutboundStatus.SENT, 2, "")
    assert [m["Message-ID"] for m in smtp_capture.messages] == [sent.message_id]


def test_technician_reply_through_the_ticket_page_sends_exactly_one_email(
    email_ticket, technician, client, smtp_capture, django_capture_on_commit_callbacks
):
    client.force_login(technician)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tickets/{email_ticket.number}/messages/", {"kind": "reply", "body": "Done remotely.", "then_status": ""}, **HTMX)

    assert response.status_code == 200
    (received,) = smtp_capture.messages
    assert "Done remotely." in received.get_body(("plain",)).get_content()


def test_internal_note_sends_nothing(email_ticket, technician):
    services.add_internal_note(email_ticket, technician, body="Customer sounded annoyed")
    assert not OutboundMessage.objects.exists()


def test_edited_template_is_used_and_only_placeholders_are_filled(email_ticket, technician):
    EmailTemplate.objects.create(
        kind=OutboundKind.REPLY,
        subject="Update on {{ ticket.subject }}",
        body="Hi {{ requester.first_name }}: {{ message.text }} {% debug %} {{ settings.SECRET_KEY }} {{ ticket.number|upper }}",
    )

    services.reply_to_ticket(email_ticket, technician, body="Fixed.")

    sent = OutboundMessage.objects.get()
    assert sent.subject == f"Update on Printer on reception jams [#{email_ticket.number}]"
    assert sent.body == "Hi Bob: Fixed. {% debug %} {{ settings.SECRET_KEY }} {{ ticket.number|upper }}"
    (html, _), = outbound.build_email(sent).alternatives
    assert "{% debug %}" in html  # shown as text, escaped, never run


def test_rolled_back_reply_leaves_no_email(email_ticket, technician, client_a_user):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.reply_to_ticket(email_ticket, technician, body="Never sent")
        raise RuntimeError
    assert not OutboundMessage.objects.exists()
