"""Read path for clients, sites, contacts, contracts and business hours, scoped to the user."""

from django.db.models import Q, Value
from django.db.models.functions import Concat

from steward.clients.models import BusinessHours, Client, Contact, Contract, Site
from steward.clients.services import phone_digits


def clients_for(user, *, q: str | None = None, is_active: bool | None = None):
    """Client companies the user may see, by name."""
    clients = Client.objects.visible_to(user)
    if q:
        clients = clients.filter(Q(name__icontains=q) | Q(short_code__iexact=q))
    if is_active is not None:
        clients = clients.filter(is_active=is_active)
    return clients.order_by("name", "id")


def sites_for(user, *, client: int | None = None):
    """Sites the user may see, by client and name."""
    sites = Site.objects.visible_to(user).select_related("client")
    if client is not None:
        sites = sites.filter(client_id=client)
    return sites.order_by("client__name", "name", "id")


def contacts_for(user, *, client: int | None = None, q: str | None = None):
    """Contacts the user may see; ``q`` matches name, email address or phone number."""
    contacts = Contact.objects.visible_to(user).select_related("client", "site")
    if client is not None:
        contacts = contacts.filter(client_id=client)
    if q:
        q = q.strip()
        match = (
            Q(full_name__icontains=q)
            | Q(email__icontains=q)
            | Q(phone__icontains=q)
            | Q(mobile__icontains=q)
        )
        digits = phone_digits(q)
        if len(digits) >= 3:  # "020 7946" finds "+44 20 7946 0101"
            match |= Q(phone_digits__contains=digits) | Q(mobile_digits__contains=digits)
        contacts = contacts.alias(full_name=Concat("first_name", Value(" "), "last_name")).filter(match)
    return contacts.order_by("first_name", "last_name", "id")


def contracts_for(user, *, client: int | None = None):
    """Contracts the user may see, newest first per client."""
    contracts = Contract.objects.visible_to(user).select_related("client")
    if client is not None:
        contracts = contracts.filter(client_id=client)
    return contracts.order_by("client__name", "-starts_on", "id")


def business_hours_for(user, client: Client) -> BusinessHours | None:
    """The client's calendar with its slots and holidays, if set and visible to the user."""
    return (
        BusinessHours.objects.visible_to(user)
        .filter(client=client)
        .prefetch_related("slots", "holidays")
        .first()
    )
