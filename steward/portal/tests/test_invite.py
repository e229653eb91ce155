"""Technicians invite contacts to the portal: one account per contact, an email to choose a password."""

import re

import pytest
from django.core import mail

from steward.accounts.choices import Role
from steward.accounts.models import User
from steward.clients.models import Contact


@pytest.fixture
def dana(client_a):
    """A contact of Acme without a portal account."""
    return Contact.objects.create(client=client_a, first_name="Dana", last_name="Dent", email="Dana@Acme.test")


@pytest.fixture
def invite(client, technician, django_capture_on_commit_callbacks):
    def post(contact, data=None, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/portal/invite/{contact.pk}/", data or {}, **headers)

    client.force_login(technician)
    return post


def messages_of(client, url):
    return client.get(url).content.decode()


def test_invite_creates_a_portal_user_and_emails_a_set_password_link(client, invite, dana, technician):
    # when Tom invites Dana from her contact page
    response = invite(dana, HTTP_REFERER="http://testserver/contacts/7/?tab=portal")
    # then she has a client-user account with portal access, and an invitation
    assert response.status_code == 302 and response["Location"] == "http://testserver/contacts/7/?tab=portal"
    dana.refresh_from_db()
    user = dana.user
    assert (user.role, user.email, user.is_active, user.has_usable_password()) == (Role.CLIENT_USER, "dana@acme.test", True, False)
    assert dana.portal_access
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@acme.test"]
    assert "Acme Dental" in mail.outbox[0].subject and "Tom Tech has invited you" in mail.outbox[0].body
    # and the link lets her choose a password and lands her in the portal
    client.logout()
    link = re.search(r"https?://[^/\s]+(/portal/welcome/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose your password" in form.content.decode()
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "Wh1te-rabbit-42", "new_password2": "Wh1te-rabbit-42"})
    assert response["Location"] == "/portal/"
    assert "My requests" in client.get("/portal/").content.decode()
    # and the link is spent
    client.logout()
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_inviting_twice_keeps_one_user(invite, dana):
    invite(dana)
    invite(dana, {"role": Role.CLIENT_ADMIN})
    assert User.objects.filter(contact=dana).count() == 1
    assert User.objects.filter(email="dana@acme.test").count() == 1
    assert User.objects.get(contact=dana).role == Role.CLIENT_ADMIN
    assert len(mail.outbox) == 2


def test_invite_switches_a_deactivated_account_back_on(invite, client_a_user):
    contact = client_a_user.contact
    client_a_user.is_active = False
    client_a_user.save(update_fields=["is_active"])
    Contact.objects.filter(pk=contact.pk).update(portal_access=False)
    invite(contact)
    client_a_user.refresh_from_db()
    contact.refresh_from_db()
    assert client_a_user.is_active and contact.portal_access and contact.user_id == client_a_user.pk


def test_invite_redirects_to_the_contact_page_without_a_referer(client, invite, dana):
    response = invite(dana, HTTP_REFERER="https://evil.test/")
    assert response["Location"] == f"/contacts/{dana.pk}/"


def test_contact_without_email_gets_a_clear_error(client, invite, client_a):
    nomail = Contact.objects.create(client=client_a, first_name="Ned")
    response = invite(nomail, HTTP_REFERER="http://testserver/portal/login/")
    assert not User.objects.filter(contact=nomail).exists() and mail.outbox == []
    stored = [str(m) for m in response.wsgi_request._messages]
    assert stored == ["Ned has no email address; add one before inviting them."]


def test_invite_with_unknown_role_is_refused(invite, dana):
    invite(dana, {"role": "admin"})
    assert not User.objects.filter(contact=dana).exists()


@pytest.mark.parametrize("persona", [None, "client_a_admin", "client_a_user", "client_b_user"])
def test_only_staff_may_invite(client, request, dana, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/portal/invite/{dana.pk}/").status_code == 404
    assert not User.objects.filter(contact=dana).exists()


def test_invite_is_post_only(client, technician, dana):
    client.force_login(technician)
    assert client.get(f"/portal/invite/{dana.pk}/").status_code == 405
    assert client.post("/portal/invite/999999/").status_code == 404
