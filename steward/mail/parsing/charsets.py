"""Turning bytes of unknown or lying charsets into text, without ever raising."""

import codecs
import re

from charset_normalizer import from_bytes

# What senders declare and what they mean. Like browsers (WHATWG Encoding), read Latin-1
# and ASCII as Windows-1252, and the small legacy CJK sets as their Microsoft supersets:
# mail declared gb2312 or shift_jis routinely contains GBK or CP932 characters.
_ALIASES = {
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "windows-1252": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "cp936": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "x-user-defined": "",
    "unknown": "",
    "default": "",
}
# Single-byte charsets whose "valid" decode of UTF-8 bytes would silently be mojibake.
_LATIN_GUESSES = {"cp1252", "iso8859-15", "ascii"}
# Stateful 7-bit encodings: ASCII bytes that are not ASCII text.
_SEVEN_BIT = ("iso2022", "utf-7", "hz")
_CHARSET_CLEAN = re.compile(r"[^a-z0-9_.:+-]")
_DETECT_LIMIT = 64 * 1024


def lookup(charset: str | None) -> str | None:
    """The Python codec name for a declared charset, or None if unknown or empty."""
    if not charset:
        return None
    name = _CHARSET_CLEAN.sub("", charset.strip().strip("\"'").lower())[:40]
    name = name.split("*", 1)[0]
    name = _ALIASES.get(name, name)
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):
        return None
    # The codecs module knows many non-text codecs (rot13, zlib...); only text encodings count.
    if codec in {"rot-13", "base64", "bz2", "hex", "quopri", "uu", "zlib"} or codec.endswith("_codec"):
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1") else codec


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect(data: bytes) -> str | None:
    """Best guess of the charset of 8-bit text (charset-normalizer), or None."""
    try:
        best = from_bytes(data[:_DETECT_LIMIT], steps=3, chunk_size=512).best()
    except Exception:  # a detector bug must not take the message down
        return None
    return lookup(best.encoding) if best is not None else None


def decode_bytes(data: bytes, declared: str | None, warnings: list[str], what: str = "body") -> str:
    """Decode text bytes: the declared charset if it fits, else UTF-8, a guess, Windows-1252."""
    if not data:
        return ""
    codec = lookup(declared)
    if data.isascii() and not (codec and codec.startswith(_SEVEN_BIT)):
        return data.decode("ascii")
    if declared and codec is None:
        warnings.append(f"unknown charset {declared[:40]!r} in {what}")
    if codec:
        if codec in _LATIN_GUESSES and _is_utf8(data):
            # Valid multi-byte UTF-8 is almost never intended Latin-1: the declaration lies.
            warnings.append(f"{what} declared {declared[:40]} but is UTF-8")
            return data.decode("utf-8")
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError, UnicodeError):
            if codec == "utf-8" and len(data) > 16:
                bad = _count_utf8_errors(data)
                if bad <= max(2, len(data) // 50):
                    # A few stray bytes in otherwise good UTF-8: keep it, mark the bad bytes.
                    warnings.append(f"invalid UTF-8 bytes in {what}")
                    return data.decode("utf-8", "replace")
            warnings.append(f"{what} is not valid {declared[:40]}")
    elif _is_utf8(data):
        return data.decode("utf-8")
    guessed = detect(data) if len(data) >= 8 else None
    if guessed:
        if not declared:
            warnings.append(f"no charset for 8-bit {what}; guessed {guessed}")
        return data.decode(guessed, "replace")
    return data.decode(codec or "cp1252", "replace")


def _count_utf8_errors(data: bytes) -> int:
    text = data.decode("utf-8", "replace")
    return text.count("\ufffd")


def decode_8bit_str(value: str, hint: str | None, warnings: list[str], what: str) -> str:
    """Header text the parser read as ASCII with surrogate escapes: recover the real characters."""
    try:
        raw = value.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return value
    if raw.isascii():
        return value
    if _is_utf8(raw):
        return raw.decode("utf-8")
    codec = lookup(hint)
    if codec:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    warnings.append(f"8-bit {what} header without charset")
    return raw.decode("cp1252", "replace")
