"""Background jobs of inbound mail: process stored messages, poll IMAP mailboxes, recover lost work."""

import logging

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from steward.core.exceptions import DomainError
from steward.mail import processing
from steward.mail.channels import imap
from steward.mail.choices import MailboxKind
from steward.mail.models import Mailbox

log = logging.getLogger(__name__)


@db_task()
def process_inbound_task(message_id: int):
    """Turn a stored message, and the pending ones after it, into tickets or timeline entries."""
    processing.process_batch(message_id)


@db_task()
def check_mailbox_task(mailbox_id: int):
    """Fetch one IMAP mailbox's new mail now."""
    mailbox = Mailbox.objects.filter(pk=mailbox_id, is_active=True, kind=MailboxKind.IMAP).first()
    if mailbox is not None:
        imap.fetch_mailbox_safely(mailbox)


@db_periodic_task(crontab(minute="*"))
def poll_mailboxes_task():
    """Fetch new mail from every active IMAP mailbox, one after the other."""
    for mailbox in Mailbox.objects.filter(is_active=True, kind=MailboxKind.IMAP).order_by("pk"):
        imap.fetch_mailbox_safely(mailbox)


@db_periodic_task(crontab(minute="*"))
def recover_inbound_task():
    """Queue again the messages whose processing was lost (killed worker, queue or database trouble)."""
    for message_id in processing.messages_to_recover():
        process_inbound_task(message_id)


def check_mailbox_now(mailbox: Mailbox) -> None:
    """The "check now" button: fetch the mailbox's new mail in the background, right away."""
    if mailbox.kind != MailboxKind.IMAP:
        raise DomainError("Only IMAP mailboxes are fetched; mail reaches the others by itself.", field="kind")
    if not mailbox.is_active:
        raise DomainError("The mailbox is switched off; switch it on first.", field="is_active")
    transaction.on_commit(lambda: check_mailbox_task(mailbox.pk))
