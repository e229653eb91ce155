"""Outlook's winmail.dat (TNEF): its attachments and body, via tnefparse."""

import logging
import struct
from dataclasses import dataclass, field

from tnefparse import TNEF

_SIGNATURE = b"\x78\x9f\x3e\x22"
# tnefparse copies the rest of the data for every object it reads: bound the object count
# so a crafted file of millions of tiny objects cannot make that quadratic.
MAX_OBJECTS = 5000

# tnefparse logs every unknown property at WARNING; that is noise for mail import.
logging.getLogger("tnefparse").setLevel(logging.ERROR)


@dataclass
class TnefContent:
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    body: bytes | str | None = None
    html: bytes | str | None = None
    rtf: bytes | None = None


def _scan(data: bytes) -> tuple[int, bool]:
    """(object count, whether the last object is cut off), reading only the object headers."""
    count, offset, truncated = 0, 6, False
    while offset + 12 < len(data):
        (length,) = struct.unpack_from("<I", data, offset + 5)
        truncated = length + 11 > len(data) - offset
        offset += min(len(data) - offset, length + 11)
        count += 1
        if count > MAX_OBJECTS:
            break
    return count, truncated


def unpack(data: bytes, warnings: list[str]) -> TnefContent | None:
    """The content of a TNEF blob, or None (with a warning) if it can't be read."""
    if not data.startswith(_SIGNATURE):
        warnings.append("winmail.dat is not TNEF")
        return None
    count, truncated = _scan(data)
    if count > MAX_OBJECTS:
        warnings.append("winmail.dat has too many objects; kept as is")
        return None
    if truncated:
        warnings.append("winmail.dat is truncated")
    try:
        tnef = TNEF(data, do_checksum=False)
        content = TnefContent(body=tnef.body, html=tnef.htmlbody)
        for attachment in tnef.attachments:
            name = attachment.long_filename() or attachment.name
            if isinstance(name, bytes):
                name = name.decode("cp1252", "replace")
            payload = attachment.data if isinstance(attachment.data, bytes) else b""
            content.attachments.append((str(name).strip("\x00"), payload))
        if tnef._rtfbody and not (tnef.body or tnef.htmlbody):
            rtf = tnef.rtfbody
            content.rtf = rtf if isinstance(rtf, bytes) else None
        return content
    except Exception as exc:  # tnefparse raises anything from IndexError to ValueError
        warnings.append(f"winmail.dat could not be unpacked ({type(exc).__name__}); kept as is")
        return None
