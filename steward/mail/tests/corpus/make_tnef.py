"""Builds the TNEF (winmail.dat) corpus messages: `python make_tnef.py` rewrites tnef_*.eml.

TNEF is a stream of attributes: level (1 = message, 2 = attachment), a 32-bit id whose low
half names the attribute and high half gives its type, a length, the data and a 16-bit
checksum (the sum of the data bytes). This writes only what Outlook's simplest files hold.
"""

import base64
import struct
import textwrap
from pathlib import Path

SIGNATURE = 0x223E9F78
MESSAGE, ATTACHMENT = 1, 2


def attribute(level: int, name: int, kind: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BHHI", level, name, kind, len(data)) + data + struct.pack("<H", checksum)


def mapi_binary(prop_id: int, data: bytes) -> bytes:
    """An attMAPIProps block holding one binary property (type 0x0102)."""
    padded = data + b"\x00" * (-len(data) % 4)
    return struct.pack("<IHHII", 1, 0x0102, prop_id, 1, len(data)) + padded


def build_tnef(body: str | None, attachments: list[tuple[str, bytes]], rtf: bytes | None = None) -> bytes:
    out = struct.pack("<IH", SIGNATURE, 0x0001)
    out += attribute(MESSAGE, 0x9006, 0x0008, struct.pack("<I", 0x00010000))  # TNEF version
    out += attribute(MESSAGE, 0x9007, 0x0006, struct.pack("<II", 1252, 0))  # OEM codepage
    out += attribute(MESSAGE, 0x8008, 0x0007, b"IPM.Microsoft Mail.Note\x00")  # message class
    if body is not None:
        out += attribute(MESSAGE, 0x800C, 0x0002, body.encode("cp1252") + b"\x00")
    if rtf is not None:  # PR_RTF_COMPRESSED, what Outlook sends for rich text
        from compressed_rtf import compress

        out += attribute(MESSAGE, 0x9003, 0x0006, mapi_binary(0x1009, compress(rtf, compressed=True)))
    for name, data in attachments:
        out += attribute(ATTACHMENT, 0x9002, 0x0006, b"\x01\x00\xff\xff\xff\xff" + b"\x00" * 8)
        out += attribute(ATTACHMENT, 0x8010, 0x0001, name.encode("cp1252") + b"\x00")
        out += attribute(ATTACHMENT, 0x800F, 0x0006, data)
    return out


def message(tnef: bytes, subject: str, message_id: str) -> bytes:
    encoded = "\r\n".join(textwrap.wrap(base64.b64encode(tnef).decode(), 76))
    return (
        "From: Hans Becker <hans.becker@example.com>\r\n"
        "To: support@helpdesk.example.test\r\n"
        f"Subject: {subject}\r\n"
        "Date: Tue, 4 Mar 2025 09:15:00 +0100\r\n"
        f"Message-ID: <{message_id}>\r\n"
        "MIME-Version: 1.0\r\n"
        "X-Mailer: Microsoft Office Outlook 12.0\r\n"
        'Content-Type: multipart/mixed; boundary="----=_NextPart_000_0001"\r\n'
        "\r\n"
        "------=_NextPart_000_0001\r\n"
        'Content-Type: text/plain; charset="us-ascii"\r\n'
        "\r\n"
        "Please see the attached files.\r\n"
        "\r\n"
        "------=_NextPart_000_0001\r\n"
        'Content-Type: application/ms-tnef; name="winmail.dat"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="winmail.dat"\r\n'
        "\r\n"
        f"{encoded}\r\n"
        "\r\n"
        "------=_NextPart_000_0001--\r\n"
    ).encode()


def main() -> None:
    here = Path(__file__).parent
    tnef = build_tnef(
        "The server room temperature log is attached.\r\nRegards, Hans",
        [("temperature-log.csv", b"time,celsius\n09:00,21.5\n10:00,23.0\n"), ("rack.txt", b"Rack 4, unit 12\n")],
    )
    (here / "tnef_winmail.eml").write_bytes(message(tnef, "Server room log", "tnef-1@example.com"))
    no_body = build_tnef(None, [("invoice.pdf", b"%PDF-1.4 fake\n")])
    (here / "tnef_attachment_only.eml").write_bytes(message(no_body, "Invoice", "tnef-2@example.com"))
    rtf = build_tnef(None, [], rtf=b"{\\rtf1\\ansi Hello in \\b rich\\b0  text.\\par}")
    (here / "tnef_rtf_body.eml").write_bytes(message(rtf, "Rich text", "tnef-4@example.com"))
    # A winmail.dat cut off in the middle of an attachment.
    (here / "tnef_truncated.eml").write_bytes(message(tnef[:90], "Truncated winmail", "tnef-3@example.com"))


if __name__ == "__main__":
    main()
