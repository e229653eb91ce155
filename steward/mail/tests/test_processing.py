"""Processing stored messages: exactly once, loops and noise, failures kept for a human."""

from datetime import timedelta
from unittest import mock

from django.core import mail as django_mail
from django.db.models import F
from django.utils import timezone

from steward.clients.models import Contact
from steward.desk import services as desk
from steward.desk.choices import EntryKind, TicketStatus
from steward.desk.models import Attachment, Ticket
from steward.mail import ingest, processing
from steward.mail.choices import InboundStatus, OutboundKind, Source
from steward.mail.models import InboundMessage, Mailbox, OutboundMessage
from steward.mail.tests.helpers import deliver
from steward.mail.tests.inbound_fixtures import raw_email


def emails_on(ticket):
    return list(ticket.entries.filter(kind=EntryKind.EMAIL))


def test_new_message_from_known_contact_opens_ticket(support_mailbox, client_a_user):
    message = deliver(raw_email(subject="Printer is broken", body="Error 42 on reception."), support_mailbox)

    assert message.status == InboundStatus.PROCESSED
    ticket = message.ticket
    assert ticket.client.short_code == "ACME" and ticket.requester == client_a_user.contact
    assert ticket.subject == "Printer is broken" and "Error 42" in ticket.description
    assert ticket.source == "email" and message.outcome == f"new ticket #{ticket.number}"


def test_same_message_twice_yields_one_ticket_and_one_entry(support_mailbox, client_a_user, ticket_a):
    # given: a reply delivered to two of our mailboxes (same Message-ID, different bytes)
    sales = Mailbox.objects.create(name="Sales", address="sales@msp.test")
    common = dict(subject=f"Re: [#{ticket_a.number}] Printer", body="Still jams.", message_id="<dup@mail.test>")
    first = deliver(raw_email(to="support@msp.test", **common), support_mailbox)
    # when: the copy arrives, and the first one is delivered once more byte for byte
    second = deliver(raw_email(to="sales@msp.test", **common), sales)
    third = deliver(raw_email(to="support@msp.test", **common), support_mailbox)

    # then
    assert first.status == InboundStatus.PROCESSED and first.ticket == ticket_a
    assert second.status == InboundStatus.IGNORED and second.outcome == f"duplicate of message {first.pk}"
    assert third.pk in (first.pk, second.pk) or third.status == InboundStatus.IGNORED
    assert len(emails_on(ticket_a)) == 1


def test_processing_twice_does_nothing_the_second_time(support_mailbox, client_a_user):
    message, _ = ingest.store_raw(raw_email(), source=Source.WEBHOOK, mailbox=support_mailbox)
    processing.process_inbound(message.pk)

    assert processing.process_inbound(message.pk) is None
    assert Ticket.objects.count() == 1


def test_mail_from_our_own_address_is_ignored(support_mailbox):
    message = deliver(raw_email(sender="support@msp.test", name="Support"), support_mailbox)

    assert message.status == InboundStatus.IGNORED and "own address" in message.outcome
    assert not Ticket.objects.exists()


def test_message_without_from_is_ignored_with_reason(support_mailbox):
    message = deliver(raw_email(sender=None), support_mailbox)

    assert message.status == InboundStatus.IGNORED and "From: missing" in message.outcome


def test_auto_reply_on_a_ticket_becomes_internal_note_without_reopening(support_mailbox, ticket_a, technician):
    desk.change_status(ticket_a, technician, TicketStatus.RESOLVED)
    raw = raw_email(
        subject=f"Automatic reply: [#{ticket_a.number}] Printer",
        body="I am out of office until Monday.",
        headers={"Auto-Submitted": "auto-replied"},
    )

    message = deliver(raw, support_mailbox)

    ticket_a.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED and message.outcome.startswith("automatic reply noted")
    note = message.entry
    assert note.kind == EntryKind.NOTE and not note.is_public and "out of office" in note.body
    assert ticket_a.status == TicketStatus.RESOLVED
    assert not OutboundMessage.objects.filter(kind=OutboundKind.ACKNOWLEDGEMENT).exists()


def test_auto_reply_without_ticket_is_ignored_and_never_acknowledged(support_mailbox, client_a_user):
    message = deliver(raw_email(subject="Out of office", headers={"Auto-Submitted": "auto-replied"}), support_mailbox)

    assert message.status == InboundStatus.IGNORED and "automatic reply" in message.outcome
    assert not Ticket.objects.exists() and not OutboundMessage.objects.exists()


def test_human_message_is_acknowledged_once(support_mailbox, client_a_user):
    message = deliver(raw_email(), support_mailbox)

    acks = OutboundMessage.objects.filter(kind=OutboundKind.ACKNOWLEDGEMENT, ticket=message.ticket)
    assert acks.count() == 1


BOUNCE = """From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>
To: support@msp.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.acme.test>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.test

Final-Recipient: rfc822; bob@acme.test
Action: failed
Status: 5.1.1

--B
Content-Type: text/rfc822-headers

From: Support <support@msp.test>
To: bob@acme.test
Subject: [#{number}] Printer
Message-ID: <out-1@msp.test>

--B--
"""


def test_bounce_is_noted_on_the_ticket_whose_email_bounced_and_flags_the_contact(support_mailbox, ticket_a):
    OutboundMessage.objects.create(
        ticket=ticket_a, kind=OutboundKind.REPLY, message_id="<out-1@msp.test>", to=["bob@acme.test"], subject="x"
    )
    raw = BOUNCE.format(number=ticket_a.number).encode()

    message = deliver(raw, support_mailbox)

    assert message.status == InboundStatus.PROCESSED and message.ticket == ticket_a, message.outcome
    assert message.entry.kind == EntryKind.NOTE and "bob@acme.test bounced" in message.entry.body
    assert Contact.objects.get(email="bob@acme.test").email_bounced_at is not None
    assert Ticket.objects.count() == 1


def test_sender_over_rate_limit_is_stored_but_ignored_and_admins_told_once(settings, support_mailbox, client_a_user, django_capture_on_commit_callbacks):
    settings.MAIL_RATE_LIMIT = 3
    settings.ADMINS = [("Ops", "ops@msp.test")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        messages = [deliver(raw_email(subject=f"Ticket {i}"), support_mailbox) for i in range(6)]

    assert [m.status for m in messages] == [InboundStatus.PROCESSED] * 3 + [InboundStatus.IGNORED] * 3
    assert all(m.outcome.startswith("rate limited") for m in messages[3:])
    assert Ticket.objects.count() == 3
    alerts = [m for m in django_mail.outbox if "rate limited" in m.subject]
    assert len(alerts) == 1 and "bob@acme.test" in alerts[0].subject


def test_batch_ignores_a_busy_sender_past_the_limit_and_not_the_others(settings, support_mailbox, client_a_user, django_capture_on_commit_callbacks):
    settings.MAIL_RATE_LIMIT = 3
    settings.ADMINS = [("Ops", "ops@msp.test")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Stored first, processed together: the loop's five messages and two from a colleague in between.
    raws = [raw_email(subject=f"Loop {i}") for i in range(3)]
    raws += [raw_email(sender="carol@acme.test", name="Carol", subject=f"Colleague {i}") for i in range(2)]
    raws += [raw_email(subject=f"Loop {i}") for i in range(3, 5)]
    stored = [ingest.store_raw(raw, source=Source.WEBHOOK, mailbox=support_mailbox)[0] for raw in raws]

    with django_capture_on_commit_callbacks(execute=True):
        processing.process_batch(limit=10)

    outcomes = {m.subject: (m.status, m.outcome.split(":")[0]) for m in InboundMessage.objects.filter(pk__in=[s.pk for s in stored])}
    assert [outcomes[f"Loop {i}"][0] for i in range(5)] == [InboundStatus.PROCESSED] * 3 + [InboundStatus.IGNORED] * 2
    assert outcomes["Loop 4"][1].startswith("rate limited")
    assert [outcomes[f"Colleague {i}"][0] for i in range(2)] == [InboundStatus.PROCESSED] * 2
    assert Ticket.objects.count() == 5
    assert len([m for m in django_mail.outbox if "rate limited" in m.subject]) == 1


def test_deleting_a_ticket_clears_the_stored_messages_link_and_drops_its_outbox(support_mailbox, client_a_user):
    # The raw store's and the outbox's links to tickets have no database constraint: Django keeps them right.
    message = deliver(raw_email(), support_mailbox)
    ticket = message.ticket
    assert OutboundMessage.objects.filter(ticket=ticket).exists()  # the acknowledgement

    ticket.delete()

    message.refresh_from_db()
    assert message.ticket is None and message.entry is None and message.status == InboundStatus.PROCESSED
    assert not OutboundMessage.objects.exists()


def test_a_contact_the_batch_before_made_while_this_one_was_read_is_its_sender(support_mailbox, client_a, monkeypatch):
    # The batch reads contacts before its turn; one made meanwhile (by the batch before it) is caught up in the turn.
    message, _ = ingest.store_raw(raw_email(sender="dana@acme.test", name="Dana Acme"), source=Source.WEBHOOK, mailbox=support_mailbox)
    real_load = processing._load
    made = []

    def load_then_another_batch_commits(ids):
        loaded = real_load(ids)
        made.append(Contact.objects.create(client=client_a, first_name="Dana", email="Dana@acme.test"))
        return loaded

    monkeypatch.setattr(processing, "_load", load_then_another_batch_commits)
    processing.process_batch(limit=10)

    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED, message.outcome
    assert message.ticket.requester == made[0]
    assert Contact.objects.filter(email__iexact="dana@acme.test").count() == 1


def test_failure_keeps_message_with_error_and_retry_processes_it(support_mailbox, client_a_user, django_capture_on_commit_callbacks):
    message, _ = ingest.store_raw(raw_email(), source=Source.WEBHOOK, mailbox=support_mailbox)
    with mock.patch.object(processing.desk, "open_tickets", side_effect=RuntimeError("database went away")):
        processing.process_inbound(message.pk)
    message.refresh_from_db()
    assert message.status == InboundStatus.FAILED and "database went away" in message.error
    assert not Ticket.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        processing.retry_inbound(message)

    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED and message.error == "" and message.attempts == 2


def test_stale_claim_of_a_dead_worker_is_taken_again(settings, support_mailbox, client_a_user):
    # given: a worker claimed the message, then died
    message, _ = ingest.store_raw(raw_email(), source=Source.WEBHOOK, mailbox=support_mailbox)
    assert processing.claim(message.pk) is not None
    assert processing.process_inbound(message.pk) is None  # a live claim is respected
    # when: the claim is older than the timeout
    InboundMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT_SECONDS + 1))

    # then: the recovery sweep finds it and another worker processes it
    assert message.pk in processing.messages_to_recover()
    processing.process_inbound(message.pk)
    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED and Ticket.objects.count() == 1


def test_worker_whose_claim_was_taken_over_rolls_back(support_mailbox, client_a_user):
    message, _ = ingest.store_raw(raw_email(), source=Source.WEBHOOK, mailbox=support_mailbox)
    real_handle = processing._handle

    def slow_handle(msg, parsed, batch):
        result = real_handle(msg, parsed, batch)
        InboundMessage.objects.filter(pk=msg.pk).update(claimed_at=timezone.now() + timedelta(seconds=1))
        return result

    with mock.patch.object(processing, "_handle", slow_handle):
        assert processing.process_inbound(message.pk) is None

    assert not Ticket.objects.exists()
    assert InboundMessage.objects.get(pk=message.pk).status == InboundStatus.PROCESSING


def test_oversize_attachment_is_refused_with_a_note_and_the_rest_imported(settings, support_mailbox, client_a_user):
    settings.ATTACHMENT_MAX_BYTES = 1024
    raw = raw_email(
        attachments=[("big.bin", "application/octet-stream", b"x" * 5000), ("notes.txt", "text/plain", b"hello")]
    )

    message = deliver(raw, support_mailbox)

    ticket = message.ticket
    assert list(Attachment.objects.filter(ticket=ticket).values_list("filename", flat=True)) == ["notes.txt"]
    note = ticket.entries.get(kind=EntryKind.NOTE)
    assert "big.bin" in note.body and "limit 1 KB" in note.body


def test_attachment_named_with_path_is_stored_under_its_base_name(support_mailbox, client_a_user):
    message = deliver(raw_email(attachments=[("../../etc/passwd", "text/plain", b"root:x:0:0")]), support_mailbox)

    attachment = Attachment.objects.get(ticket=message.ticket)
    assert "/" not in attachment.filename and ".." not in attachment.file.name


def test_huge_cc_list_does_not_make_thousands_of_contacts(support_mailbox, client_a_user):
    cc = [f"person{i}@acme.test" for i in range(10000)]

    message = deliver(raw_email(cc=cc), support_mailbox)

    assert message.status == InboundStatus.PROCESSED
    assert message.ticket.cc.count() <= 50


def stored(raw, mailbox):
    return ingest.store_raw(raw, source=Source.WEBHOOK, mailbox=mailbox)[0]


def test_a_batch_keeps_going_past_a_message_that_fails(support_mailbox, client_a_user, monkeypatch):
    # given: three stored messages, the second of which breaks ticket creation
    monkeypatch.setattr(processing.tasks, "process_inbound_task", lambda message_id: None)
    first, broken, last = (stored(raw_email(subject=s), support_mailbox) for s in ("Printer", "Boom", "Scanner"))
    real_open = desk.open_tickets
    calls = []

    def open_tickets(actor, requests):
        calls.append([r.subject for r in requests])
        tickets = real_open(actor, requests)  # their rows are written, then the rollback must undo them
        if any(r.subject == "Boom" for r in requests):
            raise RuntimeError("exploded half-way")
        return tickets

    monkeypatch.setattr(processing.desk, "open_tickets", open_tickets)

    # when: one worker takes them as a batch
    done = processing.process_batch()

    # then: the others became tickets; the broken one failed alone, with its error and nothing left behind
    assert len(done) == 3
    statuses = {m.pk: (m.status, m.error) for m in InboundMessage.objects.all()}
    assert statuses[first.pk][0] == statuses[last.pk][0] == InboundStatus.PROCESSED
    assert statuses[broken.pk][0] == InboundStatus.FAILED and "exploded half-way" in statuses[broken.pk][1]
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Printer", "Scanner"]
    assert OutboundMessage.objects.filter(kind=OutboundKind.ACKNOWLEDGEMENT).count() == 2
    # and: the batch was tried together first, then rolled back and gone through one by one
    assert calls == [["Printer", "Boom", "Scanner"], ["Printer"], ["Boom"], ["Scanner"]]


def test_a_reply_and_a_copy_in_the_same_batch_as_their_first_message(support_mailbox, client_a_user, monkeypatch):
    # given: a request, a second copy of it (another mailbox's bytes) and a reply to it arrive together
    monkeypatch.setattr(processing.tasks, "process_inbound_task", lambda message_id: None)
    request = stored(raw_email(subject="VPN down", message_id="<vpn-1@acme.test>"), support_mailbox)
    copy = stored(raw_email(subject="VPN down", message_id="<vpn-1@acme.test>", to="sales@msp.test"), support_mailbox)
    reply = stored(
        raw_email(subject="Re: VPN down", body="Now it works.", message_id="<vpn-2@acme.test>", in_reply_to="<vpn-1@acme.test>"),
        support_mailbox,
    )

    # when: they are processed in one batch
    processing.process_batch()

    # then: one ticket; the copy is a duplicate, the reply is on the ticket's timeline
    (ticket,) = Ticket.objects.all()
    outcomes = dict(InboundMessage.objects.values_list("pk", "outcome"))
    assert outcomes[request.pk] == f"new ticket #{ticket.number}"
    assert outcomes[copy.pk] == f"duplicate of message {request.pk}"
    assert outcomes[reply.pk] == f"added to #{ticket.number}"
    assert [e.body for e in emails_on(ticket)] == ["Now it works."]


def test_a_message_the_parser_chokes_on_fails_alone_in_its_batch(support_mailbox, client_a_user, monkeypatch):
    monkeypatch.setattr(processing.tasks, "process_inbound_task", lambda message_id: None)
    good = stored(raw_email(subject="Printer"), support_mailbox)
    bad = stored(raw_email(subject="Unreadable"), support_mailbox)
    real_parse = processing.parse_message

    def parse_message(raw, **options):
        if b"Unreadable" in raw:
            raise ValueError("broken MIME structure")
        return real_parse(raw, **options)

    monkeypatch.setattr(processing, "parse_message", parse_message)

    processing.process_batch()

    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == InboundStatus.PROCESSED and good.ticket.subject == "Printer"
    assert bad.status == InboundStatus.FAILED and "broken MIME structure" in bad.error and bad.ticket is None


def test_processing_one_message_leaves_the_others_to_their_own_turn(support_mailbox, client_a_user, monkeypatch):
    monkeypatch.setattr(processing.tasks, "process_inbound_task", lambda message_id: None)
    taken = stored(raw_email(subject="Taken"), support_mailbox)
    waiting = stored(raw_email(subject="Waiting"), support_mailbox)
    assert processing.claim(taken.pk) is not None  # another worker has it

    assert processing.process_inbound(taken.pk) is None

    assert InboundMessage.objects.get(pk=waiting.pk).status == InboundStatus.PENDING
    assert not Ticket.objects.exists()


def crash_in_batch(message_ids, settings):
    """What a worker killed mid-batch leaves: the claim and its counted attempt, no outcome, gone stale."""
    stale = timezone.now() - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT_SECONDS + 1)
    InboundMessage.objects.filter(pk__in=message_ids).update(
        status=InboundStatus.PROCESSING, attempts=F("attempts") + 1, claimed_at=stale
    )


def test_a_message_that_stopped_the_worker_runs_alone_and_is_left_failed_after_the_maximum(settings, support_mailbox, client_a_user, monkeypatch):
    # given: a batch whose worker was killed (out of memory) by one of its messages
    monkeypatch.setattr(processing.tasks, "process_inbound_task", lambda message_id: None)
    settings.MAIL_MAX_ATTEMPTS = 3
    poison, innocent = stored(raw_email(subject="Huge"), support_mailbox), stored(raw_email(subject="Small"), support_mailbox)
    crash_in_batch([poison.pk, innocent.pk], settings)
    alone = []
    real_process = processing._process_claimed

    def process_claimed(messages, parsed, token, early):
        alone.append([m.pk for m in messages])
        if poison in messages:
            crash_in_batch([poison.pk], settings)  # it kills the worker again: the claim stays, no outcome
            return []
        return real_process(messages, parsed, token, early)

    monkeypatch.setattr(processing, "_process_claimed", process_claimed)

    # when: the recovery sweep queues them again, and the poison message goes on killing workers
    for message_id in processing.messages_to_recover():
        processing.process_batch(message_id)
    while (message_id := next(iter(processing.messages_to_recover()), None)) is not None:
        processing.process_batch(message_id)

    # then: each ran alone after the first crash; the innocent one is a ticket
    assert [poison.pk] in alone and [innocent.pk] in alone and not any(len(ids) > 1 for ids in alone)
    innocent.refresh_from_db()
    assert innocent.status == InboundStatus.PROCESSED and innocent.ticket.subject == "Small"
    # and the poison message is left failed for a human, with a clear error, after the maximum
    poison.refresh_from_db()
    assert poison.status == InboundStatus.FAILED and poison.attempts == 4
    assert "The worker stopped while processing this message 3 times" in poison.error
    assert poison.pk not in processing.messages_to_recover()


def test_a_message_left_failed_after_stopping_the_worker_can_be_retried(settings, support_mailbox, client_a_user, django_capture_on_commit_callbacks):
    message = stored(raw_email(subject="Huge"), support_mailbox)
    for _ in range(settings.MAIL_MAX_ATTEMPTS):
        crash_in_batch([message.pk], settings)
    processing.process_inbound(message.pk)
    message.refresh_from_db()
    assert message.status == InboundStatus.FAILED and "stopped" in message.error

    # when: a human retries it (say after raising the worker's memory)
    with django_capture_on_commit_callbacks(execute=True):
        processing.retry_inbound(message)

    # then: it gets one more attempt, alone
    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED and message.ticket.subject == "Huge"


def test_a_batch_opens_its_tickets_together_with_consecutive_numbers(support_mailbox, client_a_user, ticket_a, monkeypatch, django_assert_max_num_queries):
    # given: five new requests and a reply to an existing ticket, stored together
    monkeypatch.setattr(processing.tasks, "process_inbound_task", lambda message_id: None)
    for i in range(5):
        stored(raw_email(subject=f"Request {i}", message_id=f"<req-{i}@acme.test>"), support_mailbox)
    stored(raw_email(subject=f"Re: [#{ticket_a.number}] Printer", body="Still jams."), support_mailbox)
    calls = []
    real_open = desk.open_tickets
    monkeypatch.setattr(processing.desk, "open_tickets", lambda actor, requests: calls.append(len(requests)) or real_open(actor, requests))

    # when: one worker processes them
    with django_assert_max_num_queries(60):
        done = processing.process_batch()

    # then: one call opened the five, with consecutive numbers, each acknowledged; the reply is on its ticket
    assert len(done) == 6 and calls == [5]
    numbers = sorted(Ticket.objects.exclude(pk=ticket_a.pk).values_list("number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 5)) and numbers[0] == ticket_a.number + 1
    assert OutboundMessage.objects.filter(kind=OutboundKind.ACKNOWLEDGEMENT).count() == 5
    assert [e.body for e in emails_on(ticket_a)] == ["Still jams."]
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {InboundStatus.PROCESSED}


def test_copies_of_a_reply_in_one_batch_make_one_timeline_entry(support_mailbox, client_a_user, ticket_a, monkeypatch):
    monkeypatch.setattr(processing.tasks, "process_inbound_task", lambda message_id: None)
    common = dict(subject=f"Re: [#{ticket_a.number}] Printer", body="Still jams.", message_id="<dup-reply@acme.test>")
    first = stored(raw_email(**common), support_mailbox)
    copy = stored(raw_email(to="sales@msp.test", **common), support_mailbox)

    processing.process_batch()

    assert [e.body for e in emails_on(ticket_a)] == ["Still jams."]
    copy.refresh_from_db()
    assert copy.status == InboundStatus.IGNORED and copy.outcome == f"duplicate of message {first.pk}" and copy.ticket == ticket_a


def test_a_mixed_batch_is_written_together_with_the_same_results_as_one_by_one(
    support_mailbox, client_a_user, technician, other_technician, monkeypatch, caplog
):
    # given: Bob's earlier request, acknowledged, and assigned to Tara
    monkeypatch.setattr(processing.tasks, "process_inbound_task", lambda message_id: None)
    first = deliver(raw_email(subject="Printer jams", message_id="<jam-1@acme.test>"), support_mailbox)
    ticket = first.ticket
    ack = OutboundMessage.objects.get(ticket=ticket, kind=OutboundKind.ACKNOWLEDGEMENT)
    desk.assign_ticket(ticket, technician, other_technician)
    assigned = OutboundMessage.objects.get(ticket=ticket, kind=OutboundKind.TECHNICIAN_ASSIGNED)
    # and: a batch of a new person (twice, in two spellings, CC'ing a colleague nobody knows yet),
    # Bob's reply to his request and his out-of-office answer to the acknowledgement
    new_1 = stored(raw_email(sender="frank@acme.test", name="Frank Miller", subject="New laptop", cc="carol@acme.test"), support_mailbox)
    new_2 = stored(raw_email(sender="Frank@ACME.test", name="Frank Miller", subject="And a dock"), support_mailbox)
    reply = stored(
        raw_email(subject="Re: Printer jams", body="It jams again.", message_id="<jam-2@acme.test>",
                  in_reply_to="<jam-1@acme.test>", references="<jam-1@acme.test>"),
        support_mailbox,
    )
    away = stored(
        raw_email(subject="Automatic reply: Printer jams", body="Away until Monday.", in_reply_to=ack.message_id,
                  headers={"Auto-Submitted": "auto-replied"}),
        support_mailbox,
    )

    # when: one worker processes them in one batch
    done = processing.process_batch()

    # then: written together, without falling back to one message at a time
    assert len(done) == 4 and "one by one" not in caplog.text
    # Frank is one new contact of Acme, requester of both his tickets; Carol became a CC'd contact
    frank = Contact.objects.get(email__iexact="frank@acme.test")
    assert frank.client == client_a_user.contact.client and frank.full_name == "Frank Miller"
    laptop, dock = (InboundMessage.objects.get(pk=m.pk).ticket for m in (new_1, new_2))
    assert laptop.requester == dock.requester == frank
    assert [c.email for c in laptop.cc.all()] == ["carol@acme.test"]
    assert OutboundMessage.objects.filter(ticket__in=[laptop, dock], kind=OutboundKind.ACKNOWLEDGEMENT).count() == 2
    # Bob's reply is on his ticket and Tara, its assignee, is told, in the same email thread
    assert InboundMessage.objects.get(pk=reply.pk).outcome == f"added to #{ticket.number}"
    assert [e.body for e in emails_on(ticket)] == ["It jams again."]
    notice = OutboundMessage.objects.get(ticket=ticket, kind=OutboundKind.TECHNICIAN_REPLY)
    assert notice.to == ["Tara Tech <tara@example.test>"] and "It jams again." in notice.body
    assert notice.headers["In-Reply-To"] == "<jam-2@acme.test>"
    assert notice.headers["References"].split() == ["<jam-1@acme.test>", ack.message_id, assigned.message_id, "<jam-2@acme.test>"]
    # the out-of-office answer is a note on the ticket, and nobody is emailed about it
    assert InboundMessage.objects.get(pk=away.pk).outcome == f"automatic reply noted on #{ticket.number}"
    assert ticket.entries.filter(kind=EntryKind.NOTE, body__startswith="Automatic reply from bob@acme.test").count() == 1
    assert OutboundMessage.objects.filter(ticket=ticket).count() == 3  # acknowledgement, assignment, Tara's notice
