"""Shared pieces of the REST API handlers: scoped lookups, id references and page schemas."""

from datetime import datetime, timezone as dt_timezone
from typing import Generic, TypeVar

from django.http import Http404
from ninja import Field, Schema

from steward.core.exceptions import DomainError
from steward.core.pagination import DEFAULT_LIMIT, MAX_LIMIT

T = TypeVar("T")


def get_visible_or_404(queryset, user, **lookup):
    """The one row matching ``lookup`` that ``user`` may see, else 404 (never 403: no leaks)."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def resolve_ref(queryset, user, pk, *, field: str, label: str, lookup: str = "pk"):
    """Turn an id from a payload into a row the user may see; unknown or hidden → 422 naming the field."""
    if pk is None:
        return None
    obj = queryset.visible_to(user).filter(**{lookup: pk}).first()
    if obj is None:
        raise DomainError(f"There is no {label} with {'id' if lookup == 'pk' else lookup} {pk}.", field=field)
    return obj


def resolve_refs(queryset, user, pks, *, field: str, label: str) -> list:
    """Like ``resolve_ref`` for a list of ids, in one query."""
    wanted = list(dict.fromkeys(pks or ()))
    found = {obj.pk: obj for obj in queryset.visible_to(user).filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise DomainError(f"There is no {label} with id {', '.join(map(str, missing))}.", field=field)
    return [found[pk] for pk in wanted]


def is_staff_request(context) -> bool:
    request = (context or {}).get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and getattr(user, "is_staff_member", False))


def aware(value: datetime | None) -> datetime | None:
    """Read a timestamp without offset as UTC, so filters never compare naive and aware times."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt_timezone.utc)
    return value


def plus_from_query(value):
    # A "+01:00" offset typed into a URL arrives as " 01:00" (form encoding turns + into a space).
    if isinstance(value, str) and " " in value.strip():
        return value.strip().replace(" ", "+")
    return value


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page (at most {MAX_LIMIT}).")
    cursor: str | None = Field(None, description="The `next_cursor` of the previous page.")


class PageOut(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    count: int | None = Field(None, description="Total rows matching, when counted.")


# Error responses every write endpoint documents.
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
