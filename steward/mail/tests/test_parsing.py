"""parse_message on bad and huge input, and the rules behind the corpus results."""

import base64
import time
from datetime import datetime

import pytest

from steward.mail.parsing import ParsedMessage, parse_message, safe_filename
from steward.mail.parsing import html as htmlmod
from steward.mail.parsing.quotes import reply_text

HEAD = (
    "From: Jane Doe <jane.doe@example.com>\r\n"
    "To: support@helpdesk.example.test\r\n"
    "Subject: Test\r\n"
    "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
    "Message-ID: <test@example.com>\r\n"
)


def _timed(raw: bytes, **kwargs) -> tuple[ParsedMessage, float]:
    started = time.perf_counter()
    parsed = parse_message(raw, **kwargs)
    return parsed, time.perf_counter() - started


def test_parse_message_returns_the_interface_for_a_simple_message():
    parsed = parse_message((HEAD + "\r\nHello\r\n").encode())

    assert parsed.from_address == "jane.doe@example.com"
    assert parsed.from_name == "Jane Doe"
    assert parsed.to == ["support@helpdesk.example.test"]
    assert parsed.message_id == "test@example.com"
    assert parsed.date == datetime.fromisoformat("2025-03-03T10:00:00+01:00")
    assert parsed.date.tzinfo is not None
    assert parsed.text == parsed.reply_text == "Hello"
    assert parsed.warnings == []


@pytest.mark.parametrize("raw", [b"", b"\r\n\r\n", "From: a@example.com\n\nstr input", bytearray(b"x"), memoryview(b"\x00\xff")])
def test_parse_message_accepts_any_bytes_like_or_empty_input(raw):
    parsed = parse_message(raw)

    assert isinstance(parsed, ParsedMessage)


def test_header_bomb_is_capped_and_the_real_headers_survive():
    # given 50,000 junk headers before From and Subject
    bomb = "".join(f"X-Junk-{i}: {'y' * 20}\r\n" for i in range(50_000))
    raw = (bomb + HEAD + "\r\nStill readable.\r\n").encode()

    # when
    parsed, elapsed = _timed(raw)

    # then
    assert parsed.from_address == "jane.doe@example.com"
    assert parsed.subject == "Test"
    assert parsed.text == "Still readable."
    assert any("header bomb" in warning for warning in parsed.warnings)
    assert elapsed < 2


def test_ten_megabyte_header_line_is_truncated():
    raw = (HEAD + "X-Long: " + "a" * 10_000_000 + "\r\n\r\nBody.\r\n").encode()

    parsed, elapsed = _timed(raw)

    assert parsed.text == "Body."
    assert any("truncated" in warning for warning in parsed.warnings)
    assert elapsed < 2


def test_ten_megabyte_subject_without_line_breaks_or_body():
    raw = b"Subject: " + b"=?utf-8?q?a?= " * 800_000

    parsed, elapsed = _timed(raw)

    assert parsed.subject.startswith("a")
    assert len(parsed.subject) <= 2000
    assert elapsed < 2


def test_ten_thousand_cc_addresses_keep_the_first_thousand():
    cc = ", ".join(f'"User, Number {i}" <user{i}@example.com>' for i in range(10_000))
    raw = (HEAD + f"Cc: {cc}\r\n\r\nHi all\r\n").encode()

    parsed, elapsed = _timed(raw)

    assert len(parsed.cc) == 1000
    assert parsed.cc[0] == "user0@example.com"
    assert parsed.cc[-1] == "user999@example.com"
    assert parsed.names["user5@example.com"] == "User, Number 5"
    assert any("more than 1000 addresses" in warning for warning in parsed.warnings)
    assert elapsed < 2


def _with_attachment(name: str, data: bytes) -> bytes:
    encoded = base64.encodebytes(data).decode()
    return (
        HEAD + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nThe rest of the message.\r\n"
        f'--b\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename="{name}"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b--\r\n"
    ).encode()


def test_attachment_over_the_limit_is_refused_and_the_rest_imported():
    raw = _with_attachment("backup.zip", b"\x00" * (50 * 1024 * 1024))

    parsed, elapsed = _timed(raw, max_attachment_bytes=25 * 1024 * 1024)

    assert parsed.text == "The rest of the message."
    assert parsed.attachments == []
    [(name, size)] = parsed.refused
    assert name == "backup.zip"
    assert abs(size - 50 * 1024 * 1024) < 1024 * 1024
    assert any("backup.zip refused" in warning for warning in parsed.warnings)
    # The stdlib parser reads the 900,000 base64 lines (~3 s); the refused content is never decoded.
    assert elapsed < 15


def test_attachment_under_the_limit_is_kept():
    parsed = parse_message(_with_attachment("small.zip", b"PK" * 100), max_attachment_bytes=1000)

    [attachment] = parsed.attachments
    assert (attachment.filename, attachment.size, attachment.content) == ("small.zip", 200, b"PK" * 100)
    assert parsed.refused == []


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd", "text/plain", "passwd"),
        ("..\\..\\windows\\system32\\evil.dll", "application/octet-stream", "evil.dll"),
        ("/absolute/path/report.pdf", "application/pdf", "report.pdf"),
        ("", "application/octet-stream", "attachment-3.bin"),
        (None, "image/png", "attachment-3.png"),
        ("..", "application/pdf", "attachment-3.pdf"),
        ("a\x00b\x1fc.txt", "text/plain", "a_b_c.txt"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 180 + ".pdf"),
        ("Übersicht.pdf", "application/pdf", "Übersicht.pdf"),
    ],
)
def test_safe_filename(name, content_type, expected):
    assert safe_filename(name, 3, content_type) == expected


def test_sanitize_makes_html_inert_and_remote_images_opt_in():
    html = (
        '<p onclick="x()" style="color:red">Hi</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">a</a><a href="https://example.com/">b</a>'
        '<img src="https://tracker.example.net/p.gif"><img src="cid:logo"><svg onload="x()"></svg>'
        "<p style=\"background:url('https://x.example.net/bg')\">bg</p>"
    )

    safe = htmlmod.sanitize(html)

    assert '<p style="color:red">Hi</p>' in safe
    assert "script" not in safe and "onclick" not in safe and "onload" not in safe
    assert "javascript:" not in safe and "url(" not in safe
    assert 'href="https://example.com/"' in safe and 'rel="noopener noreferrer nofollow"' in safe
    assert '<img data-remote-src="https://tracker.example.net/p.gif">' in safe
    assert '<img src="cid:logo">' in safe


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks!\n\nOn Tue, Jane <j@example.com> wrote:\n> old", "Thanks!"),
        ("Merci\n\nLe mar. 4 mars 2025 à 10:00, Jane <j@example.com> a écrit :\n> ancien", "Merci"),
        ("Ok\n\nVon: A\nGesendet: Montag\nAn: B\nBetreff: C\n\nalt", "Ok"),
        ("Ok\n\nDe: A\nEnviado: lunes\nPara: B\nAsunto: C\n\nviejo", "Ok"),
        ("Ok\n\nVan: A\nVerzonden: maandag\nAan: B\nOnderwerp: C\n\noud", "Ok"),
        ("Fixed.\n\n> quoted\n> more\n", "Fixed."),
        ("Fixed.\n--\nJane", "Fixed."),
        ("Fixed.\n\nEnvoyé de mon iPhone", "Fixed."),
        ("> only a quote", "> only a quote"),
        ("From: the start of the message is not a quote header", "From: the start of the message is not a quote header"),
    ],
)
def test_reply_text_cuts_history_and_signature(text, expected):
    assert reply_text(text) == expected


def test_reply_text_is_linear_on_a_huge_single_line():
    started = time.perf_counter()
    reply_text("On " + "x" * 5_000_000 + " wrote:\n> y")
    assert time.perf_counter() - started < 2


def test_deep_multipart_nesting_does_not_recurse_forever():
    inner = "Content-Type: text/plain\r\n\r\ndeep\r\n"
    for i in range(3000):
        inner = f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n{inner}--b{i}--\r\n'

    parsed, elapsed = _timed((HEAD + inner).encode())

    assert parsed.from_address == "jane.doe@example.com"
    assert parsed.warnings
    assert elapsed < 5


def test_many_parts_are_capped():
    parts = "".join(f"--b\r\nContent-Type: application/octet-stream\r\n\r\n{i}\r\n" for i in range(5000))
    raw = (HEAD + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + parts + "--b--\r\n").encode()

    parsed, elapsed = _timed(raw)

    assert len(parsed.attachments) < 1000
    assert any("MIME parts" in warning for warning in parsed.warnings)
    assert elapsed < 2


def test_winmail_dat_with_millions_of_tiny_objects_is_kept_as_is():
    tnef = b"\x78\x9f\x3e\x22\x01\x00" + b"\x01\x0c\x80\x02\x00\x01\x00\x00\x00a\x61\x00" * 200_000
    raw = _with_attachment("winmail.dat", tnef)

    parsed, elapsed = _timed(raw)

    assert [a.filename for a in parsed.attachments] == ["winmail.dat"]
    assert any("too many objects" in warning for warning in parsed.warnings)
    assert elapsed < 2
