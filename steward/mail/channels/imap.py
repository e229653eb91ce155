"""IMAP: fetch a mailbox's unseen mail into the raw store, then mark it seen or move it.

Messages are fetched with BODY.PEEK (which leaves them unseen), stored one by one, and
only the ones whose store committed are flagged or moved. If the database fails half-way
through a batch, the rest stay unseen on the server and come back on the next poll.
"""

import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
import imaplib
import ssl

from django.utils import timezone

from steward.mail import ingest
from steward.mail.choices import AfterImport, ImapAuth, OAuthProvider, Security, Source
from steward.mail.models import Mailbox

log = logging.getLogger(__name__)

BATCH_SIZE = 25
# One poll takes at most this many messages; a backlog drains over the next polls.
MAX_PER_POLL = 500
TIMEOUT = 60

# Token endpoints for refreshing OAuth2 access tokens ({tenant} for Microsoft 365).
TOKEN_URLS = {
    OAuthProvider.MICROSOFT: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    OAuthProvider.GOOGLE: "https://oauth2.googleapis.com/token",
}
SCOPES = {
    OAuthProvider.MICROSOFT: "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access",
    OAuthProvider.GOOGLE: "https://mail.google.com/",
}
# Refresh a little before the provider's expiry, so a token never dies mid-session.
EXPIRY_MARGIN = timedelta(minutes=2)
UID_RE = re.compile(rb"UID (\d+)")


class MailboxError(Exception):
    """The mailbox could not be read; the message says why (shown on the mailbox page)."""


@dataclass
class FetchResult:
    stored: int = 0
    duplicates: int = 0
    acknowledged: list = field(default_factory=list)  # UIDs flagged or moved


def access_token(mailbox: Mailbox, *, now=None) -> str:
    """A valid OAuth2 access token for the mailbox, refreshed from the provider when (nearly) expired."""
    now = now or timezone.now()
    if mailbox.oauth_access_token and mailbox.oauth_expires_at and mailbox.oauth_expires_at > now + EXPIRY_MARGIN:
        return mailbox.oauth_access_token
    if not mailbox.oauth_refresh_token:
        raise MailboxError("The mailbox has no OAuth2 refresh token; connect it again.")
    url = TOKEN_URLS.get(mailbox.oauth_provider)
    if url is None:
        raise MailboxError("Choose the OAuth2 provider (Microsoft 365 or Google Workspace).")
    form = {
        "grant_type": "refresh_token",
        "refresh_token": mailbox.oauth_refresh_token,
        "client_id": mailbox.oauth_client_id,
        "client_secret": mailbox.oauth_client_secret,
    }
    if mailbox.oauth_provider == OAuthProvider.MICROSOFT:
        form["scope"] = SCOPES[OAuthProvider.MICROSOFT]
    request = urllib.request.Request(
        url.format(tenant=urllib.parse.quote(mailbox.oauth_tenant or "common", safe="")),
        data=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read())
            reason = detail.get("error_description") or detail.get("error") or str(exc)
        except ValueError:
            reason = str(exc)
        raise MailboxError(f"The {mailbox.get_oauth_provider_display()} token refresh was refused: {reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise MailboxError(f"Could not reach the token endpoint: {exc}") from None
    token = payload.get("access_token")
    if not token:
        raise MailboxError("The token endpoint answered without an access token.")
    mailbox.oauth_access_token = token
    mailbox.oauth_expires_at = now + timedelta(seconds=int(payload.get("expires_in") or 3600))
    fields = ["oauth_access_token", "oauth_expires_at"]
    if payload.get("refresh_token"):  # providers may rotate the refresh token
        mailbox.oauth_refresh_token = payload["refresh_token"]
        fields.append("oauth_refresh_token")
    mailbox.save(update_fields=fields)
    return token


def xoauth2_string(username: str, token: str) -> bytes:
    """The SASL XOAUTH2 initial response (Google and Microsoft document the same format)."""
    return f"user={username}\x01auth=Bearer {token}\x01\x01".encode()


def connect(mailbox: Mailbox) -> imaplib.IMAP4:
    """An authenticated IMAP connection to the mailbox (TLS, STARTTLS or, for tests, plain)."""
    context = ssl.create_default_context()
    try:
        if mailbox.imap_security == Security.TLS:
            conn = imaplib.IMAP4_SSL(mailbox.imap_host, mailbox.imap_port, ssl_context=context, timeout=TIMEOUT)
        else:
            conn = imaplib.IMAP4(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT)
            if mailbox.imap_security == Security.STARTTLS:
                conn.starttls(ssl_context=context)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"Could not connect to {mailbox.imap_host}:{mailbox.imap_port}: {exc}") from None
    try:
        if mailbox.imap_auth == ImapAuth.OAUTH2:
            token = access_token(mailbox)
            conn.authenticate("XOAUTH2", lambda _challenge: xoauth2_string(mailbox.imap_username, token))
        else:
            conn.login(mailbox.imap_username, mailbox.imap_password)
    except imaplib.IMAP4.error as exc:
        _logout(conn)
        raise MailboxError(f"The server refused the login of {mailbox.imap_username}: {_text(exc)}") from None
    except MailboxError:
        _logout(conn)
        raise
    return conn


def _text(exc) -> str:
    value = exc.args[0] if exc.args else exc
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _logout(conn) -> None:
    try:
        conn.logout()
    except Exception:
        pass


def quote_folder(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(response, what: str):
    status, data = response
    if status != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
        raise MailboxError(f"{what} failed: {detail}")
    return data


def fetch_mailbox(mailbox: Mailbox, *, store=None) -> FetchResult:
    """Store the folder's unseen messages; flag or move each only after its store committed."""
    store = store or ingest.store_raw
    conn = connect(mailbox)
    result = FetchResult()
    try:
        _check(conn.select(quote_folder(mailbox.imap_folder or "INBOX")), f"Opening folder {mailbox.imap_folder}")
        uids = _check(conn.uid("SEARCH", None, "UNSEEN"), "Searching for new mail")[0].split()[:MAX_PER_POLL]
        for start in range(0, len(uids), BATCH_SIZE):
            batch = uids[start : start + BATCH_SIZE]
            data = _check(conn.uid("FETCH", b",".join(batch).decode(), "(UID BODY.PEEK[])"), "Fetching messages")
            stored = []
            try:
                for uid, raw in _messages(data):
                    _, created = store(raw, source=Source.IMAP, mailbox=mailbox)
                    result.stored += created
                    result.duplicates += not created
                    stored.append(uid)
            finally:
                # Acknowledge what is safely stored even when the rest of the batch failed.
                if stored:
                    _acknowledge(conn, mailbox, stored)
                    result.acknowledged += stored
    finally:
        _logout(conn)
    return result


def _messages(data):
    """(uid, raw bytes) pairs from a UID FETCH response."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            match = UID_RE.search(item[0])
            if match:
                yield match.group(1), item[1]


def _acknowledge(conn, mailbox: Mailbox, uids) -> None:
    uid_set = b",".join(uids).decode()
    if mailbox.after_import == AfterImport.MOVE and mailbox.move_to_folder:
        target = quote_folder(mailbox.move_to_folder)
        if "MOVE" in conn.capabilities:
            _check(conn.uid("MOVE", uid_set, target), f"Moving messages to {mailbox.move_to_folder}")
            return
        _check(conn.uid("COPY", uid_set, target), f"Copying messages to {mailbox.move_to_folder}")
        _check(conn.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Seen \Deleted)"), "Flagging copied messages")
        if "UIDPLUS" in conn.capabilities:
            _check(conn.uid("EXPUNGE", uid_set), "Expunging moved messages")
        else:
            _check(conn.expunge(), "Expunging moved messages")
        return
    _check(conn.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Seen)"), "Marking messages seen")


def fetch_mailbox_safely(mailbox: Mailbox) -> FetchResult | None:
    """Fetch a mailbox and record the outcome on it; errors are kept for the mailbox page, not raised."""
    error = ""
    result = None
    try:
        result = fetch_mailbox(mailbox)
    except MailboxError as exc:
        error = str(exc)
    except Exception as exc:  # a database or network failure must not stop the other mailboxes
        log.exception("Fetching mailbox %s failed", mailbox.pk)
        error = f"{type(exc).__name__}: {exc}"
    if error:
        log.warning("Mailbox %s: %s", mailbox, error)
    try:
        Mailbox.objects.filter(pk=mailbox.pk).update(last_checked_at=timezone.now(), last_error=error[:2000])
    except Exception:
        log.exception("Could not record the check of mailbox %s", mailbox.pk)
    return result
