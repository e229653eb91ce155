"""`steward mail SUBCOMMAND`: mail tools.

Each subcommand is a method `handle_<name>` plus a few lines in `add_arguments`, so the
mail channels can add theirs (`smtpd`, ...) beside `parse`.
"""

import json
import signal
import sys
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from steward.mail.channels import imap, smtp
from steward.mail.choices import MailboxKind
from steward.mail.models import Mailbox
from steward.mail.parsing import parse_message

_PARSE_FIELDS = (
    "from_address", "from_name", "to", "cc", "subject", "message_id", "in_reply_to", "references",
)


class Command(BaseCommand):
    help = "Mail tools. `steward mail parse < message.eml` prints what Steward reads in a raw message."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        parse = subcommands.add_parser("parse", help="Parse one raw message from stdin and print JSON.")
        parse.add_argument("--file", default="-", help="read the message from this file instead of stdin")
        parse.add_argument("--max-attachment-bytes", type=int, default=None)
        parse.set_defaults(handler="handle_parse")
        smtpd = subcommands.add_parser("smtpd", help="Run the inbound SMTP listener for SMTP mailboxes.")
        smtpd.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
        smtpd.add_argument("--port", type=int, default=2525, help="port to listen on (default 2525)")
        smtpd.set_defaults(handler="handle_smtpd")
        fetch = subcommands.add_parser("fetch", help="Fetch new mail from IMAP mailboxes now.")
        fetch.add_argument("--mailbox", help="id or address of one mailbox (default: every active IMAP mailbox)")
        fetch.set_defaults(handler="handle_fetch")

    def handle(self, *args, **options):
        handler = options.get("handler") or f"handle_{options['subcommand']}"
        return getattr(self, handler)(**options)

    def handle_parse(self, *, file="-", max_attachment_bytes=None, **options):
        if file == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(file, "rb") as source:
                raw = source.read()
        parsed = parse_message(raw, max_attachment_bytes=max_attachment_bytes)
        data = {name: getattr(parsed, name) for name in _PARSE_FIELDS}
        data["date"] = parsed.date.isoformat() if parsed.date else None
        data["text"] = parsed.text
        data["reply_text"] = parsed.reply_text
        data["html"] = parsed.html
        data["attachments"] = [
            {"filename": a.filename, "content_type": a.content_type, "size": a.size, "inline": a.inline}
            for a in parsed.attachments
        ]
        data["is_auto_reply"] = parsed.is_auto_reply
        data["is_bounce"] = parsed.is_bounce
        data["warnings"] = parsed.warnings
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def handle_smtpd(self, *, host="0.0.0.0", port=2525, **options):
        server = smtp.controller(host, port)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        server.start()
        self.stdout.write(f"Steward SMTP listener on {host}:{port}; Ctrl-C stops it.")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            server.stop()

    def handle_fetch(self, *, mailbox=None, **options):
        mailboxes = Mailbox.objects.filter(kind=MailboxKind.IMAP)
        if mailbox:
            lookup = Q(address__iexact=mailbox) | (Q(pk=int(mailbox)) if mailbox.isdigit() else Q())
            mailboxes = mailboxes.filter(lookup)
            if not mailboxes.exists():
                raise CommandError(f"No IMAP mailbox '{mailbox}'.")
        else:
            mailboxes = mailboxes.filter(is_active=True)
        failed = False
        for box in mailboxes.order_by("pk"):
            result = imap.fetch_mailbox_safely(box)
            box.refresh_from_db(fields=["last_error"])
            if result is None:
                failed = True
                self.stderr.write(f"{box.address}: {box.last_error}")
            else:
                self.stdout.write(f"{box.address}: {result.stored} new, {result.duplicates} already stored")
        if failed:
            raise CommandError("Some mailboxes could not be fetched.")
