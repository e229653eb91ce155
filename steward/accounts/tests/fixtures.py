"""The personas every suite starts from: staff, and people of two client companies."""

import pytest

from steward.accounts.choices import Role, TokenScope
from steward.accounts.models import User
from steward.accounts.services import create_api_token
from steward.api.testing import ApiClient

PASSWORD = "correct horse battery staple"


def make_user(username, role, **extra):
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, email=f"{username}@example.test", **extra
    )


@pytest.fixture
def admin_user(db):
    return make_user("olivia", Role.ADMIN, first_name="Olivia", last_name="Owner")


@pytest.fixture
def technician(db):
    return make_user("tom", Role.TECHNICIAN, first_name="Tom", last_name="Tech")


@pytest.fixture
def other_technician(db):
    return make_user("tara", Role.TECHNICIAN, first_name="Tara", last_name="Tech")


@pytest.fixture
def token_for():
    """token_for(user, scope="write") -> headers dict for the API client."""

    def make(user, scope=TokenScope.WRITE):
        _, raw = create_api_token(user, scope=scope)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


@pytest.fixture
def api_as(client, token_for):
    """api_as(user, scope="write") -> ApiClient sending that user's token; api_as(None) sends none."""
    def make(user, scope=TokenScope.WRITE):
        return ApiClient(client, token_for(user, scope) if user is not None else {})

    return make
