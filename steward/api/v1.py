"""The REST API, version 1: /api/v1/ with bearer tokens and JSON errors everywhere."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from steward.api.auth import ReadOnlyToken, TokenAuth
from steward.desk.exceptions import DeskError
from steward.work.services import TimeEntryError

api = NinjaAPI(
    title="Steward API",
    version="1",
    description=(
        "Steward's REST API. Authenticate with `Authorization: Bearer <token>`; create a token with "
        "`steward token create --user USERNAME --scope read|write`. Errors are JSON: "
        '`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`.'
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
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
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


@api.exception_handler(DeskError)
def on_desk_error(request, exc):
    return error_response(request, 422, exc.message, [{"field": exc.field, "message": exc.message}])


@api.exception_handler(TimeEntryError)
def on_time_entry_error(request, exc):
    return error_response(request, 422, exc.message, [{"field": exc.field, "message": exc.message}])
