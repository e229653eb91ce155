from django.conf import settings
from django.db import models
from django.db.models import F, Q

from steward.core.fields import LongTextField
from steward.core.tenancy import ScopedManager, ScopedQuerySet, Tenancy
from steward.desk.choices import (
    OPEN_STATUSES,
    CallDirection,
    EntryKind,
    Impact,
    Priority,
    Source,
    TicketStatus,
    TicketType,
    Urgency,
)

# Catalogues are the provider's own configuration: staff see them all; the portal
# shows them to every client (category pickers), so they are scoped to nobody.
CATALOGUE = Tenancy(client="pk")


class CatalogueQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self


class Queue(models.Model):
    """Where tickets wait for a team: 'Service desk', 'Projects', 'Triage'."""

    name = models.CharField(max_length=100, unique=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="queues")
    is_default = models.BooleanField(default=False)

    tenancy = Tenancy(client="pk", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_queue")]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A request category; a category with a parent is a subcategory."""

    name = models.CharField(max_length=100)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")

    tenancy = CATALOGUE
    objects = models.Manager.from_queryset(CatalogueQuerySet)()

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint("parent", "name", name="category_unique_in_parent"),
            models.UniqueConstraint("name", condition=Q(parent__isnull=True), name="top_category_unique"),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Software(models.Model):
    """An application tickets can be about, so reports can show which software causes work."""

    name = models.CharField(max_length=150)
    vendor = models.CharField(max_length=150, blank=True)

    tenancy = CATALOGUE
    objects = models.Manager.from_queryset(CatalogueQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "software"
        constraints = [models.UniqueConstraint("vendor", "name", name="software_unique")]

    def __str__(self):
        return f"{self.vendor} {self.name}".strip()


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True, allow_unicode=True)

    # Internal labels ("acme-migration") could reveal other clients, so the portal never sees them.
    tenancy = Tenancy(client="pk", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PriorityRule(models.Model):
    """One cell of the impact × urgency matrix; the provider may change any cell."""

    impact = models.PositiveSmallIntegerField(choices=Impact.choices)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)

    tenancy = Tenancy(client="pk", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["impact", "urgency"]
        constraints = [models.UniqueConstraint("impact", "urgency", name="priority_rule_unique_cell")]


class TicketNumber(models.Model):
    """A single-row counter handing out short human ticket numbers (#1042)."""

    last_number = models.PositiveBigIntegerField(default=1000)


class TicketQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Ticket(models.Model):
    # Foreign keys with db_index=False lead a composite index below, which serves their lookups
    # too: every index is written on each new ticket, and mail opens tickets by the hundred.
    number = models.PositiveBigIntegerField(unique=True)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="tickets", db_index=False)
    site = models.ForeignKey("clients.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets")
    requester = models.ForeignKey(
        "clients.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="requested_tickets",
        db_index=False,
    )
    cc = models.ManyToManyField("clients.Contact", blank=True, related_name="cc_tickets")
    subject = models.CharField(max_length=255)
    description = LongTextField(blank=True)
    status = models.CharField(max_length=30, choices=TicketStatus.choices, default=TicketStatus.NEW)
    type = models.CharField(max_length=20, choices=TicketType.choices, default=TicketType.INCIDENT)
    impact = models.PositiveSmallIntegerField(choices=Impact.choices, default=Impact.LOW)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.MEDIUM)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.P3)
    # Set when a technician chose the priority by hand; the matrix then leaves it alone.
    priority_overridden = models.BooleanField(default=False)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets")
    software = models.ForeignKey(Software, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.API)
    queue = models.ForeignKey(
        Queue, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets", db_index=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_tickets"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", db_index=False
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_tickets", db_index=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change, so an edit based on an old copy can be detected.
    version = models.PositiveIntegerField(default=1)

    tenancy = Tenancy(client="client", contact="requester")
    objects = models.Manager.from_queryset(TicketQuerySet)()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated"),
            models.Index(fields=["client", "-updated_at", "-id"], name="ticket_client_updated"),
            models.Index(fields=["status", "assignee", "-updated_at", "-id"], name="ticket_status_assignee"),
            models.Index(fields=["status", "-updated_at", "-id"], name="ticket_status_updated"),
            models.Index(fields=["queue", "status", "-updated_at"], name="ticket_queue_status"),
            models.Index(fields=["requester", "-updated_at"], name="ticket_requester_updated"),
            # Parent and merge links are almost always empty. SQLite's statistics cannot tell (they ignore
            # NULLs), so with only the full foreign-key indexes the detail page's "related tickets" lookup
            # scanned every ticket; these partial indexes hold just the linked rows.
            models.Index(fields=["parent"], condition=Q(parent__isnull=False), name="ticket_parent_set"),
            models.Index(fields=["merged_into"], condition=Q(merged_into__isnull=False), name="ticket_merged_set"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=4), name="ticket_priority_range"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="ticket_not_own_parent"),
        ]

    def __str__(self):
        return f"#{self.number} {self.subject}"

    @property
    def reference(self):
        return f"#{self.number}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class TicketEntry(models.Model):
    """One item on a ticket's timeline: reply, internal note, call, email or system event."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="entries", db_index=False)  # entry_ticket_time
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    # Public entries are shown to the client (portal, email); notes and events are internal.
    is_public = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_contact = models.ForeignKey(
        "clients.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = LongTextField(blank=True)
    # Emails: what the timeline folds away under the new part (quoted history, signature); the raw message is kept by mail.
    quoted_text = LongTextField(blank=True)
    # Calls: direction, number and length.
    call_direction = models.CharField(max_length=10, choices=CallDirection.choices, blank=True)
    caller_number = models.CharField(max_length=40, blank=True)
    call_duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    # System events: {"field": "status", "old": "new", "new": "open"} and the like.
    event = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    tenancy = Tenancy(client="ticket__client", contact="ticket__requester", portal_filter=Q(is_public=True))
    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="entry_ticket_time")]
        verbose_name_plural = "ticket entries"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.ticket_id}"

    @property
    def author_name(self):
        if self.author_id:
            return self.author.display_name
        if self.author_contact_id:
            return self.author_contact.full_name
        return "Steward"


# Browsers may show these inline safely; anything else downloads as opaque bytes.
SAFE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def attachment_path(instance, filename):
    # Stored under a random name: the original name is kept in the row, never used on disk.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{instance.storage_name}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(TicketEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    storage_name = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=150)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # An email's inline image (the HTML referenced it by cid:); shown as a picture, not listed as a file.
    content_id = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenancy = Tenancy(
        client="ticket__client", contact="ticket__requester", portal_filter=Q(entry__isnull=True) | Q(entry__is_public=True)
    )
    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.filename

    @property
    def is_inline_image(self):
        return bool(self.content_id) and self.content_type in SAFE_IMAGE_TYPES


class SavedView(models.Model):
    """A named queue filter ("Acme P1s", "My waiting tickets"); shared with the team when it has no owner."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="saved_views"
    )
    name = models.CharField(max_length=80)
    # The queue's query string (status=open&priority=1&sort=-updated), so a view is exactly a filtered URL.
    query = models.CharField(max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    tenancy = Tenancy(client="pk", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint("owner", "name", name="saved_view_unique_name_per_owner")]

    def __str__(self):
        return self.name


class CannedReply(models.Model):
    """A reusable reply text with placeholders such as {{ requester.first_name }}; shared when it has no owner."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="canned_replies"
    )
    title = models.CharField(max_length=120)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenancy = Tenancy(client="pk", staff_only=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "canned replies"

    def __str__(self):
        return self.title
