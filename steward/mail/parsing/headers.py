"""Header work: bounding a hostile header block, RFC 2047 decoding, addresses, ids, dates.

Everything here takes strings as the compat32 parser leaves them (8-bit bytes as surrogate
escapes) and never raises.
"""

import binascii
import re
from datetime import datetime, timezone
from email.utils import getaddresses, parsedate_to_datetime

from steward.mail.parsing import charsets

MAX_HEADER_FIELDS = 1000
MAX_FIELD_BYTES = 128 * 1024
MAX_HEAD_BYTES = 1024 * 1024
MAX_ADDRESSES = 1000
MAX_REFERENCES = 100
MAX_TEXT_HEADER = 2000

# Survive any header bomb: these are kept even past the field and size caps.
_IMPORTANT = {
    b"from", b"sender", b"to", b"cc", b"reply-to", b"subject", b"date", b"message-id",
    b"in-reply-to", b"references", b"mime-version", b"content-type",
    b"content-transfer-encoding", b"content-disposition", b"auto-submitted", b"precedence",
    b"x-autoreply", b"x-autorespond", b"list-id", b"list-unsubscribe", b"return-path",
    b"x-failed-recipients",
}
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_LINE_END = re.compile(rb"\r?\n")

_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,60})\?([bBqQ])\?([^?\s]*)\?=")
_BLANK = re.compile(r"[ \t]+")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MSGID = re.compile(r"<([^<>\s]{1,998})>")
# One token of an address list: quoted string, comment, angle address or a separating comma.
_ADDR_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\([^()]*\)|<[^<>]*>|,')


def bound_head(raw: bytes, warnings: list[str]) -> bytes:
    """Return raw with its top-level header block capped in field count and size."""
    match = _HEAD_END.search(raw)
    head, rest = (raw[: match.start()], raw[match.start():]) if match else (raw, b"")
    if len(head) <= 64 * 1024 and head.count(b"\n") < MAX_HEADER_FIELDS:
        return raw
    fields: list[bytes] = []
    for line in _LINE_END.split(head):
        if fields and line[:1] in (b" ", b"\t"):
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)
    kept: list[bytes] = []
    seen_important: set[bytes] = set()
    total = 0
    truncated = 0
    for field in fields:
        name = field.split(b":", 1)[0].strip().lower()
        important = name in _IMPORTANT and name not in seen_important
        if not important and (len(kept) >= MAX_HEADER_FIELDS or total >= MAX_HEAD_BYTES):
            continue
        if len(field) > MAX_FIELD_BYTES:
            field = field[:MAX_FIELD_BYTES]
            truncated += 1
        if important:
            seen_important.add(name)
        kept.append(field)
        total += len(field)
    if len(kept) < len(fields):
        warnings.append(f"header bomb: {len(fields)} header fields, kept {len(kept)}")
    if truncated:
        warnings.append(f"{truncated} header field(s) longer than {MAX_FIELD_BYTES} bytes truncated")
    return b"\r\n".join(kept) + rest


def unfold(value: str) -> str:
    return _FOLD.sub("", value)


def _decode_word_bytes(chunks: list[tuple[str, bytes]], warnings: list[str]) -> str:
    out = []
    for charset, data in chunks:
        codec = charsets.lookup(charset)
        if codec is None:
            out.append(charsets.decode_bytes(data, None, warnings, "header"))
            continue
        try:
            out.append(data.decode(codec))
        except UnicodeDecodeError:
            warnings.append(f"encoded-word not valid {charset[:40]}")
            out.append(charsets.decode_bytes(data, None, warnings, "header"))
    return "".join(out)


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        data = payload.encode("ascii", "ignore")
        data = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
        data = data[: len(data) - len(data) % 4] if len(data) % 4 == 1 else data
        data += b"=" * (-len(data) % 4)
        try:
            return binascii.a2b_base64(data)
        except (binascii.Error, ValueError):
            return b""
    try:
        return binascii.a2b_qp(payload.encode("ascii", "ignore"), header=True)
    except (binascii.Error, ValueError):
        return payload.encode("ascii", "ignore")


def decode_text(value: str | None, warnings: list[str], hint: str | None = None, what: str = "") -> str:
    """Decode an unstructured header (Subject, display name): RFC 2047 words and raw 8-bit."""
    if not value:
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = unfold(value)
    if not value.isascii():
        value = charsets.decode_8bit_str(value, hint, warnings, what or "header")
    if "=?" not in value:
        return _CONTROL.sub("", value)
    out: list[str] = []
    pending: list[tuple[str, bytes]] = []
    pos = 0
    for match in _ENCODED_WORD.finditer(value):
        between = value[pos : match.start()]
        if between and (between.strip() or not pending):
            if pending:
                out.append(_decode_word_bytes(pending, warnings))
                pending = []
            out.append(between)
        charset = match.group(1).split("*", 1)[0]
        data = _word_bytes(match.group(2), match.group(3))
        # Adjacent words of one charset are joined before decoding: encoders split characters.
        if pending and pending[-1][0].lower() == charset.lower():
            pending[-1] = (pending[-1][0], pending[-1][1] + data)
        else:
            pending.append((charset, data))
        pos = match.end()
    if pending:
        out.append(_decode_word_bytes(pending, warnings))
    out.append(value[pos:])
    return _CONTROL.sub("", "".join(out))


def clean_text(value: str, limit: int = MAX_TEXT_HEADER) -> str:
    return _BLANK.sub(" ", value.replace("\r", " ").replace("\n", " ")).strip()[:limit]


def _split_address_list(value: str, limit: int) -> tuple[str, bool]:
    """Cut an address list after `limit` top-level commas (quote- and bracket-aware)."""
    if value.count(",") < limit:
        return value, False
    commas = 0
    for match in _ADDR_TOKEN.finditer(value):
        if match.group() == ",":
            commas += 1
            if commas >= limit:
                return value[: match.start()], True
    return value, False


def addresses(values: list[str], warnings: list[str], what: str, hint: str | None = None) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs of address headers, at most MAX_ADDRESSES."""
    result: list[tuple[str, str]] = []
    seen: set[str] = set()
    capped = False
    for value in values:
        value = unfold(value)
        value, cut = _split_address_list(value, MAX_ADDRESSES - len(result) + 1)
        capped = capped or cut
        try:
            pairs = getaddresses([value])
        except Exception:
            warnings.append(f"unparseable {what} header")
            continue
        for name, address in pairs:
            address = address.strip().strip("<>").strip()
            if not address.isascii():
                address = charsets.decode_8bit_str(address, hint, warnings, what)
            if "@" not in address or len(address) > 254 or any(c.isspace() for c in address):
                if address:
                    warnings.append(f"invalid address in {what}: {address[:80]!r}")
                continue
            address = address.lower()
            if address in seen:
                continue
            if len(result) >= MAX_ADDRESSES:
                capped = True
                break
            seen.add(address)
            result.append((clean_text(decode_text(name, warnings, hint, what), 300), address))
    if capped:
        warnings.append(f"{what} has more than {MAX_ADDRESSES} addresses; kept the first {MAX_ADDRESSES}")
    return result


def message_ids(value: str | None, limit: int = MAX_REFERENCES) -> list[str]:
    """Message-IDs (without <>) in a References/In-Reply-To/Message-ID header, deduplicated."""
    if not value:
        return []
    value = unfold(value)
    found = _MSGID.findall(value)
    if not found:
        bare = value.strip()
        found = [bare] if bare and len(bare) <= 998 and not any(c.isspace() for c in bare) else []
    ids = list(dict.fromkeys(i for i in found if i.isascii()))
    if len(ids) > limit:
        # Threading needs the root and the most recent parents.
        ids = ids[:1] + ids[-(limit - 1) :]
    return ids


def date(value: str | None, warnings: list[str]) -> datetime | None:
    if not value:
        return None
    value = clean_text(unfold(value), 200)
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        warnings.append(f"unparseable Date: {value[:80]!r}")
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    if not 1980 <= parsed.year <= 2200:
        warnings.append(f"implausible Date: {value[:80]!r}")
        return None
    return parsed
