from django.db import models


class MailboxKind(models.TextChoices):
    IMAP = "imap", "IMAP mailbox (Steward polls it)"
    SMTP = "smtp", "Inbound SMTP (mail is routed to Steward)"
    WEBHOOK = "webhook", "Webhook (a mail service posts raw messages)"


class Security(models.TextChoices):
    TLS = "tls", "TLS"
    STARTTLS = "starttls", "STARTTLS"
    NONE = "none", "None (testing only)"


class ImapAuth(models.TextChoices):
    PASSWORD = "password", "Password"
    OAUTH2 = "oauth2", "OAuth2 (XOAUTH2)"


class OAuthProvider(models.TextChoices):
    MICROSOFT = "microsoft", "Microsoft 365"
    GOOGLE = "google", "Google Workspace"


class AfterImport(models.TextChoices):
    MARK_SEEN = "mark_seen", "Mark as seen"
    MOVE = "move", "Move to a folder"


class Source(models.TextChoices):
    IMAP = "imap", "IMAP"
    SMTP = "smtp", "SMTP"
    WEBHOOK = "webhook", "Webhook"
    COMMAND = "command", "Command line"


class InboundStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be processed"
    PROCESSING = "processing", "Being processed"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored"
    FAILED = "failed", "Failed"


class OutboundKind(models.TextChoices):
    REPLY = "reply", "Technician reply"
    ACKNOWLEDGEMENT = "acknowledgement", "New ticket acknowledgement"
    RESOLVED = "resolved", "Ticket resolved"
    TECHNICIAN_REPLY = "technician_reply", "New reply (to technicians)"
    TECHNICIAN_ASSIGNED = "technician_assigned", "Ticket assigned (to technicians)"


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
