"""Write path for client companies, their sites, contacts, contracts and business hours.

Only the provider's staff change these; client admins read them in the portal.
"""

import re

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.timezone import now

from steward.accounts.choices import CLIENT_ROLES, Role
from steward.accounts.models import User
from steward.clients.models import BusinessHours, BusinessHoursSlot, Client, Contact, Contract, Holiday, Site
from steward.core.exceptions import DomainError, require_staff

CLIENT_FIELDS = (
    "name", "short_code", "email_domains", "phone", "website", "industry", "notes", "is_active", "send_acknowledgements"
)
SITE_FIELDS = ("name", "address", "city", "postcode", "country", "timezone", "phone")
CONTACT_FIELDS = (
    "site",
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "title",
    "is_vip",
    "is_active",
    "portal_access",
    "notes",
)
CONTRACT_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "included_hours_per_month",
    "hourly_rate",
    "covered_devices",
    "covered_users",
    "sla_plan",
    "notes",
)
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
STAFF_ONLY = "Only the provider's staff can change client records."


class ClientError(DomainError):
    pass


# Calls are matched on the last digits of the number: enough to tell subscribers apart, and
# the same whether it was written "+44 20 7946 0101", "0044 20 79460101" or "020 7946 0101".
PHONE_KEY_DIGITS = 9
# Shorter numbers are extensions or typos, never a caller's line.
PHONE_MIN_DIGITS = 6


def phone_digits(number: str) -> str:
    """Digits only, so a caller's number matches however it was typed."""
    return re.sub(r"\D", "", number or "")


def phone_key(number: str) -> str:
    """The part of a number every notation shares: its last significant digits ('' if too short).

    International (+44, 0044) and national (0) prefixes only ever change the front of a
    number, so the tail is what two notations of the same line have in common.
    """
    significant = phone_digits(number).lstrip("0")
    if len(significant) < PHONE_MIN_DIGITS:
        return ""
    return significant[-PHONE_KEY_DIGITS:]


def fill_phone_digits(contact: Contact) -> list[str]:
    """Derive a contact's digit columns from its numbers; return the names of those that changed.

    Every writer of contacts (services, CSV import, demo data, the backfill in call matching)
    goes through here, so the columns calls are matched on never drift from the numbers shown.
    """
    changed = []
    for field, source in (("phone_digits", contact.phone), ("mobile_digits", contact.mobile)):
        digits = phone_digits(source)
        if getattr(contact, field) != digits:
            setattr(contact, field, digits)
            changed.append(field)
    return changed


def _apply(obj, data: dict, allowed: tuple) -> list[str]:
    """Set the allowed fields on ``obj``; return the names of those whose value changed."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ClientError(f"Cannot change {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    changed = []
    for field, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    return changed


def _full_clean(obj) -> None:
    # Constraints are checked by hand below, with messages a person understands.
    try:
        obj.full_clean(validate_unique=True, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ClientError(messages[0], field=None if field == NON_FIELD_ERRORS else field) from None


def _validate_client(client: Client) -> None:
    client.short_code = (client.short_code or "").upper()
    domains = []
    for domain in client.email_domains or []:
        domain = str(domain).strip().lower().lstrip("@")
        if not DOMAIN_RE.match(domain):
            raise ClientError(f"'{domain}' is not a mail domain (e.g. acme.com).", field="email_domains")
        if domain not in domains:
            domains.append(domain)
    client.email_domains = domains
    if not client.name:
        raise ClientError("A client needs a name.", field="name")
    others = Client.objects.exclude(pk=client.pk)
    if others.filter(name__iexact=client.name).exists():
        raise ClientError(f"A client named '{client.name}' already exists.", field="name")
    if others.filter(short_code=client.short_code).exists():
        raise ClientError(f"The short code '{client.short_code}' is taken by another client.", field="short_code")
    # Mail from a domain is filed under its client, so a domain may belong to one client only.
    for name, taken in others.values_list("name", "email_domains"):
        clash = set(domains) & set(taken or ())
        if clash:
            raise ClientError(f"The domain '{sorted(clash)[0]}' belongs to {name}.", field="email_domains")
    _full_clean(client)


@transaction.atomic
def create_client(actor, **data) -> Client:
    """Add a client company."""
    require_staff(actor, STAFF_ONLY)
    client = Client()
    _apply(client, data, CLIENT_FIELDS)
    _validate_client(client)
    client.save()
    return client


@transaction.atomic
def update_client(client: Client, actor, changes: dict) -> Client:
    """Change a client's details."""
    require_staff(actor, STAFF_ONLY)
    changed = _apply(client, changes, CLIENT_FIELDS)
    if changed:
        _validate_client(client)
        client.save(update_fields=[*changed, "updated_at"])
    return client


def _validate_site(site: Site) -> None:
    if not site.name:
        raise ClientError("A site needs a name.", field="name")
    if Site.objects.filter(client_id=site.client_id, name__iexact=site.name).exclude(pk=site.pk).exists():
        raise ClientError(f"This client already has a site named '{site.name}'.", field="name")
    _full_clean(site)


@transaction.atomic
def create_site(actor, *, client: Client, **data) -> Site:
    """Add a site (location) to a client."""
    require_staff(actor, STAFF_ONLY)
    site = Site(client=client)
    _apply(site, data, SITE_FIELDS)
    _validate_site(site)
    site.save()
    return site


@transaction.atomic
def update_site(site: Site, actor, changes: dict) -> Site:
    """Change a site's details."""
    require_staff(actor, STAFF_ONLY)
    changed = _apply(site, changes, SITE_FIELDS)
    if changed:
        _validate_site(site)
        site.save(update_fields=changed)
    return site


def _validate_contact(contact: Contact) -> list[str]:
    if not contact.first_name:
        raise ClientError("A contact needs a first name.", field="first_name")
    if contact.site is not None and contact.site.client_id != contact.client_id:
        raise ClientError(f"Site '{contact.site.name}' belongs to another client.", field="site")
    if contact.email:
        same_email = Contact.objects.filter(client_id=contact.client_id, email__iexact=contact.email)
        if same_email.exclude(pk=contact.pk).exists():
            raise ClientError(f"This client already has a contact with the address {contact.email}.", field="email")
    _full_clean(contact)
    return fill_phone_digits(contact)


@transaction.atomic
def create_contact(actor, *, client: Client, **data) -> Contact:
    """Add a person at a client."""
    require_staff(actor, STAFF_ONLY)
    contact = Contact(client=client)
    _apply(contact, data, CONTACT_FIELDS)
    _validate_contact(contact)
    contact.save()
    return contact


@transaction.atomic
def update_contact(contact: Contact, actor, changes: dict) -> Contact:
    """Change a contact's details."""
    require_staff(actor, STAFF_ONLY)
    changed = _apply(contact, changes, CONTACT_FIELDS)
    if changed:
        changed += _validate_contact(contact)
        contact.save(update_fields=[*changed, "updated_at"])
    return contact


def _validate_contract(contract: Contract) -> None:
    if not contract.name:
        raise ClientError("A contract needs a name.", field="name")
    if contract.ends_on is not None and contract.starts_on is not None and contract.ends_on < contract.starts_on:
        raise ClientError("A contract cannot end before it starts.", field="ends_on")
    _full_clean(contract)


@transaction.atomic
def create_contract(actor, *, client: Client, **data) -> Contract:
    """Record a contract with a client."""
    require_staff(actor, STAFF_ONLY)
    contract = Contract(client=client)
    _apply(contract, data, CONTRACT_FIELDS)
    _validate_contract(contract)
    contract.save()
    return contract


@transaction.atomic
def update_contract(contract: Contract, actor, changes: dict) -> Contract:
    """Change a contract's terms."""
    require_staff(actor, STAFF_ONLY)
    changed = _apply(contract, changes, CONTRACT_FIELDS)
    if changed:
        _validate_contract(contract)
        contract.save(update_fields=changed)
    return contract


@transaction.atomic
def set_business_hours(client: Client, actor, *, timezone: str, slots=(), holidays=()) -> BusinessHours:
    """Replace a client's business-hours calendar: time zone, weekly opening slots and holidays.

    ``slots`` are dicts with weekday (0 = Monday), opens and closes; ``holidays`` dicts with date and name.
    """
    require_staff(actor, STAFF_ONLY)
    by_day: dict[int, list] = {}
    for index, slot in enumerate(slots):
        if slot["closes"] <= slot["opens"]:
            raise ClientError("A slot must close after it opens.", field=f"slots.{index}.closes")
        for opens, closes in by_day.get(slot["weekday"], []):
            if slot["opens"] < closes and opens < slot["closes"]:
                raise ClientError("Slots on the same day may not overlap.", field=f"slots.{index}")
        by_day.setdefault(slot["weekday"], []).append((slot["opens"], slot["closes"]))
    seen_dates = set()
    for index, holiday in enumerate(holidays):
        if holiday["date"] in seen_dates:
            raise ClientError(f"{holiday['date']} is listed twice.", field=f"holidays.{index}.date")
        if not (holiday.get("name") or "").strip():
            raise ClientError("A holiday needs a name.", field=f"holidays.{index}.name")
        seen_dates.add(holiday["date"])

    calendar = BusinessHours.objects.filter(client=client).first() or BusinessHours(client=client)
    calendar.timezone = (timezone or "").strip()
    _full_clean(calendar)
    if calendar.pk:
        calendar.save(update_fields=["timezone"])
    else:
        calendar.save()
    calendar.slots.all().delete()
    calendar.holidays.all().delete()
    BusinessHoursSlot.objects.bulk_create(
        BusinessHoursSlot(calendar=calendar, weekday=s["weekday"], opens=s["opens"], closes=s["closes"]) for s in slots
    )
    Holiday.objects.bulk_create(
        Holiday(calendar=calendar, date=h["date"], name=h["name"].strip()[:100]) for h in holidays
    )
    return calendar


def backfill_phone_digits() -> int:
    """Fill the digit columns of contacts written without the services (admin, fixtures, old imports).

    Cheap when there is nothing to do (an indexed look-up of empty digit columns), so call
    matching runs it first instead of a one-off migration or a command someone must remember.
    """
    missing = Contact.objects.filter(
        (Q(phone_digits="") & ~Q(phone="")) | (Q(mobile_digits="") & ~Q(mobile=""))
    ).only("pk", "phone", "mobile", "phone_digits", "mobile_digits")
    stale = [contact for contact in missing if fill_phone_digits(contact)]
    if stale:
        Contact.objects.bulk_update(stale, ["phone_digits", "mobile_digits"], batch_size=500)
    return len(stale)


# --- Portal access ---------------------------------------------------------------


def _free_username(email: str) -> str:
    base = email.strip().lower()[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def invite_contact_to_portal(actor, contact: Contact, *, role: str = Role.CLIENT_USER) -> tuple[User, bool]:
    """Give a contact a portal account, or switch theirs back on; returns the user and whether it is new."""
    require_staff(actor, STAFF_ONLY)
    if role not in CLIENT_ROLES:
        raise ClientError("Choose 'Client user' or 'Client admin'.", field="role")
    # Locking the contact makes two simultaneous invitations create one user, not two.
    contact = Contact.objects.select_for_update(of=("self",)).select_related("client", "user").get(pk=contact.pk)
    if not contact.email:
        raise ClientError(f"{contact.full_name} has no email address; add one before inviting them.", field="email")
    if not contact.is_active:
        raise ClientError(f"{contact.full_name} is marked inactive; make them active before inviting them.")
    if not contact.client.is_active:
        raise ClientError(f"{contact.client.name} is not an active client.")
    user, created = contact.user, contact.user is None
    if user is None:
        user = User(
            username=_free_username(contact.email),
            email=contact.email.lower(),
            first_name=contact.first_name[:150],
            last_name=contact.last_name[:150],
            role=role,
        )
        user.set_unusable_password()  # they choose one from the invitation
        user.save()
        contact.user = user
    else:
        if user.is_staff_member:
            raise ClientError(f"{contact.full_name} is linked to a staff account, which cannot use the portal.")
        wanted = {"is_active": True, "role": role, "email": contact.email.lower()}
        changed = [field for field, value in wanted.items() if getattr(user, field) != value]
        for field in changed:
            setattr(user, field, wanted[field])
        if changed:
            user.save(update_fields=changed)
    contact.portal_access = True
    contact.save(update_fields=["user", "portal_access", "updated_at"])
    return user, created


# Calls from unknown numbers and mail from unknown domains are filed under this client,
# like ConnectWise's "Catchall" company, so a technician sees them instead of their being dropped.
CATCHALL_NAME = "Unknown callers and senders"


def catchall_client() -> Client:
    """The client unmatched calls and mail are filed under, created on first use."""
    client = Client.objects.filter(short_code=settings.CATCHALL_CLIENT).first()
    if client is None:
        try:
            with transaction.atomic():
                client = Client.objects.create(
                    name=CATCHALL_NAME,
                    short_code=settings.CATCHALL_CLIENT,
                    notes="Calls and mail nobody could be matched to land here. "
                    "Add the person as a contact of the right client and move the ticket.",
                )
        except IntegrityError:  # another worker created it meanwhile
            client = Client.objects.get(short_code=settings.CATCHALL_CLIENT)
    return client


def client_for_domain(domain: str) -> Client | None:
    """The active client whose mail domains include ``domain`` (a domain belongs to one client only)."""
    domain = (domain or "").strip().lower()
    if not domain:
        return None
    # JSON text search narrows it down on every database; the exact check is done here.
    candidates = Client.objects.filter(is_active=True, email_domains__icontains=f'"{domain}"')
    return next((c for c in candidates if domain in (c.email_domains or ())), None)


def clients_for_domains(domains) -> dict:
    """``client_for_domain`` of many domains in one query: domain -> client (or None)."""
    domains = {(d or "").strip().lower() for d in domains} - {""}
    found = dict.fromkeys(domains)
    if not domains:
        return found
    query = Q()
    for domain in domains:
        query |= Q(email_domains__icontains=f'"{domain}"')
    for client in Client.objects.filter(query, is_active=True).order_by("pk"):
        for domain in client.email_domains or ():
            if domain in found and found[domain] is None:
                found[domain] = client
    return found


def new_contact(client: Client, email: str, *, name: str = "", notes: str = "") -> Contact:
    """An unsaved contact for a mail address, named from the mail header ("Jane Doe" or the address)."""
    email = email.strip()
    first, _, last = (name or "").strip().partition(" ")
    first = first or email.split("@", 1)[0] or email
    return Contact(client=client, email=email, first_name=first[:100], last_name=last.strip()[:100], notes=notes)


def mark_email_bounced(addresses, *, at=None) -> int:
    """Flag the contacts behind ``addresses`` as bouncing mail; returns how many were flagged."""
    query = Q()
    for address in addresses:
        if address and "@" in address:
            query |= Q(email__iexact=address.strip())
    if not query:
        return 0
    return Contact.objects.filter(query).update(email_bounced_at=at or now())
