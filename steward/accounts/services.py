"""Write path for users and API tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from steward.accounts.choices import TokenScope
from steward.accounts.models import ApiToken, User

TOKEN_PREFIX = "stw_"


def hash_token(raw_token: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is safe and keeps auth cheap.
    return hashlib.sha256(raw_token.encode()).hexdigest()


def create_api_token(user: User, *, scope: str = TokenScope.READ, name: str = "") -> tuple[ApiToken, str]:
    """Create a token and return it with the raw secret, which is shown only once."""
    if scope not in TokenScope.values:
        raise ValueError(f"scope must be one of: {', '.join(TokenScope.values)}")
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, token_hash=hash_token(raw), scope=scope)
    return token, raw


def authenticate_token(raw_token: str) -> ApiToken | None:
    """Return the active token for ``raw_token`` and record its use, or None."""
    if not raw_token or not raw_token.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__contact")
        .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every call would serialise API traffic on SQLite; a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def revoke_api_token(token: ApiToken) -> ApiToken:
    """Revoke a token; it stops working immediately."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
