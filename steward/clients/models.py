import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.db.models.lookups import Exact

from steward.clients.choices import Weekday
from steward.core.tenancy import ScopedManager, Tenancy


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not a known time zone (e.g. Europe/London).")


short_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,15}$", "Use 2–16 capital letters, digits or dashes, e.g. ACME."
)


class Client(models.Model):
    """A client company the provider looks after."""

    name = models.CharField(max_length=200)
    short_code = models.CharField(max_length=16, unique=True, validators=[short_code_validator])
    # Lower-case domains ("acme.com"); mail from these domains belongs to this client.
    email_domains = models.JSONField(default=list, blank=True)
    # Whether its people get a "we have your request" email for each new ticket they send in.
    send_acknowledgements = models.BooleanField(default=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    industry = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, db_index=True)
    # The portal shows the client's own name, logo and colour to its people.
    logo = models.FileField(upload_to="logos/", blank=True)
    brand_color = models.CharField(
        max_length=7, blank=True, validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #1a56b8.")]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenancy = Tenancy(client="pk")
    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="client_name_unique_ci")]

    def __str__(self):
        return self.name


class BusinessHours(models.Model):
    """A client's business-hours calendar; SLA clocks only run inside it."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="business_hours")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])

    tenancy = Tenancy(client="client", client_admin_only=True)
    objects = ScopedManager()

    def __str__(self):
        return f"Business hours of {self.client}"


class BusinessHoursSlot(models.Model):
    """One opening interval on a weekday, in the calendar's time zone."""

    calendar = models.ForeignKey(BusinessHours, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    tenancy = Tenancy(client="calendar__client", client_admin_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="slot_closes_after_opens")]


class Holiday(models.Model):
    calendar = models.ForeignKey(BusinessHours, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=100)

    tenancy = Tenancy(client="calendar__client", client_admin_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint("calendar", "date", name="holiday_unique_per_day")]


class Site(models.Model):
    """A physical location of a client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    city = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    phone = models.CharField(max_length=40, blank=True)

    tenancy = Tenancy(client="client")
    objects = ScopedManager()

    class Meta:
        ordering = ["client__name", "name"]
        constraints = [models.UniqueConstraint("client", Lower("name"), name="site_name_unique_per_client")]

    def __str__(self):
        return f"{self.client.short_code} – {self.name}" if self.client_id else self.name


class Contact(models.Model):
    """A person at a client: requester of tickets, and optionally a portal user."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    # Set when mail to this address bounced (the desk shows it; outbound mail may skip the address).
    email_bounced_at = models.DateTimeField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    mobile = models.CharField(max_length=40, blank=True)
    # Digits only (with country code when known), so a caller's number matches however it was typed.
    phone_digits = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    mobile_digits = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    title = models.CharField(max_length=100, blank=True)
    is_vip = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    portal_access = models.BooleanField(default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contact"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenancy = Tenancy(client="client", contact="pk")
    objects = ScopedManager()

    class Meta:
        ordering = ["first_name", "last_name"]
        # Nearly every contact has no portal user, and SQLite's statistics ignore NULLs, so it would
        # rather scan than use the unique index; this partial index holds only the linked rows.
        indexes = [
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="contact_user_set"),
            # Inbound mail looks contacts up by address in any case: see email_matches().
            models.Index(Upper("email"), name="contact_email_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                "client", Lower("email"), condition=~Q(email=""), name="contact_email_unique_per_client"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class Contract(models.Model):
    """What a client buys: included hours, rate, what is covered, and (later) the SLA plan."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contracts")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    included_hours_per_month = models.DecimalField(
        max_digits=7, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    hourly_rate = models.DecimalField(max_digits=9, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    covered_devices = models.PositiveIntegerField(default=0)
    covered_users = models.PositiveIntegerField(default=0)
    # Placeholder until SLA plans exist: the plan's name as agreed with the client.
    sla_plan = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    tenancy = Tenancy(client="client", client_admin_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["client__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="contract_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name


def email_matches(address: str):
    """Filter for contacts whose email is ``address`` in any case, written to use contact_email_upper.

    Same rows as ``email__iexact`` on PostgreSQL (which compiles to UPPER() = UPPER()); on SQLite
    iexact is a LIKE that no expression index serves, so compare UPPER() on both sides instead.
    """
    return Exact(Upper("email"), Upper(models.Value(address, output_field=models.CharField())))
