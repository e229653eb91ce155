import pytest

pytest_plugins = [
    "steward.accounts.tests.fixtures",
    "steward.clients.tests.fixtures",
    "steward.desk.tests.fixtures",
    "steward.work.tests.fixtures",
    "steward.projects.tests.fixtures",
    "steward.mail.tests.outbound_fixtures",
    "steward.mail.tests.inbound_fixtures",
]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploaded files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers take ~0.3 s per user on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline():
    """Unit tests run background tasks inline; tests of the real worker start a consumer."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False
