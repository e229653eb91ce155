"""Bounces (RFC 3464 DSNs and plain-text ones): the original Message-ID and the failed
recipients, whatever the line endings. Real mail arrives with CRLF; the corpus is mostly LF."""

import base64
import json
from email.message import Message
from pathlib import Path

import pytest

from steward.mail.parsing import ParsedMessage, parse_message
from steward.mail.parsing.message import _Walker

CORPUS = Path(__file__).parent / "corpus"
BOUNCES = sorted(CORPUS.glob("bounce_*.eml"))
DSNS = [
    ("bounce_postfix", "ticket-6001-ack@helpdesk.example.test", ["gone.user@example.org"]),
    ("bounce_exchange_ndr", "ticket-6002-1@helpdesk.example.test", ["old.contact@example.com"]),
    ("bounce_gmail", "ticket-6003-2@helpdesk.example.test", ["typo.user@gmial.example.com"]),
    ("bounce_exim_dsn", "ticket-6007-3@helpdesk.example.test", ["moved.away@example.net"]),
    ("bounce_exim_plain", "ticket-6004-5@helpdesk.example.test", ["nobody@example.net"]),
]


def _lf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")  # some corpus files (Exchange) are CRLF already


def _crlf(raw: bytes) -> bytes:
    return _lf(raw).replace(b"\n", b"\r\n")


@pytest.mark.parametrize("ending", [_lf, _crlf], ids=["lf", "crlf"])
@pytest.mark.parametrize(("name", "message_id", "recipients"), DSNS, ids=[name for name, _, _ in DSNS])
def test_bounce_gives_original_message_id_and_failed_recipients(name, message_id, recipients, ending):
    # given
    raw = ending((CORPUS / f"{name}.eml").read_bytes())

    # when
    parsed = parse_message(raw)

    # then
    assert parsed.is_bounce
    assert parsed.bounced_message_id == message_id
    assert parsed.bounced_recipients == recipients


@pytest.mark.parametrize("path", BOUNCES, ids=lambda path: path.stem)
def test_corpus_bounce_with_crlf_line_endings_parses_as_with_lf(path):
    # given
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    bounce_keys = [key for key in ("is_bounce", "bounced_message_id", "bounced_recipients") if key in expected]

    # when
    parsed = parse_message(_crlf(path.read_bytes()))

    # then
    assert {key: getattr(parsed, key) for key in bounce_keys} == {key: expected[key] for key in bounce_keys}
    assert parsed.warnings == []


def _dsn(delivery_status: str, *, encoding: str = "7bit", original_headers: str = "") -> bytes:
    """A DSN whose only machine-readable recipients are in the delivery-status part: no
    X-Failed-Recipients, and a human-readable part that names nobody."""
    if encoding == "base64":
        body = base64.encodebytes(delivery_status.replace("\n", "\r\n").encode()).decode()
    else:
        body = delivery_status
    raw = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
        "To: support@helpdesk.example.test\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Message-ID: <dsn-1@mx.example.net>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\n'
        "\n"
        "--b1\n"
        "Content-Type: text/plain\n"
        "\n"
        "Your message could not be delivered to some recipients.\n"
        "--b1\n"
        "Content-Type: message/delivery-status\n"
        f"Content-Transfer-Encoding: {encoding}\n"
        "\n"
        f"{body}\n"
    )
    if original_headers:
        raw += f"--b1\nContent-Type: text/rfc822-headers\n\n{original_headers}\n"
    return (raw + "--b1--\n").encode()


DELIVERY_STATUS = (
    "Reporting-MTA: dns; mx.example.net\n"
    "Arrival-Date: Mon, 3 Mar 2025 09:00:01 +0000\n"
    "\n"
    "Original-Recipient: rfc822; alias@example.org\n"
    "Final-Recipient: rfc822; real.person@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "Final-Recipient: rfc822; slow@example.org\n"
    "Action: delayed\n"
    "Status: 4.4.1\n"
    "\n"
    "Final-Recipient: rfc822; fine@example.org\n"
    "Action: delivered\n"
    "Status: 2.0.0\n"
    "\n"
    "Final-Recipient: RFC822;\n"
    " <Second.Failure@Example.NET>\n"
    "Action: failed\n"
    "Status: 5.2.2\n"
)
FAILED = ["alias@example.org", "real.person@example.org", "second.failure@example.net"]


@pytest.mark.parametrize("ending", [_lf, _crlf], ids=["lf", "crlf"])
def test_failed_recipients_come_from_the_delivery_status_blocks(ending):
    parsed = parse_message(ending(_dsn(DELIVERY_STATUS)))

    assert parsed.is_bounce
    assert parsed.bounced_recipients == FAILED


@pytest.mark.parametrize("ending", [_lf, _crlf], ids=["lf", "crlf"])
def test_failed_recipients_come_from_a_base64_encoded_delivery_status(ending):
    # the stdlib parser reads the encoded text as one header block without fields
    parsed = parse_message(ending(_dsn(DELIVERY_STATUS, encoding="base64")))

    assert parsed.bounced_recipients == FAILED


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_failed_recipients_come_from_a_delivery_status_payload_left_as_a_string(newline):
    # given: a delivery-status part the parser did not split into header blocks
    part = Message()
    part["Content-Type"] = "message/delivery-status"
    part.set_payload(DELIVERY_STATUS.replace("\n", newline))
    result = ParsedMessage()

    # when
    _Walker(result, None, None).walk(part, 0)

    # then
    assert result.bounced_recipients == FAILED


@pytest.mark.parametrize("ending", [_lf, _crlf], ids=["lf", "crlf"])
def test_bounced_message_id_is_read_when_folded_in_the_returned_headers(ending):
    # given: Outlook folds a long Message-ID onto its own line
    original = "From: support@helpdesk.example.test\nSubject: [#6008] Hi\nMessage-ID:\n <ticket-6008-1@helpdesk.example.test>\n"

    # when
    parsed = parse_message(ending(_dsn(DELIVERY_STATUS, original_headers=original)))

    # then
    assert parsed.bounced_message_id == "ticket-6008-1@helpdesk.example.test"
