"""Webhook: mail services (Mailgun, SendGrid, Postmark, a Postfix pipe) POST raw MIME messages.

``POST /mail/inbound/<mailbox_id>/`` with the message as the body (``message/rfc822``) or as
a multipart field (``message``, ``email`` or ``body-mime``), authenticated by the mailbox's
webhook secret as a bearer token or the password of HTTP basic auth. 202 means stored.
"""

import base64
import hmac
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from steward.mail import ingest
from steward.mail.choices import MailboxKind, Source
from steward.mail.models import Mailbox

log = logging.getLogger(__name__)

FIELDS = ("message", "email", "body-mime", "mime")


def _secret_given(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value.strip()).decode().partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            return ""
    return request.headers.get("X-Steward-Secret", "")


def _raw_message(request) -> bytes | None:
    if request.content_type.startswith("multipart/") or request.content_type == "application/x-www-form-urlencoded":
        for name in FIELDS:
            if name in request.FILES:
                return request.FILES[name].read()
            if request.POST.get(name):
                return request.POST[name].encode("utf-8", "surrogateescape")
        return None
    # Read the stream, not request.body: a message may be larger than the form-data limit.
    return request.read(settings.MAIL_MAX_MESSAGE_BYTES + 1)


@csrf_exempt
@require_POST
def receive_inbound_mail(request, mailbox_id: int):
    mailbox = Mailbox.objects.filter(pk=mailbox_id, is_active=True, kind=MailboxKind.WEBHOOK).first()
    secret = mailbox.webhook_secret if mailbox is not None else ""
    given = _secret_given(request)
    if not secret or not given or not hmac.compare_digest(given.encode(), secret.encode()):
        # One answer for both, so the endpoint does not tell which mailboxes exist.
        return JsonResponse({"detail": "Unknown mailbox or wrong secret."}, status=404)
    if int(request.headers.get("Content-Length") or 0) > settings.MAIL_MAX_MESSAGE_BYTES:
        return JsonResponse({"detail": "The message is larger than this server accepts."}, status=413)
    raw = _raw_message(request)
    if not raw or not raw.strip():
        return JsonResponse({"detail": f"Send the raw message as the body or as the field '{FIELDS[0]}'."}, status=400)
    if len(raw) > settings.MAIL_MAX_MESSAGE_BYTES:
        return JsonResponse({"detail": "The message is larger than this server accepts."}, status=413)
    try:
        message, created = ingest.store_raw(raw, source=Source.WEBHOOK, mailbox=mailbox)
    except (DatabaseError, OSError):
        log.exception("Could not store a message posted to mailbox %s", mailbox_id)
        # Mail services retry on 5xx: the message is not lost, only delayed.
        return JsonResponse({"detail": "Could not store the message; try again."}, status=503, headers={"Retry-After": "60"})
    return JsonResponse({"id": message.pk, "duplicate": not created}, status=202)
