"""visible_to(user) decides every read: staff see all, client people their own company (or own rows)."""

from steward.clients.models import Client, Contact, Contract, Site
from steward.desk import services
from steward.desk.choices import EntryKind
from steward.desk.models import Ticket, TicketEntry
from steward.work import services as work_services
from steward.work.models import TimeEntry


def test_staff_see_every_client(technician, client_a, client_b):
    assert set(Client.objects.visible_to(technician)) == {client_a, client_b}


def test_client_user_sees_only_own_company(client_a_user, client_a, client_b):
    assert list(Client.objects.visible_to(client_a_user)) == [client_a]


def test_client_user_sees_only_own_tickets(ticket_a, technician, client_a, client_a_user, client_a_admin, ticket_b):
    # given a second Acme ticket requested by the client admin
    other = services.open_ticket(technician, client=client_a, requester=client_a_admin.contact, subject="VPN slow")
    # then Bob sees only his own, Alice sees both Acme tickets, nobody of Acme sees Birch's
    assert list(Ticket.objects.visible_to(client_a_user)) == [ticket_a]
    assert set(Ticket.objects.visible_to(client_a_admin)) == {ticket_a, other}


def test_client_side_never_sees_internal_notes(ticket_a, technician, client_a_user, client_a_admin):
    services.add_message(ticket_a, technician, body="Customer is on the old driver", kind=EntryKind.NOTE)
    services.add_message(ticket_a, technician, body="Please try the new driver")
    for user in (client_a_user, client_a_admin):
        bodies = list(TicketEntry.objects.visible_to(user).values_list("body", flat=True))
        assert bodies == ["Please try the new driver"]


def test_time_entries_and_contracts_hidden_from_portal(ticket_a, technician, client_a, client_a_admin, client_a_user):
    work_services.log_time(technician, ticket=ticket_a, duration_minutes=15)
    Contract.objects.create(client=client_a, name="Gold", starts_on="2026-01-01")
    assert TimeEntry.objects.visible_to(client_a_admin).count() == 0
    assert Contract.objects.visible_to(client_a_admin).count() == 1
    assert Contract.objects.visible_to(client_a_user).count() == 0


def test_client_user_sees_only_own_contact_but_company_sites(client_a_user, client_a_admin, site_a, site_b):
    assert list(Contact.objects.visible_to(client_a_user)) == [client_a_user.contact]
    assert list(Site.objects.visible_to(client_a_user)) == [site_a]


def test_anonymous_and_inactive_users_see_nothing(client_a, client_a_user):
    from django.contrib.auth.models import AnonymousUser

    assert Client.objects.visible_to(AnonymousUser()).count() == 0
    client_a_user.is_active = False
    assert Client.objects.visible_to(client_a_user).count() == 0
