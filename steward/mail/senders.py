"""Who sent it: the contact (and so the client) behind an email address."""

from dataclasses import dataclass

from django.db.models.functions import Upper

from steward.clients import services as client_services
from steward.clients.models import Client, Contact, email_matches
from steward.desk.models import Queue
from steward.mail.models import Mailbox

TRIAGE_QUEUE = "Triage"


@dataclass(frozen=True)
class Sender:
    contact: Contact | None
    client: Client
    created: bool = False  # a new contact was added for this address
    triage: bool = False  # nobody knew the address or its domain: the ticket goes to the triage queue


def own_addresses() -> set[str]:
    """Steward's own addresses: mail from them is Steward talking to itself (a loop)."""
    return {address.lower() for address in Mailbox.objects.values_list("address", flat=True)}


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower()


def known_contact(address: str) -> Contact | None:
    """The contact with this address (any case); an active one of an active client first."""
    if not address:
        return None
    return (
        Contact.objects.filter(email_matches(address))
        .select_related("client", "site")
        .order_by("-client__is_active", "-is_active", "id")
        .first()
    )


def known_contacts(addresses) -> dict:
    """``known_contact`` of many addresses in one query: lower-case address -> contact (or None)."""
    wanted = {a.lower() for a in addresses if a}
    found = dict.fromkeys(wanted)
    if not wanted:
        return found
    rows = (
        Contact.objects.annotate(email_upper=Upper("email"))
        .filter(email_upper__in=[a.upper() for a in wanted])
        .select_related("client", "site")
        .order_by("-client__is_active", "-is_active", "id")
    )
    for contact in rows:
        key = contact.email.lower()
        if key in found and found[key] is None:
            found[key] = contact
    return found


_UNKNOWN = object()


def resolve_sender(address: str, name: str = "", *, mailbox: Mailbox | None = None, known=_UNKNOWN) -> Sender:
    """Match the sender to a contact: by address, then by the client's mail domain, then the fallback client.

    ``known``: the address's contact (or None) when the caller has looked it up already.
    """
    contact = known_contact(address) if known is _UNKNOWN else known
    if contact is not None:
        return Sender(contact=contact, client=contact.client)
    client = client_services.client_for_domain(domain_of(address))
    triage = False
    if client is None:
        # An in-house team's mailbox names its one company; otherwise a human sorts it out.
        client = mailbox.default_client if mailbox is not None and mailbox.default_client_id else None
        if client is None:
            client, triage = client_services.catchall_client(), True
    if not address:
        return Sender(contact=None, client=client, triage=triage)
    contact, created = client_services.contact_for_address(
        client, address, name=name, notes="Added when their email arrived." if not triage else
        "Wrote in from an unknown address; move them to the right client."
    )
    return Sender(contact=contact, client=client, created=created, triage=triage)


def triage_queue() -> Queue:
    """The queue where mail nobody could place waits for a human."""
    return Queue.objects.get_or_create(name=TRIAGE_QUEUE)[0]


def cc_contacts(client: Client, addresses, *, exclude=(), limit: int = 50) -> list[Contact]:
    """The client's contacts among ``addresses``, adding those of the client's domains; others are skipped."""
    skip = {a.lower() for a in exclude}
    domains = {d.lower() for d in client.email_domains or ()}
    found, seen = [], set()
    for address in addresses:
        address = (address or "").strip()
        key = address.lower()
        if not address or "@" not in address or key in skip or key in seen:
            continue
        seen.add(key)
        contact = Contact.objects.filter(email_matches(address), client=client).first()
        if contact is None and domain_of(address) in domains:
            contact, _ = client_services.contact_for_address(client, address, notes="Added when CC'd on an email.")
        if contact is not None:
            found.append(contact)
        # A 10,000-recipient CC list must not make 10,000 contacts or queries.
        if len(found) >= limit or len(seen) >= limit * 4:
            break
    return found
