import re

from django.core import mail

from steward.accounts.tests.fixtures import PASSWORD


def test_sign_in_and_out(client, technician):
    response = client.post("/accounts/login/", {"username": "tom", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Tom Tech" in page and "<h1>Queue</h1>" in page
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_shows_error_and_keeps_username(client, technician):
    response = client.post("/accounts/login/", {"username": "tom", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "correct username and password" in page
    assert 'value="tom"' in page


def test_password_reset_by_email(client, technician):
    # when tom asks for a reset link
    client.post("/accounts/password/reset/", {"email": technician.email})
    # then the email holds a link that lets him choose a new password and sign in with it
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "N3w-pass-phrase!", "new_password2": "N3w-pass-phrase!"}
    )
    assert response.status_code == 302
    assert client.login(username="tom", password="N3w-pass-phrase!")


def test_password_reset_for_unknown_address_says_nothing(client, technician):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []
