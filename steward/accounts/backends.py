from django.contrib.auth.backends import ModelBackend

from steward.accounts.models import User


class StewardBackend(ModelBackend):
    """Loads the user with their contact in one query, since tenancy needs it on every request."""

    def get_user(self, user_id):
        user = User.objects.select_related("contact").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None
