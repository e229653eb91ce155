"""Bearer-token authentication for the REST API."""

from ninja.security import HttpBearer

from steward.accounts.services import authenticate_token

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ReadOnlyToken(Exception):
    """A read-scoped token was used for a change."""


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = authenticate_token(token)
        if api_token is None:
            return None
        if request.method in WRITE_METHODS and not api_token.can_write:
            raise ReadOnlyToken()
        # Handlers and the tenancy scope read the user from the request, as in the UI.
        request.user = api_token.user
        request.api_token = api_token
        return api_token
