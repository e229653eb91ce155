"""Who may use the portal, how they prove it, and the links emailed to them."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from steward.accounts.choices import CLIENT_ROLES
from steward.accounts.models import User
from steward.clients.models import Client
from steward.portal.tokens import sign_in_tokens

# Several accounts may share an address (a person at two clients); a link goes to each, up to this many.
MAX_ACCOUNTS_PER_ADDRESS = 5


def portal_client(user) -> Client | None:
    """The active client whose portal ``user`` may use, or None if they may not use it."""
    if not (user.is_authenticated and user.is_active and user.is_client_side):
        return None
    contact = getattr(user, "contact", None)
    if contact is None or not contact.portal_access or not contact.is_active:
        return None
    return Client.objects.visible_to(user).filter(pk=contact.client_id, is_active=True).first()


def _has_address(email: str) -> Q:
    # A portal user's address is their account's, or the one on their contact card.
    email = (email or "").strip()
    return (Q(email__iexact=email) | Q(contact__email__iexact=email)) if email else Q(pk__in=[])


def portal_users_with_email(email: str):
    """Active portal users with this address (case-insensitive)."""
    return User.objects.filter(
        _has_address(email),
        is_active=True,
        role__in=CLIENT_ROLES,
        contact__portal_access=True,
        contact__is_active=True,
        contact__client__is_active=True,
    )


def authenticate_by_username_or_email(request, identifier: str, password: str):
    """The user whose username, or email address, and password match; None otherwise."""
    identifier = (identifier or "").strip()
    if not identifier or not password:
        return None
    candidates = [identifier]
    if "@" in identifier:
        candidates += list(
            User.objects.filter(_has_address(identifier))
            .exclude(username=identifier)
            .values_list("username", flat=True)[:MAX_ACCOUNTS_PER_ADDRESS]
        )
    for username in candidates:
        user = authenticate(request, username=username, password=password)
        if user is not None:
            return user
    return None


def address_of(user, email: str) -> str | None:
    """The user's address (account or contact card) that ``email`` names, else None."""
    email = (email or "").strip().lower()
    contact = getattr(user, "contact", None)
    for known in (user.email, contact.email if contact else ""):
        if known and known.lower() == email:
            return known
    return None


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def sign_in_link(user) -> str:
    """An absolute one-time sign-in URL for ``user``."""
    path = reverse("portal:link_sign_in", args=[_uid(user), sign_in_tokens.make_token(user)])
    return f"{settings.SITE_URL}{path}"


def invitation_link(user) -> str:
    """An absolute URL where an invited user chooses their password."""
    path = reverse("portal:set_password", args=[_uid(user), default_token_generator.make_token(user)])
    return f"{settings.SITE_URL}{path}"
