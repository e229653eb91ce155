"""Who sent it: contact by address, then the client's domain, then the default or catch-all client."""

from steward.clients.models import Client, Contact
from steward.mail.tests.helpers import deliver
from steward.mail.tests.inbound_fixtures import raw_email


def test_contact_is_matched_by_address_in_any_case(support_mailbox, client_a_user):
    message = deliver(raw_email(sender="BOB@Acme.TEST"), support_mailbox)

    assert message.ticket.requester == client_a_user.contact


def test_unknown_sender_of_a_clients_domain_becomes_its_contact(support_mailbox, client_a):
    message = deliver(raw_email(sender="Frank@acme.test", name="Frank Miller"), support_mailbox)

    frank = message.ticket.requester
    assert frank.client == client_a and frank.email == "frank@acme.test" and frank.full_name == "Frank Miller"


def test_unknown_domain_goes_to_catchall_client_and_triage_queue(support_mailbox, client_a):
    message = deliver(raw_email(sender="someone@gmail.test", name=""), support_mailbox)

    ticket = message.ticket
    assert ticket.client == Client.objects.get(short_code="CATCHALL")
    assert ticket.queue.name == "Triage" and ticket.requester.email == "someone@gmail.test"
    assert "move the ticket to the right client" in ticket.entries.get(kind="note").body


def test_unknown_domain_goes_to_mailboxs_default_client(support_mailbox, client_b):
    support_mailbox.default_client = client_b
    support_mailbox.save(update_fields=["default_client"])

    message = deliver(raw_email(sender="newhire@gmail.test"), support_mailbox)

    assert message.ticket.client == client_b
    assert Contact.objects.get(email="newhire@gmail.test").client == client_b


def test_calls_and_mail_share_one_catchall_client(support_mailbox, db):
    deliver(raw_email(sender="a@unknown.test"), support_mailbox)
    deliver(raw_email(sender="b@unknown.test"), support_mailbox)

    assert Client.objects.filter(short_code="CATCHALL").count() == 1
