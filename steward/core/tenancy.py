"""The one place that decides which rows a user may see.

Every scoped model declares a ``Tenancy``: the path from the row to its client
company, and optionally the path to the contact who owns it (a client user only
sees rows they own) and a filter that hides internal rows from the portal. Views,
API endpoints and exports all fetch through ``Model.objects.visible_to(user)``
and answer 404 for anything outside it.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Tenancy:
    # Path from the row to the client's primary key ("pk" when the row is the client).
    client: str
    # Path to the owning contact's primary key; client users see only their own rows.
    # None: every client user of the company sees the row.
    contact: str | None = None
    # Client users (not client admins) may not see these rows at all.
    client_admin_only: bool = False
    # Staff-only rows (internal data) are never shown to anyone of a client.
    staff_only: bool = False
    # Extra condition for client-side users, e.g. public timeline entries only.
    portal_filter: Q = field(default_factory=Q)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows ``user`` may see: all for staff, their company's (or own) for client users."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff_member:
            return self
        tenancy: Tenancy = self.model.tenancy
        client_id = user.client_id
        if tenancy.staff_only or client_id is None:
            return self.none()
        if tenancy.client_admin_only and not user.is_client_admin:
            return self.none()
        scoped = self.filter(**{tenancy.client: client_id}).filter(tenancy.portal_filter)
        if tenancy.contact is not None and not user.is_client_admin:
            scoped = scoped.filter(**{tenancy.contact: user.contact_id})
        return scoped


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
