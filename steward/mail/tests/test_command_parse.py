"""`steward mail parse`: one raw message on stdin, JSON on stdout, exit 0 whatever the input."""

import io
import json
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

CORPUS = Path(__file__).parent / "corpus"
FIELDS = [
    "from_address", "from_name", "to", "cc", "subject", "message_id", "in_reply_to", "references",
    "date", "text", "reply_text", "html", "attachments", "is_auto_reply", "is_bounce", "warnings",
]


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def _parse(raw: bytes, monkeypatch, *args) -> dict:
    monkeypatch.setattr(sys, "stdin", _Stdin(raw))
    out = io.StringIO()
    call_command("mail", "parse", *args, stdout=out)
    return json.loads(out.getvalue())


def test_mail_parse_prints_the_documented_fields(monkeypatch):
    data = _parse((CORPUS / "html_cid_inline_images.eml").read_bytes(), monkeypatch)

    assert list(data) == FIELDS
    assert data["from_address"] == "ops@example.com"
    assert data["date"] == "2025-03-03T11:00:00+00:00"
    assert data["attachments"][0] == {"filename": "screenshot.png", "content_type": "image/png", "size": 70, "inline": True}


def test_mail_parse_reads_a_file_and_applies_the_attachment_limit(monkeypatch):
    out = io.StringIO()
    call_command("mail", "parse", "--file", str(CORPUS / "attachment_no_name.eml"), "--max-attachment-bytes", "2", stdout=out)

    data = json.loads(out.getvalue())
    assert data["attachments"] == []
    assert any("refused" in warning for warning in data["warnings"])


def test_mail_parse_survives_junk_on_stdin_as_a_real_process():
    # given bytes that are no message at all
    junk = bytes(range(256)) * 50

    # when
    done = subprocess.run(
        [sys.executable, "-m", "steward", "mail", "parse"], input=junk, capture_output=True, timeout=60
    )

    # then
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    data = json.loads(done.stdout)
    assert list(data) == FIELDS
    assert data["warnings"]


def test_mail_parse_of_empty_stdin_exits_zero(monkeypatch):
    data = _parse(b"", monkeypatch)

    assert data["warnings"] == ["empty message"]
    assert data["from_address"] is None
