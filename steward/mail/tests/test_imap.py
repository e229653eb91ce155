"""IMAP against a real Dovecot: store first, then flag or move; a failure half-way loses nothing."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qs

import pytest
from django.db import OperationalError
from django.utils import timezone

from steward.desk.models import Ticket
from steward.mail import ingest
from steward.mail.channels import imap
from steward.mail.choices import AfterImport, ImapAuth, InboundStatus, MailboxKind, OAuthProvider, Security
from steward.mail.models import InboundMessage, Mailbox
from steward.mail.tests.dovecot import Dovecot
from steward.mail.tests.inbound_fixtures import raw_email

USER, PASSWORD = "support@msp.test", "imap-pass"


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot()
    try:
        yield server.start({USER: PASSWORD})
    finally:
        server.stop()


@pytest.fixture
def imap_mailbox(db, dovecot):
    # A fresh folder per test: the server lives for the whole module.
    folder = f"T{timezone.now().strftime('%H%M%S%f')}"
    conn = dovecot.connect(USER)
    conn.create(folder)
    conn.create(folder + "-done")
    conn.logout()
    return Mailbox.objects.create(
        name="Support",
        address=USER,
        kind=MailboxKind.IMAP,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_security=Security.NONE,
        imap_username=USER,
        imap_password=PASSWORD,
        imap_folder=folder,
    )


def deliver_to(dovecot, mailbox, count, **kwargs):
    ids = []
    for i in range(count):
        message_id = f"<imap-{mailbox.imap_folder}-{i}@acme.test>"
        dovecot.append(USER, raw_email(subject=f"Request {i}", message_id=message_id, **kwargs), folder=mailbox.imap_folder)
        ids.append(message_id.encode())
    return ids


def test_fetch_stores_processes_and_marks_seen(dovecot, imap_mailbox, client_a_user, django_capture_on_commit_callbacks):
    ids = deliver_to(dovecot, imap_mailbox, 3)

    with django_capture_on_commit_callbacks(execute=True):
        result = imap.fetch_mailbox(imap_mailbox)

    assert (result.stored, result.duplicates) == (3, 0)
    assert dovecot.flags(USER, imap_mailbox.imap_folder) == {i: True for i in ids}
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Request 0", "Request 1", "Request 2"]
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {InboundStatus.PROCESSED}
    # when: polled again, nothing is unseen any more
    assert imap.fetch_mailbox(imap_mailbox).stored == 0


@pytest.mark.parametrize("with_move", [True, False], ids=["MOVE", "COPY+EXPUNGE"])
def test_fetch_moves_to_folder_after_storing(dovecot, imap_mailbox, client_a_user, with_move):
    imap_mailbox.after_import = AfterImport.MOVE
    imap_mailbox.move_to_folder = imap_mailbox.imap_folder + "-done"
    ids = deliver_to(dovecot, imap_mailbox, 2)

    real_connect = imap.connect

    def connect_without_move(mailbox):
        conn = real_connect(mailbox)
        conn.capabilities = tuple(c for c in conn.capabilities if c != "MOVE")
        return conn

    with mock.patch.object(imap, "connect", real_connect if with_move else connect_without_move):
        result = imap.fetch_mailbox(imap_mailbox)

    assert result.stored == 2
    assert dovecot.flags(USER, imap_mailbox.imap_folder) == {}
    assert set(dovecot.flags(USER, imap_mailbox.move_to_folder)) == set(ids)


def test_database_failure_mid_batch_leaves_unstored_messages_unseen_for_next_poll(dovecot, imap_mailbox, client_a_user):
    # given: five new messages, and a database that fails on the third store
    ids = deliver_to(dovecot, imap_mailbox, 5)
    calls = []

    def failing_store(raw, **kwargs):
        calls.append(raw)
        if len(calls) == 3:
            raise OperationalError("server closed the connection unexpectedly")
        return ingest.store_raw(raw, **kwargs)

    # when
    with pytest.raises(OperationalError):
        imap.fetch_mailbox(imap_mailbox, store=failing_store)

    # then: the two stored are seen, the three others are still unseen on the server
    flags = dovecot.flags(USER, imap_mailbox.imap_folder)
    assert [flags[i] for i in ids] == [True, True, False, False, False]
    assert InboundMessage.objects.count() == 2
    # when: the database is back, the next poll takes the rest, once each
    result = imap.fetch_mailbox(imap_mailbox)
    assert (result.stored, result.duplicates) == (3, 0)
    assert all(dovecot.flags(USER, imap_mailbox.imap_folder).values())
    assert InboundMessage.objects.count() == 5


def test_wrong_password_is_recorded_on_the_mailbox(dovecot, imap_mailbox):
    imap_mailbox.imap_password = "wrong"
    imap_mailbox.save(update_fields=["imap_password"])

    assert imap.fetch_mailbox_safely(imap_mailbox) is None

    imap_mailbox.refresh_from_db()
    assert "refused the login" in imap_mailbox.last_error and imap_mailbox.last_checked_at is not None


def test_steward_mail_fetch_command_imports_a_mailbox(dovecot, imap_mailbox, client_a_user, capsys):
    from django.core.management import call_command

    deliver_to(dovecot, imap_mailbox, 1)

    call_command("mail", "fetch", "--mailbox", USER)

    assert f"{USER}: 1 new" in capsys.readouterr().out


class TokenEndpoint(BaseHTTPRequestHandler):
    requests = []

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        TokenEndpoint.requests.append((self.path, form))
        if form["refresh_token"] == ["good-refresh"]:
            body, status = {"access_token": "new-access", "expires_in": 3599, "refresh_token": "rotated"}, 200
        else:
            body, status = {"error": "invalid_grant", "error_description": "AADSTS70000: token revoked"}, 400
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def token_endpoint(monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), TokenEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    TokenEndpoint.requests = []
    monkeypatch.setitem(
        imap.TOKEN_URLS, OAuthProvider.MICROSOFT, f"http://127.0.0.1:{server.server_port}/{{tenant}}/oauth2/v2.0/token"
    )
    yield TokenEndpoint
    server.shutdown()


def oauth_mailbox(refresh_token, **fields):
    return Mailbox.objects.create(
        name="M365", address="helpdesk@msp.test", imap_auth=ImapAuth.OAUTH2, oauth_provider=OAuthProvider.MICROSOFT,
        oauth_tenant="contoso.onmicrosoft.com", oauth_client_id="app-id", oauth_client_secret="app-secret",
        oauth_refresh_token=refresh_token, **fields,
    )


def test_expired_oauth_token_is_refreshed_and_rotation_kept(db, token_endpoint):
    mailbox = oauth_mailbox("good-refresh", oauth_access_token="old", oauth_expires_at=timezone.now() - timedelta(minutes=1))

    assert imap.access_token(mailbox) == "new-access"

    mailbox.refresh_from_db()
    assert (mailbox.oauth_access_token, mailbox.oauth_refresh_token) == ("new-access", "rotated")
    assert mailbox.oauth_expires_at > timezone.now() + timedelta(minutes=55)
    path, form = token_endpoint.requests[0]
    assert path == "/contoso.onmicrosoft.com/oauth2/v2.0/token"
    assert form["grant_type"] == ["refresh_token"] and form["client_id"] == ["app-id"]
    assert "IMAP.AccessAsUser.All" in form["scope"][0]
    # a valid token is used as it is, without asking again
    assert imap.access_token(mailbox) == "new-access" and len(token_endpoint.requests) == 1


def test_revoked_refresh_token_gives_the_providers_reason(db, token_endpoint):
    mailbox = oauth_mailbox("revoked")

    with pytest.raises(imap.MailboxError, match="AADSTS70000: token revoked"):
        imap.access_token(mailbox)


def test_xoauth2_string_has_the_documented_format():
    assert imap.xoauth2_string("a@b.test", "tok") == b"user=a@b.test\x01auth=Bearer tok\x01\x01"
