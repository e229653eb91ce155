"""One-time sign-in links for the portal."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int

SIGN_IN_LINK_MINUTES = 15


class SignInLinkTokenGenerator(PasswordResetTokenGenerator):
    """Like a password-reset token, but valid for minutes rather than days.

    The hash covers the user's last_login and password, so signing in with the link
    (which updates last_login) or changing the password makes it useless.
    """

    key_salt = "steward.portal.tokens.SignInLinkTokenGenerator"
    max_age_seconds = SIGN_IN_LINK_MINUTES * 60

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        try:
            issued = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return self._num_seconds(self._now()) - issued <= self.max_age_seconds


sign_in_tokens = SignInLinkTokenGenerator()
