"""What parse_message returns: the interface the importer, threading and UI code against."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ParsedAttachment:
    filename: str  # real name (RFC 2231/2047 decoded), no path parts, never empty
    content_type: str
    content: bytes
    inline: bool = False  # an image the HTML references by cid:
    content_id: str | None = None  # without <>

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class ParsedMessage:
    from_address: str | None = None  # lower-cased
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    subject: str = ""
    message_id: str | None = None  # without <>
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    date: datetime | None = None  # aware
    text: str = ""  # the body as plain text
    reply_text: str = ""  # the new part, without quoted history and signature
    html: str = ""  # sanitised; remote images as data-remote-src, cid: images kept
    attachments: list[ParsedAttachment] = field(default_factory=list)
    is_auto_reply: bool = False
    is_bounce: bool = False
    bounced_message_id: str | None = None
    bounced_recipients: list[str] = field(default_factory=list)
    is_list: bool = False
    headers: dict[str, str] = field(default_factory=dict)  # a few decoded headers worth keeping
    warnings: list[str] = field(default_factory=list)  # what could not be understood
    refused: list[tuple[str, int]] = field(default_factory=list)  # (filename, size) over the limit
    # Display names by address for To/Cc (the lists above hold addresses only).
    names: dict[str, str] = field(default_factory=dict)
