"""The personas every suite starts from: staff, and people of two client companies."""

import pytest

from steward.accounts.choices import Role, TokenScope
from steward.accounts.models import User
from steward.accounts.services import create_api_token

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
