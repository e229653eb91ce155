"""Signing in to the portal: password (username or email), emailed one-time links, who may enter."""

import datetime as dt
import re

import pytest
from django.core import mail

from steward.accounts.tests.fixtures import PASSWORD
from steward.portal.tokens import SignInLinkTokenGenerator


def link_path(message):
    return re.search(r"https?://[^/\s]+(/portal/login/link/\S+/)", message.body).group(1)


@pytest.fixture
def ask_for_link(client, django_capture_on_commit_callbacks):
    def ask(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/portal/login/link/", {"email": email})

    return ask


def test_signed_out_visitor_to_portal_gets_portal_sign_in_page(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/login/?next=/portal/"
    page = client.get(response["Location"]).content.decode()
    assert '<label for="id_login">Username or email' in page
    assert "Email me a sign-in link" in page


@pytest.mark.parametrize("login", ["bob", "bob@acme.test", "BOB@ACME.TEST"])
def test_client_user_signs_in_with_username_or_email(client, client_a_user, login):
    response = client.post("/portal/login/", {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert "My requests" in client.get("/portal/").content.decode()


def test_sign_in_follows_next_on_this_site_only(client, client_a_user):
    response = client.post("/portal/login/", {"login": "bob", "password": PASSWORD, "next": "/portal/requests/new/"})
    assert response["Location"] == "/portal/requests/new/"
    client.logout()
    response = client.post("/portal/login/", {"login": "bob", "password": PASSWORD, "next": "https://evil.test/"})
    assert response["Location"] == "/portal/"


def test_wrong_password_shows_error_and_keeps_login(client, client_a_user):
    response = client.post("/portal/login/", {"login": "bob@acme.test", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "username or email and password do not match" in page
    assert 'value="bob@acme.test"' in page
    assert "_auth_user_id" not in client.session


def test_staff_signing_in_at_portal_are_sent_to_the_desk(client, technician):
    response = client.post("/portal/login/", {"login": "tom", "password": PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/portal/")["Location"] == "/"
    assert client.get("/portal/login/")["Location"] == "/"


def test_client_user_without_portal_access_cannot_sign_in(client, client_a_user):
    client_a_user.contact.portal_access = False
    client_a_user.contact.save(update_fields=["portal_access"])
    response = client.post("/portal/login/", {"login": "bob", "password": PASSWORD})
    assert "portal access is switched off" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_switching_access_off_ends_a_portal_session(client, client_a_user):
    client.force_login(client_a_user)
    client_a_user.contact.portal_access = False
    client_a_user.contact.save(update_fields=["portal_access"])
    response = client.get("/portal/")
    assert response["Location"] == "/portal/login/"
    assert "_auth_user_id" not in client.session


def test_sign_in_link_works_once(client, client_a_user, ask_for_link):
    # given Bob asked for a link
    response = ask_for_link("Bob@Acme.test")
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@acme.test"]
    path = link_path(mail.outbox[0])
    # when he opens it: a button, so mail scanners opening links do not use it up
    page = client.get(path)
    assert "Press the button to sign in" in page.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(path)
    # then he is signed in, and the link is spent
    assert response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200
    client.post("/portal/logout/")
    assert "This link no longer works" in client.post(path).content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_link_expires_after_15_minutes(client, client_a_user, ask_for_link, monkeypatch):
    ask_for_link(client_a_user.email)
    path = link_path(mail.outbox[0])
    later = SignInLinkTokenGenerator._now(None) + dt.timedelta(minutes=16)
    monkeypatch.setattr(SignInLinkTokenGenerator, "_now", lambda self: later)
    assert "This link no longer works" in client.post(path).content.decode()
    assert "_auth_user_id" not in client.session


def test_tampered_sign_in_link_does_not_work(client, client_a_user, client_b_user, ask_for_link):
    ask_for_link(client_a_user.email)
    path = link_path(mail.outbox[0])
    uid_of_charlie = client_b_user.pk
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    forged = re.sub(r"/link/[^/]+/", f"/link/{urlsafe_base64_encode(force_bytes(uid_of_charlie))}/", path)
    assert "This link no longer works" in client.post(forged).content.decode()
    assert "This link no longer works" in client.post("/portal/login/link/!!/abc/").content.decode()


def test_unknown_address_gets_the_same_answer_and_no_mail(client, client_a_user, technician, ask_for_link):
    known = ask_for_link(client_a_user.email).content.decode().replace(client_a_user.email, "ADDRESS")
    mail.outbox.clear()
    unknown = ask_for_link("nobody@acme.test").content.decode().replace("nobody@acme.test", "ADDRESS")
    staff = ask_for_link(technician.email).content.decode().replace(technician.email, "ADDRESS")
    strip_csrf = lambda page: re.sub(r'value="[^"]{40,}"', "", re.sub(r'"X-CSRFToken": "[^"]+"', "", page))  # noqa: E731
    assert strip_csrf(known) == strip_csrf(unknown) == strip_csrf(staff)
    assert mail.outbox == []


def test_malformed_address_is_a_field_error(client, ask_for_link):
    page = ask_for_link("not-an-address").content.decode()
    assert "Enter a valid email address" in page
    assert 'value="not-an-address"' in page
