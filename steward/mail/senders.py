"""Who sent it: the contact (and so the client) behind an email address."""

from dataclasses import dataclass

from django.db.models.functions import Upper

from steward.clients import services as client_services
from steward.clients.models import Client, Contact
from steward.core.bulk import insert_rows
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


class Directory:
    """Who is who for a batch of mail: contacts and clients read at once, new contacts saved together.

    ``preload`` reads the contacts of many addresses in one query (an address not preloaded is
    read when asked for). New contacts are made unsaved and kept here, so later messages of
    the batch find them, until ``save_new()`` inserts them in one statement (before the
    tickets and entries that name them are written).

    A directory read before the batch's turn (``copy()`` of one preloaded then) is brought up
    to date with ``catch_up``: the contacts of its addresses made since, by the batches before.
    """

    def __init__(self):
        self.contacts = {}  # lower-case address -> its contacts, the preferred one first
        self.clients = {}  # mail domain -> its client, or None
        self.new = []  # contacts made and not saved yet
        self._catchall = None
        self._triage = None

    def preload(self, addresses, *, senders=()) -> None:
        """Read the contacts of ``addresses`` and of ``senders``, and the clients of the unknown senders' domains."""
        wanted = {a.lower() for a in [*addresses, *senders] if a} - set(self.contacts)
        if not wanted:
            return
        for key in wanted:
            self.contacts[key] = []
        for contact in _contacts_of(wanted):
            self.contacts.setdefault(contact.email.lower(), []).append(contact)
        # Only a sender's domain is looked up (resolve_sender); recipients are matched within a client's own.
        unknown = {domain_of(a) for a in senders if a and not self.contacts.get(a.lower())}
        self.clients.update(client_services.clients_for_domains(unknown - set(self.clients)))

    def copy(self) -> "Directory":
        """A directory with what this one has read (not what it made): a batch starting again from its early reads."""
        other = Directory()
        other.contacts = {key: list(contacts) for key, contacts in self.contacts.items()}
        other.clients = dict(self.clients)
        other._catchall, other._triage = self._catchall, self._triage
        return other

    def catch_up(self, since) -> None:
        """Add the contacts of the read addresses created at ``since`` or later (by the batches before this one)."""
        known = {c.pk for contacts in self.contacts.values() for c in contacts}
        # Keys first: the contacts read already are most of them, and are not built again.
        recent = _contacts_of(self.contacts).filter(created_at__gte=since).order_by().values_list("pk", flat=True)
        missing = set(recent) - known
        added = list(Contact.objects.filter(pk__in=missing).select_related("client")) if missing else []
        for contact in added:
            self.contacts[contact.email.lower()].append(contact)
        for key in {c.email.lower() for c in added}:
            self.contacts[key].sort(key=_preference)

    def _contacts(self, address: str) -> list:
        key = address.lower()
        if key not in self.contacts:
            self.preload([address])
        return self.contacts.get(key, [])

    def known_contact(self, address: str) -> Contact | None:
        """The contact with this address (any case): an active one of an active client first."""
        return next(iter(self._contacts(address)), None) if address else None

    def contact_of(self, client, address: str) -> Contact | None:
        return next((c for c in self._contacts(address) if c.client_id == client.pk), None)

    def client_for_domain(self, domain: str):
        if domain not in self.clients:
            self.clients[domain] = client_services.client_for_domain(domain)
        return self.clients[domain]

    def catchall(self):
        if self._catchall is None:
            self._catchall = client_services.catchall_client()
        return self._catchall

    def triage_queue(self) -> Queue:
        if self._triage is None:
            self._triage = triage_queue()
        return self._triage

    def contact_for_address(self, client, address: str, *, name: str = "", notes: str = "") -> tuple[Contact, bool]:
        """The client's contact with this address, or a new one (unsaved until ``save_new``)."""
        contact = self.contact_of(client, address)
        if contact is not None:
            return contact, False
        contact = client_services.new_contact(client, address, name=name, notes=notes)
        self.contacts.setdefault(address.lower(), []).append(contact)
        self.new.append(contact)
        return contact, True

    def save_new(self) -> None:
        if self.new:
            insert_rows(self.new)
            self.new = []


def _contacts_of(addresses):
    """The contacts of these addresses (any case), the preferred one of an address first."""
    rows = Contact.objects.annotate(email_upper=Upper("email")).filter(email_upper__in=[a.upper() for a in addresses])
    return rows.select_related("client").order_by("-client__is_active", "-is_active", "id")


def _preference(contact) -> tuple:
    # The order of _contacts_of: an active contact of an active client, then the oldest.
    return (not contact.client.is_active, not contact.is_active, contact.pk)


def resolve_sender(address: str, name: str = "", *, mailbox: Mailbox | None = None, directory: Directory) -> Sender:
    """Match the sender to a contact: by address, then by the client's mail domain, then the fallback client."""
    contact = directory.known_contact(address)
    if contact is not None:
        return Sender(contact=contact, client=contact.client)
    client = directory.client_for_domain(domain_of(address))
    triage = False
    if client is None:
        # An in-house team's mailbox names its one company; otherwise a human sorts it out.
        client = mailbox.default_client if mailbox is not None and mailbox.default_client_id else None
        if client is None:
            client, triage = directory.catchall(), True
    if not address:
        return Sender(contact=None, client=client, triage=triage)
    contact, created = directory.contact_for_address(
        client, address, name=name, notes="Added when their email arrived." if not triage else
        "Wrote in from an unknown address; move them to the right client."
    )
    return Sender(contact=contact, client=client, created=created, triage=triage)


def triage_queue() -> Queue:
    """The queue where mail nobody could place waits for a human."""
    return Queue.objects.get_or_create(name=TRIAGE_QUEUE)[0]


def cc_contacts(client: Client, addresses, *, directory: Directory, exclude=(), limit: int = 50) -> list[Contact]:
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
        contact = directory.contact_of(client, address)
        if contact is None and domain_of(address) in domains:
            contact, _ = directory.contact_for_address(client, address, notes="Added when CC'd on an email.")
        if contact is not None:
            found.append(contact)
        # A 10,000-recipient CC list must not make 10,000 contacts or queries.
        if len(found) >= limit or len(seen) >= limit * 4:
            break
    return found
