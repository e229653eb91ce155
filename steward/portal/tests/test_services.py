import pytest

from steward.accounts.choices import Role
from steward.accounts.models import User
from steward.clients.models import Contact
from steward.clients.services import ClientError, invite_contact_to_portal
from steward.core.exceptions import NotPermitted


@pytest.fixture
def dana(client_a):
    return Contact.objects.create(client=client_a, first_name="Dana", email="dana@acme.test")


def test_invite_contact_to_portal_is_idempotent(technician, dana):
    user, created = invite_contact_to_portal(technician, dana)
    again, created_again = invite_contact_to_portal(technician, dana)
    assert (created, created_again) == (True, False) and user.pk == again.pk
    assert user.username == "dana@acme.test" and user.role == Role.CLIENT_USER


def test_invite_picks_a_free_username(technician, dana):
    User.objects.create_user(username="dana@acme.test", role=Role.TECHNICIAN)
    user, _ = invite_contact_to_portal(technician, dana, role=Role.CLIENT_ADMIN)
    assert user.username == "dana@acme.test-2" and user.role == Role.CLIENT_ADMIN


def test_only_staff_invite(client_a_admin, dana):
    with pytest.raises(NotPermitted):
        invite_contact_to_portal(client_a_admin, dana)


def test_invite_refuses_staff_roles_inactive_contacts_and_staff_accounts(technician, other_technician, dana):
    with pytest.raises(ClientError, match="Client user"):
        invite_contact_to_portal(technician, dana, role=Role.ADMIN)
    Contact.objects.filter(pk=dana.pk).update(user=other_technician)
    with pytest.raises(ClientError, match="staff account"):
        invite_contact_to_portal(technician, dana)
    Contact.objects.filter(pk=dana.pk).update(user=None, is_active=False)
    with pytest.raises(ClientError, match="inactive"):
        invite_contact_to_portal(technician, dana)
    assert not Contact.objects.get(pk=dana.pk).portal_access
