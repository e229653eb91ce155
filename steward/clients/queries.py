"""Read path for clients, sites, contacts, contracts and business hours, scoped to the user."""

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Concat, Right
from django.utils import timezone

from steward.clients.models import BusinessHours, Client, Contact, Contract, Site
from steward.clients.services import PHONE_KEY_DIGITS, phone_digits, phone_key
from steward.desk.choices import OPEN_STATUSES
from steward.desk.models import Ticket
from steward.work.models import TimeEntry

# Typeahead answers are short lists: the person on the line is among the first few.
MATCH_LIMIT = 8


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


def contacts_with_number(user, number: str):
    """Contacts whose phone or mobile is ``number`` in any notation (+44 …, 0044 …, 0 …).

    Two numbers are the same line when their last significant digits agree, so the lookup
    compares the tails of the stored digit columns with the caller's.
    """
    key = phone_key(number)
    if not key:
        return Contact.objects.none()
    if len(key) == PHONE_KEY_DIGITS:
        match = Q(phone_tail=key) | Q(mobile_tail=key)
    else:  # a short line (some countries have 7-digit numbers): the whole significant part must end it
        match = Q(phone_digits__endswith=key) | Q(mobile_digits__endswith=key)
    return (
        Contact.objects.visible_to(user)
        .select_related("client", "site")
        .alias(phone_tail=Right("phone_digits", PHONE_KEY_DIGITS), mobile_tail=Right("mobile_digits", PHONE_KEY_DIGITS))
        .filter(match)
        .order_by("-is_active", "-is_vip", "first_name", "last_name", "id")
    )


def callers_matching(user, text: str, *, limit: int = MATCH_LIMIT) -> list[Contact]:
    """Contacts of every client for a typed phone number, name or email address, best first."""
    text = (text or "").strip()[:100]
    digits = phone_digits(text)
    if not text:
        return []
    if len(digits) >= 3 and len(digits) >= len(text.replace(" ", "")) // 2:
        # Mostly digits: a number. A complete one matches in any notation; a partial one as typed.
        if len(digits.lstrip("0")) >= PHONE_KEY_DIGITS:
            return list(contacts_with_number(user, text)[:limit])
        significant = digits.lstrip("0")
        match = Q(phone_digits__contains=significant) | Q(mobile_digits__contains=significant)
    else:
        match = Q()
        for word in text.split()[:4]:
            match &= (
                Q(first_name__istartswith=word)
                | Q(last_name__istartswith=word)
                | Q(email__istartswith=word)
                | Q(client__short_code__iexact=word)
            )
        if "@" in text:
            match = Q(email__icontains=text)
    contacts = (
        Contact.objects.visible_to(user)
        .select_related("client", "site")
        .filter(match)
        .order_by("-is_active", "-is_vip", "first_name", "last_name", "id")
    )
    return list(contacts[:limit])


# --- The clients area: a client with its desk and timesheet figures ----------------------
# The list shows open tickets and this month's hours beside each client; correlated
# subqueries keep that to one query for the whole page instead of three per row.


def month_start(now=None):
    """Midnight on the first of the current month, in the site's time zone."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def with_usage(clients, *, since=None):
    """Annotate clients with open_tickets, minutes_this_month and included_hours (active contracts)."""
    since = since or month_start()
    today = timezone.localdate()
    open_tickets = (
        Ticket.objects.filter(client=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    minutes = (
        TimeEntry.objects.filter(client=OuterRef("pk"), started_at__gte=since)
        .order_by()
        .values("client")
        .annotate(m=Sum("duration_minutes"))
        .values("m")
    )
    included = (
        Contract.objects.filter(client=OuterRef("pk"), starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since.date()))
        .order_by()
        .values("client")
        .annotate(h=Sum("included_hours_per_month"))
        .values("h")
    )
    return clients.annotate(
        open_tickets=Coalesce(Subquery(open_tickets), 0),
        minutes_this_month=Coalesce(Subquery(minutes), 0),
        included_hours=Coalesce(Subquery(included), Value(Decimal("0")), output_field=DecimalField()),
    )


def client_rows(user, *, q: str | None = None, is_active: bool | None = None):
    """The client list: visible clients with this month's figures, by name."""
    return with_usage(clients_for(user, q=q, is_active=is_active))
