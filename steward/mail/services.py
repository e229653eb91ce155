"""Write path of mail configuration: mailboxes and email templates, shared by the UI and the API."""

from django.core.exceptions import ValidationError
from django.db import transaction

from steward.core.exceptions import DomainError, NotPermitted, require_staff
from steward.mail.choices import ImapAuth, MailboxKind
from steward.mail.models import EmailTemplate, Mailbox

# Write-only: accepted on create and update, never shown or returned again.
SECRET_FIELDS = ("imap_password", "oauth_client_secret", "oauth_refresh_token", "smtp_password", "webhook_secret")
# Written by Steward itself (polling, token refresh), never by a person.
READ_ONLY_FIELDS = {"id", "pk", "last_checked_at", "last_error", "created_at", "oauth_access_token", "oauth_expires_at"}


def require_admin(user):
    require_staff(user)
    if not user.is_admin:
        raise NotPermitted("Only an administrator can change mail settings.")


def _check(mailbox: Mailbox) -> None:
    if mailbox.kind == MailboxKind.IMAP and not mailbox.imap_host:
        raise DomainError("An IMAP mailbox needs the IMAP server's host name.", field="imap_host")
    if mailbox.imap_auth == ImapAuth.OAUTH2 and not (mailbox.oauth_provider and mailbox.oauth_client_id):
        raise DomainError("OAuth2 needs the provider and the application's client id.", field="oauth_provider")
    try:
        mailbox.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        if field == "__all__" and "move" in " ".join(messages):
            field, messages = "move_to_folder", ["Name the folder to move imported mail to."]
        raise DomainError(" ".join(messages), field=None if field == "__all__" else field) from exc


@transaction.atomic
def save_mailbox(actor, mailbox: Mailbox | None, changes: dict) -> Mailbox:
    """Create a mailbox (``mailbox`` None) or change one; an empty or absent secret keeps the stored one."""
    require_admin(actor)
    mailbox = mailbox or Mailbox()
    unknown = set(changes) & READ_ONLY_FIELDS
    if unknown:
        raise DomainError(f"{', '.join(sorted(unknown))} cannot be set.", field=sorted(unknown)[0])
    for field, value in changes.items():
        if field in SECRET_FIELDS and not value:
            continue
        setattr(mailbox, field, value)
    if "address" in changes:
        mailbox.address = (mailbox.address or "").strip().lower()
    _check(mailbox)
    mailbox.save()
    return mailbox


@transaction.atomic
def save_email_template(actor, kind: str, *, subject: str, body: str) -> EmailTemplate:
    """Store the provider's own text for ``kind``; it replaces the default from then on."""
    require_admin(actor)
    if not subject.strip() or not body.strip():
        raise DomainError("A template needs a subject and a text.", field="body" if subject.strip() else "subject")
    template, _ = EmailTemplate.objects.update_or_create(
        kind=kind, defaults={"subject": subject.strip(), "body": body, "updated_by": actor}
    )
    return template


@transaction.atomic
def reset_email_template(actor, kind: str) -> None:
    """Go back to Steward's default text for ``kind``."""
    require_admin(actor)
    EmailTemplate.objects.filter(kind=kind).delete()
