"""Which ticket a reply joins: headers, then [#number], then a new ticket; who may join."""

from steward.clients.models import Contact
from steward.desk import services as desk
from steward.desk.choices import EntryKind, TicketStatus
from steward.desk.models import Ticket
from steward.mail.choices import InboundStatus, OutboundKind
from steward.mail.models import OutboundMessage
from steward.mail.tests.helpers import deliver
from steward.mail.tests.inbound_fixtures import raw_email


def test_reply_to_steward_email_joins_ticket_by_in_reply_to(support_mailbox, ticket_a, technician):
    desk.change_status(ticket_a, technician, TicketStatus.RESOLVED)
    OutboundMessage.objects.create(
        ticket=ticket_a, kind=OutboundKind.REPLY, message_id="<steward-1@msp.test>", to=["bob@acme.test"], subject="x"
    )
    raw = raw_email(
        subject="Re: your printer",
        body="Still jams.\n\nOn Monday Support wrote:\n> Try turning it off and on.",
        in_reply_to="<steward-1@msp.test>",
    )

    message = deliver(raw, support_mailbox)

    ticket_a.refresh_from_db()
    assert message.ticket == ticket_a and message.outcome == f"added to #{ticket_a.number}"
    entry = message.entry
    assert entry.kind == EntryKind.EMAIL and entry.author_contact.email == "bob@acme.test"
    assert entry.body == "Still jams."  # the new part only; the quote stays in the original
    assert ticket_a.status == TicketStatus.OPEN  # the customer's reply reopened it
    assert Ticket.objects.count() == 1


def test_reply_joins_by_references_to_an_earlier_inbound_message(support_mailbox, client_a_user):
    first = deliver(raw_email(subject="VPN down", message_id="<first@acme.test>"), support_mailbox)

    reply = deliver(raw_email(subject="more info", references="<other@x.test> <first@acme.test>"), support_mailbox)

    assert reply.ticket == first.ticket and Ticket.objects.count() == 1


def test_reply_joins_by_ticket_number_in_subject(support_mailbox, ticket_a):
    message = deliver(raw_email(subject=f"RE: [#{ticket_a.number}] Printer on reception jams"), support_mailbox)

    assert message.ticket == ticket_a


def test_unknown_number_in_subject_opens_new_ticket(support_mailbox, client_a_user):
    message = deliver(raw_email(subject="RE: [#99999] Printer"), support_mailbox)

    assert message.outcome.startswith("new ticket")


def test_reply_to_closed_ticket_opens_new_ticket_referencing_it(support_mailbox, ticket_a, technician):
    desk.change_status(ticket_a, technician, TicketStatus.CLOSED)

    message = deliver(raw_email(subject=f"Re: [#{ticket_a.number}] Printer", body="It is back."), support_mailbox)

    new = message.ticket
    assert new != ticket_a and new.client == ticket_a.client
    assert message.outcome == f"new ticket #{new.number} (follow-up to #{ticket_a.number})"
    note = new.entries.get(kind=EntryKind.NOTE)
    assert f"#{ticket_a.number}" in note.body and "closed" in note.body
    assert not ticket_a.entries.filter(kind=EntryKind.EMAIL).exists()


def test_colleague_of_same_client_joins_and_is_flagged(support_mailbox, ticket_a, client_a_admin):
    # given: Alice (Acme) is not on Bob's ticket
    message = deliver(raw_email(sender="alice@acme.test", name="Alice", subject=f"Re: [#{ticket_a.number}]"), support_mailbox)

    assert message.ticket == ticket_a and "new participant" in message.outcome
    flag = ticket_a.entries.filter(kind=EntryKind.NOTE).last()
    assert "alice@acme.test" in flag.body and "not on this ticket" in flag.body
    assert ticket_a.cc.filter(email="alice@acme.test").exists()


def test_new_person_from_clients_domain_joins_as_new_contact(support_mailbox, ticket_a):
    message = deliver(raw_email(sender="carol@acme.test", name="Carol Jones", subject=f"Re: [#{ticket_a.number}]"), support_mailbox)

    assert message.ticket == ticket_a
    carol = Contact.objects.get(email="carol@acme.test")
    assert (carol.client, carol.first_name, carol.last_name) == (ticket_a.client, "Carol", "Jones")


def test_stranger_using_another_clients_ticket_number_gets_own_ticket(support_mailbox, ticket_a, client_b_user):
    message = deliver(raw_email(sender="charlie@birch.test", name="Charlie", subject=f"Re: [#{ticket_a.number}] hi"), support_mailbox)

    assert message.ticket != ticket_a and message.ticket.client.short_code == "BIRCH"
    assert not ticket_a.entries.filter(kind=EntryKind.EMAIL).exists()


def test_outsider_cc_d_by_steward_may_reply_to_the_ticket(support_mailbox, ticket_a):
    OutboundMessage.objects.create(
        ticket=ticket_a, kind=OutboundKind.REPLY, message_id="<steward-2@msp.test>",
        to=["bob@acme.test"], cc=["vendor@printers.test"], subject="x",
    )

    message = deliver(raw_email(sender="vendor@printers.test", name="Vendor", in_reply_to="<steward-2@msp.test>"), support_mailbox)

    assert message.ticket == ticket_a and "CC'd" in message.outcome


def test_cc_addresses_of_the_client_become_cc_contacts(support_mailbox, client_a_user, client_a_admin):
    message = deliver(raw_email(cc=["alice@acme.test", "dave@acme.test", "eve@elsewhere.test", "support@msp.test"]), support_mailbox)

    cc = set(message.ticket.cc.values_list("email", flat=True))
    assert cc == {"alice@acme.test", "dave@acme.test"}


def test_reply_to_merged_ticket_lands_on_the_merge_target(support_mailbox, ticket_a, technician, client_a_user):
    target = desk.open_ticket(technician, client=ticket_a.client, requester=client_a_user.contact, subject="Target")
    desk.merge_tickets(ticket_a, target, technician)
    OutboundMessage.objects.create(ticket=ticket_a, kind=OutboundKind.REPLY, message_id="<m@msp.test>", to=[], subject="x")

    message = deliver(raw_email(in_reply_to="<m@msp.test>"), support_mailbox)

    assert message.ticket == target and message.status == InboundStatus.PROCESSED
