"""Parsing real mail: raw bytes in, a ParsedMessage out, never an exception.

    from steward.mail.parsing import parse_message
    parsed = parse_message(raw, max_attachment_bytes=25 * 1024 * 1024)
"""

from steward.mail.parsing.message import parse_message, safe_filename
from steward.mail.parsing.result import ParsedAttachment, ParsedMessage

__all__ = ["ParsedAttachment", "ParsedMessage", "parse_message", "safe_filename"]
