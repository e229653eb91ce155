"""The REST API, version 1: /api/v1/ with bearer tokens and JSON errors everywhere."""

import logging

from django.db import IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from steward.accounts.api import router as accounts_router
from steward.api.auth import ReadOnlyToken, TokenAuth
from steward.clients.api import router as clients_router
from steward.core.exceptions import DomainError
from steward.desk.api import router as desk_router
from steward.desk.api_calls import router as calls_router
from steward.mail.api import router as mail_router
from steward.projects.api import router as projects_router
from steward.projects.api_forecast import router as forecast_router
from steward.reports.api import router as reports_router
from steward.work.api import router as work_router

logger = logging.getLogger(__name__)

# Where a parameter came from, and the names of handler parameters that wrap the real
# fields (schemas); error paths leave both out so they name the field as the client sent it.
PARAM_SOURCES = frozenset({"body", "query", "path", "form", "file", "header", "cookie"})
WRAPPER_PARAMS = frozenset({"payload", "filters", "page"})


class StewardAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        # Handlers are named for what they do (list_tickets, add_reply), so the name is the id.
        return operation.view_func.__name__


api = StewardAPI(
    title="Steward API",
    version="1",
    description=(
        "Steward's REST API. Authenticate with `Authorization: Bearer <token>`; create a token with "
        "`steward token create --user USERNAME --scope read|write`. Errors are JSON: "
        '`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`. '
        "Lists return `{\"items\": [...], \"next_cursor\": ...}`: pass `cursor=<next_cursor>` for the next page. "
        "Tickets are addressed by their number (`/tickets/1042`), everything else by id. "
        "Text fields are stored and returned exactly as sent; render them as text, never as HTML."
    ),
    auth=TokenAuth(),
    urls_namespace="api-v1",
)


def error_response(request, status, detail, errors=None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = []
    for error in exc.errors:
        location = list(error.get("loc", ()))
        if location and location[0] in PARAM_SOURCES:
            location = location[1:]
        if location and location[0] in WRAPPER_PARAMS:
            location = location[1:]
        location = [str(part) for part in location]
        errors.append({"field": ".".join(location) or None, "message": error.get("msg", "Invalid value.")})
    return error_response(request, 422, "Some fields are invalid.", errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(request, 401, "Missing or invalid API token. Send 'Authorization: Bearer <token>'.")


@api.exception_handler(ReadOnlyToken)
def on_read_only_token(request, exc):
    return error_response(request, 403, "This token is read-only; create a write token to make changes.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(DomainError)
def on_domain_error(request, exc):
    """Every app's refusals (DeskError, TimeEntryError, ClientError…) share one shape."""
    return error_response(request, exc.status_code, exc.message, [{"field": exc.field, "message": exc.message}])


@api.exception_handler(IntegrityError)
def on_integrity_error(request, exc):
    # Services check invariants first; this only fires when two requests race for the same row.
    logger.warning("API write refused by a database constraint: %s", exc)
    return error_response(request, 409, "The change conflicts with data saved at the same time; reload and retry.")


api.add_router("", accounts_router)
api.add_router("", clients_router)
api.add_router("", desk_router)
api.add_router("", calls_router)
api.add_router("", work_router)
api.add_router("", mail_router)
api.add_router("", projects_router)
api.add_router("", forecast_router)
api.add_router("", reports_router)
