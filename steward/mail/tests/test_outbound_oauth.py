"""An OAuth2 mailbox (Microsoft 365, Google Workspace) sends through its own SMTP server with XOAUTH2."""

from base64 import b64decode
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.utils import timezone

from steward.desk import services
from steward.desk.choices import Source
from steward.mail import outbound
from steward.mail.choices import ImapAuth, OAuthProvider, OutboundStatus, Security
from steward.mail.models import Mailbox, OutboundMessage
from steward.mail.tests.outbound_fixtures import CaptureHandler, free_port
from steward.mail.tests.test_imap import token_endpoint  # noqa: F401  (a fixture)


class XOAuth2Server(CaptureHandler):
    """Accepts mail only after an XOAUTH2 login carrying the expected user and token."""

    def __init__(self, expected: bytes):
        super().__init__()
        self.expected = expected
        self.logins = []

    async def auth_XOAUTH2(self, server, args):
        response = b64decode(args[1]) if len(args) > 1 else b""
        self.logins.append(response)
        return AuthResult(success=response == self.expected, handled=False)


@pytest.fixture
def xoauth2_server():
    handler = XOAuth2Server(b"user=helpdesk@msp.test\x01auth=Bearer new-access\x01\x01")
    handler.port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=handler.port, auth_required=True, auth_require_tls=False
    )
    controller.start()
    yield handler
    controller.stop()


def oauth_mailbox(port, **fields):
    return Mailbox.objects.create(
        name="M365", address="helpdesk@msp.test", imap_auth=ImapAuth.OAUTH2, imap_username="helpdesk@msp.test",
        oauth_provider=OAuthProvider.MICROSOFT, oauth_tenant="contoso.onmicrosoft.com", oauth_client_id="app-id",
        oauth_client_secret="app-secret", smtp_host="127.0.0.1", smtp_port=port, smtp_security=Security.NONE, **fields,
    )


def queued_reply(mailbox, client_a, client_a_user):
    ticket = services.open_ticket(None, client=client_a, requester=client_a_user.contact, subject="VPN", source=Source.EMAIL)
    return OutboundMessage.objects.create(
        mailbox=mailbox, ticket=ticket, kind="reply", message_id="<m1@msp.test>", to=["bob@acme.test"],
        subject="Re: VPN", body="Try again now.",
    )


def test_oauth_mailbox_sends_with_a_refreshed_token_over_xoauth2(
    xoauth2_server, token_endpoint, client_a, client_a_user  # noqa: F811
):
    # given: an OAuth2 mailbox whose access token has expired
    mailbox = oauth_mailbox(
        xoauth2_server.port, oauth_refresh_token="good-refresh", oauth_access_token="stale",
        oauth_expires_at=timezone.now() - timedelta(minutes=1),
    )
    message = queued_reply(mailbox, client_a, client_a_user)

    # when: the worker sends it
    assert outbound.deliver(message.pk) == OutboundStatus.SENT

    # then: the token was refreshed and the server got it in an XOAUTH2 login, then the email
    assert len(token_endpoint.requests) == 1
    assert xoauth2_server.logins == [b"user=helpdesk@msp.test\x01auth=Bearer new-access\x01\x01"]
    (received,) = xoauth2_server.messages
    assert received["Subject"] == "Re: VPN" and received["To"] == "bob@acme.test"


def test_refused_token_leaves_the_email_queued_with_the_reason(xoauth2_server, client_a, client_a_user):
    # given: a mailbox whose (unexpired) token the server does not accept
    mailbox = oauth_mailbox(
        xoauth2_server.port, oauth_access_token="wrong", oauth_expires_at=timezone.now() + timedelta(hours=1)
    )
    message = queued_reply(mailbox, client_a, client_a_user)

    # when: sending is tried
    assert outbound.deliver(message.pk) == OutboundStatus.QUEUED

    # then: nothing was delivered and the row says the login was refused, for the retry and for a human
    message.refresh_from_db()
    assert xoauth2_server.messages == [] and len(xoauth2_server.logins) == 1
    assert "535" in message.last_error and message.attempts == 1
