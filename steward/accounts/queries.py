"""Read path for users and teams, scoped to the user asking."""

from django.db.models import Q

from steward.accounts.models import Team, User


def users_for(user, *, role: str | None = None, q: str | None = None, is_active: bool | None = None):
    """Users the asker may see: everyone for staff, their own company's people for client admins."""
    users = User.objects.visible_to(user).select_related("contact")
    if role:
        users = users.filter(role=role)
    if is_active is not None:
        users = users.filter(is_active=is_active)
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
        )
    return users.order_by("first_name", "last_name", "username", "id")


def teams_for(user):
    """Teams with their members, for staff."""
    return Team.objects.visible_to(user).prefetch_related("members").order_by("name")
