from django.conf import settings
from django.db import models
from django.db.models import Q

from steward.core.tenancy import ScopedManager, Tenancy
from steward.mail.choices import (
    AfterImport,
    ImapAuth,
    InboundStatus,
    MailboxKind,
    OAuthProvider,
    OutboundKind,
    OutboundStatus,
    Security,
    Source,
)

STAFF_ONLY = Tenancy(client="pk", staff_only=True)


class Mailbox(models.Model):
    """A support address Steward takes mail in from, and sends replies as."""

    name = models.CharField(max_length=100)
    address = models.EmailField(unique=True, help_text="The support address, e.g. support@provider.example.")
    kind = models.CharField(max_length=10, choices=MailboxKind.choices, default=MailboxKind.IMAP)
    is_active = models.BooleanField(default=True)

    # Where new tickets from this mailbox go.
    default_queue = models.ForeignKey("desk.Queue", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    default_client = models.ForeignKey(
        "clients.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="For an in-house team's single company: unknown senders become its contacts.",
    )
    send_acknowledgements = models.BooleanField(default=True)

    # IMAP
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_security = models.CharField(max_length=10, choices=Security.choices, default=Security.TLS)
    imap_auth = models.CharField(max_length=10, choices=ImapAuth.choices, default=ImapAuth.PASSWORD)
    imap_username = models.CharField(max_length=255, blank=True)
    imap_password = models.CharField(max_length=255, blank=True)
    imap_folder = models.CharField(max_length=255, default="INBOX")
    after_import = models.CharField(max_length=10, choices=AfterImport.choices, default=AfterImport.MARK_SEEN)
    move_to_folder = models.CharField(max_length=255, blank=True)

    # OAuth2 for IMAP and SMTP (XOAUTH2)
    oauth_provider = models.CharField(max_length=10, choices=OAuthProvider.choices, blank=True)
    oauth_tenant = models.CharField(max_length=100, blank=True, help_text="Microsoft 365 tenant id or domain.")
    oauth_client_id = models.CharField(max_length=255, blank=True)
    oauth_client_secret = models.CharField(max_length=255, blank=True)
    oauth_refresh_token = models.TextField(blank=True)
    oauth_access_token = models.TextField(blank=True)
    oauth_expires_at = models.DateTimeField(null=True, blank=True)

    # Outbound SMTP for this mailbox; empty host: the default from settings.
    smtp_host = models.CharField(max_length=255, blank=True)
    smtp_port = models.PositiveIntegerField(default=587)
    smtp_security = models.CharField(max_length=10, choices=Security.choices, default=Security.STARTTLS)
    smtp_username = models.CharField(max_length=255, blank=True)
    smtp_password = models.CharField(max_length=255, blank=True)

    # Webhook: mail services post raw MIME with this secret.
    webhook_secret = models.CharField(max_length=64, blank=True)

    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    tenancy = STAFF_ONLY
    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"
        constraints = [
            models.CheckConstraint(
                condition=~Q(after_import=AfterImport.MOVE) | ~Q(move_to_folder=""), name="mailbox_move_needs_folder"
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.address}>"


def raw_message_path(instance, filename):
    # Content-addressed: the same bytes always land in the same file.
    return f"mail/raw/{instance.sha256[:2]}/{instance.sha256}.eml"


class InboundMessage(models.Model):
    """The raw store: every message exactly as received, written before its source is acknowledged."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    source = models.CharField(max_length=10, choices=Source.choices)
    sha256 = models.CharField(max_length=64)  # unique: Meta.constraints
    raw = models.FileField(upload_to=raw_message_path, max_length=255)
    size = models.PositiveBigIntegerField()
    # Read from the headers at store time (best effort) so duplicates and threads can be found fast.
    message_id = models.CharField(max_length=998, blank=True)  # indexed in Meta
    from_address = models.CharField(max_length=320, blank=True)  # inbound_sender_received
    subject = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(db_index=True)

    status = models.CharField(max_length=12, choices=InboundStatus.choices, default=InboundStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a worker took it; a claim older than MAIL_CLAIM_TIMEOUT belongs to a dead worker and is taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    outcome = models.CharField(max_length=255, blank=True, help_text="What processing did, in words.")
    processed_at = models.DateTimeField(null=True, blank=True)
    # What processing made of it. Log links without a database constraint: Django clears them when
    # the ticket or entry goes (SET_NULL), and the constraint's check locked the ticket row again
    # for every processed message, the largest part of the database's work in a batch.
    ticket = models.ForeignKey(
        "desk.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages",
        db_constraint=False,
    )
    entry = models.ForeignKey(
        "desk.TicketEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages",
        db_constraint=False,
    )

    tenancy = STAFF_ONLY
    objects = ScopedManager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The claim reads pending messages in this order and stops after a batch.
            models.Index(fields=["status", "received_at", "id"], name="inbound_status_received_id"),
            models.Index(fields=["from_address", "-received_at"], name="inbound_sender_received"),
            models.Index(fields=["message_id"], name="inbound_message_id"),
        ]
        # Declared here rather than with unique=True/db_index=True on the fields, which on PostgreSQL also
        # make a second, LIKE-only index on each: nothing searches them by prefix, and every index is
        # written again when processing updates the row.
        constraints = [models.UniqueConstraint(fields=["sha256"], name="inbound_sha256_unique")]

    def __str__(self):
        return f"{self.subject or '(no subject)'} from {self.from_address or 'unknown'}"


class OutboundMessage(models.Model):
    """An email Steward sends; its Message-ID threads the requester's replies back to the ticket."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Log links without a database constraint, as InboundMessage's: Django deletes or clears them.
    ticket = models.ForeignKey(
        "desk.Ticket", on_delete=models.CASCADE, related_name="outbound_messages", db_constraint=False
    )
    entry = models.ForeignKey(
        "desk.TicketEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound_messages",
        db_constraint=False,
    )
    kind = models.CharField(max_length=20, choices=OutboundKind.choices)
    message_id = models.CharField(max_length=998)  # unique: Meta.constraints (no LIKE-only index)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    subject = models.CharField(max_length=255)
    # Rendered at queue time, so what is sent (and retried) is exactly what was decided in the transaction.
    body = models.TextField(blank=True)
    # Empty: made from subject and body when sending (older rows kept theirs).
    html = models.TextField(blank=True)
    # Threading and loop headers: In-Reply-To, References, Auto-Submitted.
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    tenancy = STAFF_ONLY
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_status_created")]
        constraints = [models.UniqueConstraint(fields=["message_id"], name="outbound_message_id_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"


class EmailTemplate(models.Model):
    """An editable notification text; the code's default applies while no row exists for a kind."""

    kind = models.CharField(max_length=20, choices=OutboundKind.choices, unique=True)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    tenancy = STAFF_ONLY
    objects = ScopedManager()

    def __str__(self):
        return self.get_kind_display()
