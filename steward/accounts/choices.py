from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Owner / admin"
    TECHNICIAN = "technician", "Technician"
    CLIENT_ADMIN = "client_admin", "Client admin"
    CLIENT_USER = "client_user", "Client user"


STAFF_ROLES = frozenset({Role.ADMIN, Role.TECHNICIAN})
CLIENT_ROLES = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_USER})


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"
