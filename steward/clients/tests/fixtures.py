import pytest

from steward.accounts.choices import Role
from steward.accounts.tests.fixtures import make_user
from steward.clients.models import Client, Contact, Site


@pytest.fixture
def client_a(db):
    return Client.objects.create(name="Acme Dental", short_code="ACME", email_domains=["acme.test"])


@pytest.fixture
def client_b(db):
    return Client.objects.create(name="Birch Law", short_code="BIRCH", email_domains=["birch.test"])


@pytest.fixture
def site_a(client_a):
    return Site.objects.create(client=client_a, name="Main surgery", timezone="Europe/London")


@pytest.fixture
def site_b(client_b):
    return Site.objects.create(client=client_b, name="Chambers", timezone="Europe/London")


def make_portal_contact(client, username, role, first_name, site=None):
    user = make_user(username, role, first_name=first_name)
    return Contact.objects.create(
        client=client,
        site=site,
        first_name=first_name,
        last_name=client.short_code.title(),
        email=f"{username}@{client.email_domains[0]}",
        phone="+44 20 7946 0" + str(100 + user.pk)[-3:],
        portal_access=True,
        user=user,
    )


@pytest.fixture
def client_a_admin(client_a, site_a):
    """Alice: client admin of Acme, sees all Acme tickets."""
    return make_portal_contact(client_a, "alice", Role.CLIENT_ADMIN, "Alice", site_a).user


@pytest.fixture
def client_a_user(client_a, site_a):
    """Bob: client user of Acme, sees only his own tickets."""
    return make_portal_contact(client_a, "bob", Role.CLIENT_USER, "Bob", site_a).user


@pytest.fixture
def client_b_user(client_b, site_b):
    """Charlie: client user of Birch, must never see Acme's data."""
    return make_portal_contact(client_b, "charlie", Role.CLIENT_USER, "Charlie", site_b).user
