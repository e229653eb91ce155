"""Domain exceptions shared by every app's services.

A service refuses a request by raising a ``DomainError`` whose message tells the user
what to do, naming the field at fault; every entry point (UI, portal, API) shows it
as is. The API answers with the exception's ``status_code``.
"""


class DomainError(Exception):
    """A request the domain refuses; the message tells the user what to do."""

    status_code = 422
    field = None

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(DomainError):
    """The user may see the object but not make this change."""

    status_code = 403


class Conflict(DomainError):
    """The change clashes with the object's current state (edited meanwhile, closed…)."""

    status_code = 409


def require_staff(user, message="Only the service desk can do this.", field=None):
    """Refuse anyone but the provider's staff."""
    if user is None or not getattr(user, "is_staff_member", False):
        raise NotPermitted(message, field=field)
