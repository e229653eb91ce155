from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from steward.accounts.choices import CLIENT_ROLES, STAFF_ROLES, Role, TokenScope
from steward.core.tenancy import ScopedQuerySet, Tenancy


class UserQuerySet(ScopedQuerySet):
    def staff(self):
        return self.filter(role__in=STAFF_ROLES, is_active=True)


class StewardUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """Anyone who signs in: the provider's staff, or a client's people (linked to a contact)."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.TECHNICIAN, db_index=True)
    email = models.EmailField("email address", blank=True, db_index=True)

    # A client-side user sees only their own company: the contact row carries the link.
    tenancy = Tenancy(client="contact__client", contact="contact", client_admin_only=True)

    objects = StewardUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.get_full_name() or self.username

    @property
    def is_staff_member(self):
        """Staff of the provider (admins and technicians) see every client."""
        return self.role in STAFF_ROLES

    @property
    def is_admin(self):
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_client_admin(self):
        return self.role == Role.CLIENT_ADMIN

    @property
    def is_client_side(self):
        return self.role in CLIENT_ROLES

    @property
    def _contact(self):
        try:
            return self.contact
        except AttributeError:  # RelatedObjectDoesNotExist subclasses AttributeError
            return None

    @property
    def contact_id(self):
        contact = self._contact
        return contact.pk if contact else None

    @property
    def client_id(self):
        contact = self._contact
        return contact.client_id if contact else None


class Team(models.Model):
    """A group of technicians; queues belong to teams."""

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(User, related_name="teams", blank=True)

    tenancy = Tenancy(client="pk", staff_only=True)
    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="apitoken_scope_valid"),
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.user}, {self.scope})"

    @property
    def is_active(self):
        return self.revoked_at is None

    @property
    def can_write(self):
        return self.scope == TokenScope.WRITE
