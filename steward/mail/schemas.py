"""API schemas for mailboxes. Secrets are write-only: the API says whether one is set, never what it is."""

import datetime as dt

from ninja import Field, Schema

from steward.mail.choices import (
    AfterImport,
    ImapAuth,
    MailboxKind,
    OAuthProvider,
    Security,
)

SECRET_DESCRIPTION = "Write-only: stored, never returned. Omit or send null to keep the stored value."


class MailboxOut(Schema):
    id: int
    name: str
    address: str
    kind: MailboxKind
    is_active: bool
    default_queue: int | None = Field(None, description="Queue id for new tickets; null: the default queue.")
    default_client: int | None = Field(None, description="Client id whose contacts unknown senders become.")
    send_acknowledgements: bool
    imap_host: str
    imap_port: int
    imap_security: Security
    imap_auth: ImapAuth
    imap_username: str
    imap_folder: str
    after_import: AfterImport
    move_to_folder: str
    oauth_provider: str
    oauth_tenant: str
    oauth_client_id: str
    smtp_host: str = Field(description="Empty: mail is sent through the server's default SMTP settings.")
    smtp_port: int
    smtp_security: Security
    smtp_username: str
    has_imap_password: bool
    has_oauth_client_secret: bool
    has_oauth_refresh_token: bool
    has_smtp_password: bool
    has_webhook_secret: bool
    last_checked_at: dt.datetime | None
    last_error: str
    created_at: dt.datetime

    @staticmethod
    def resolve_default_queue(obj):
        return obj.default_queue_id

    @staticmethod
    def resolve_default_client(obj):
        return obj.default_client_id

    @staticmethod
    def resolve_has_imap_password(obj):
        return bool(obj.imap_password)

    @staticmethod
    def resolve_has_oauth_client_secret(obj):
        return bool(obj.oauth_client_secret)

    @staticmethod
    def resolve_has_oauth_refresh_token(obj):
        return bool(obj.oauth_refresh_token)

    @staticmethod
    def resolve_has_smtp_password(obj):
        return bool(obj.smtp_password)

    @staticmethod
    def resolve_has_webhook_secret(obj):
        return bool(obj.webhook_secret)


class MailboxPatch(Schema):
    name: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=254)
    kind: MailboxKind | None = None
    is_active: bool | None = None
    default_queue: int | None = None
    default_client: int | None = None
    send_acknowledgements: bool | None = None
    imap_host: str | None = Field(None, max_length=255)
    imap_port: int | None = Field(None, ge=1, le=65535)
    imap_security: Security | None = None
    imap_auth: ImapAuth | None = None
    imap_username: str | None = Field(None, max_length=255)
    imap_password: str | None = Field(None, max_length=255, description=SECRET_DESCRIPTION)
    imap_folder: str | None = Field(None, max_length=255)
    after_import: AfterImport | None = None
    move_to_folder: str | None = Field(None, max_length=255)
    oauth_provider: OAuthProvider | None = None
    oauth_tenant: str | None = Field(None, max_length=100)
    oauth_client_id: str | None = Field(None, max_length=255)
    oauth_client_secret: str | None = Field(None, max_length=255, description=SECRET_DESCRIPTION)
    oauth_refresh_token: str | None = Field(None, description=SECRET_DESCRIPTION)
    smtp_host: str | None = Field(None, max_length=255)
    smtp_port: int | None = Field(None, ge=1, le=65535)
    smtp_security: Security | None = None
    smtp_username: str | None = Field(None, max_length=255)
    smtp_password: str | None = Field(None, max_length=255, description=SECRET_DESCRIPTION)
    webhook_secret: str | None = Field(None, max_length=64, description=SECRET_DESCRIPTION)


class MailboxIn(MailboxPatch):
    name: str = Field(max_length=100)
    address: str = Field(max_length=254)
