"""Pagination for API lists and views: keyset (cursor) for big tables, offset for small ones.

Both hand out an opaque ``next_cursor``, so a client follows one protocol everywhere.
Keyset pages never count or skip rows, so page 1 000 of a million tickets costs the same
as page 1 and a row changing between two pages is neither lost nor shown twice.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from steward.core.exceptions import DomainError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass
class Page:
    items: list
    next_cursor: str | None
    count: int | None = None


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise DomainError("This cursor is not valid; start again from the first page.", field="cursor") from None


def keyset_page(queryset, *, key: str, cursor: str | None, limit: int, with_count: bool = False) -> Page:
    """One page ordered newest first by (``key``, id), both descending; ``key`` is a datetime field."""
    page_qs = queryset.order_by(f"-{key}", "-id")
    count = queryset.count() if with_count else None
    if cursor:
        value, last_id = _parse_keyset_cursor(cursor)
        # The redundant ``lte`` bound lets the database range-scan the (key, id) index.
        page_qs = page_qs.filter(Q(**{f"{key}__lte": value}) & (Q(**{f"{key}__lt": value}) | Q(id__lt=last_id)))
    rows = list(page_qs[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode(f"{getattr(last, key).isoformat()}|{last.pk}")
    return Page(items=rows, next_cursor=next_cursor, count=count)


def _parse_keyset_cursor(cursor: str) -> tuple[datetime, int]:
    text = _decode(cursor)
    try:
        stamp, _, last_id = text.rpartition("|")
        value = datetime.fromisoformat(stamp)
        return value, int(last_id)
    except ValueError:
        raise DomainError("This cursor is not valid; start again from the first page.", field="cursor") from None


def offset_page(queryset, *, cursor: str | None, limit: int) -> Page:
    """One page of a small, stably ordered list (clients, sites, users) with its total count."""
    offset = 0
    if cursor:
        text = _decode(cursor)
        if not text.startswith("o:") or not text[2:].isdigit():
            raise DomainError("This cursor is not valid; start again from the first page.", field="cursor")
        offset = int(text[2:])
    rows = list(queryset[offset : offset + limit + 1])
    next_cursor = _encode(f"o:{offset + limit}") if len(rows) > limit else None
    return Page(items=rows[:limit], next_cursor=next_cursor, count=queryset.count())

