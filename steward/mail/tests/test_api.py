"""/api/v1/mailboxes: staff read, admins change; secrets go in and never come out."""

import json

import pytest

from steward.accounts.choices import TokenScope
from steward.desk.models import Queue
from steward.mail.choices import MailboxKind
from steward.mail.models import Mailbox

SECRETS = {"imap_password": "imap-pw-1", "smtp_password": "smtp-pw-1", "webhook_secret": "hook-1", "oauth_client_secret": "oc-1"}


@pytest.fixture
def mailbox(db):
    return Mailbox.objects.create(name="Help", address="help@provider.test", imap_host="imap.provider.test", **SECRETS)


def test_admin_adds_a_mailbox_and_no_secret_comes_back(api_as, admin_user, client_a):
    queue = Queue.objects.create(name="Mail intake")
    payload = {
        "name": "Support", "address": "support@provider.test", "kind": "imap", "imap_host": "imap.provider.test",
        "imap_username": "support", "imap_password": "pa55", "smtp_host": "smtp.provider.test", "smtp_password": "s3cret",
        "default_queue": queue.pk, "default_client": client_a.pk,
    }

    response = api_as(admin_user).post("/mailboxes", payload)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_imap_password"] and body["has_smtp_password"] and not body["has_webhook_secret"]
    assert (body["default_queue"], body["default_client"]) == (queue.pk, client_a.pk)
    assert "pa55" not in response.content.decode() and "s3cret" not in response.content.decode()
    stored = Mailbox.objects.get()
    assert (stored.imap_password, stored.smtp_password) == ("pa55", "s3cret")


def test_no_endpoint_ever_returns_a_secret(api_as, technician, mailbox):
    api = api_as(technician)
    text = api.get("/mailboxes").content.decode() + api.get(f"/mailboxes/{mailbox.pk}").content.decode()
    assert not [secret for secret in SECRETS.values() if secret in text]
    assert json.loads(api.get(f"/mailboxes/{mailbox.pk}").content)["has_oauth_client_secret"] is True


def test_update_keeps_secrets_that_are_omitted_or_null(api_as, admin_user, mailbox):
    response = api_as(admin_user).patch(f"/mailboxes/{mailbox.pk}", {"smtp_host": "smtp.provider.test", "imap_password": None})

    assert response.status_code == 200
    mailbox.refresh_from_db()
    assert (mailbox.smtp_host, mailbox.imap_password, mailbox.smtp_password) == ("smtp.provider.test", "imap-pw-1", "smtp-pw-1")


def test_update_replaces_a_secret_when_given(api_as, admin_user, mailbox):
    api_as(admin_user).patch(f"/mailboxes/{mailbox.pk}", {"smtp_password": "new-one"})
    mailbox.refresh_from_db()
    assert mailbox.smtp_password == "new-one"


def test_invalid_settings_are_a_field_error(api_as, admin_user, mailbox):
    response = api_as(admin_user).patch(f"/mailboxes/{mailbox.pk}", {"after_import": "move"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "move_to_folder"


def test_duplicate_address_is_refused(api_as, admin_user, mailbox):
    response = api_as(admin_user).post("/mailboxes", {"name": "Again", "address": "HELP@provider.test", "imap_host": "x"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "address"


def test_technician_reads_but_cannot_change(api_as, technician, mailbox):
    api = api_as(technician)
    assert api.get(f"/mailboxes/{mailbox.pk}").status_code == 200
    assert api.patch(f"/mailboxes/{mailbox.pk}", {"name": "Mine"}).status_code == 403
    assert api.post("/mailboxes", {"name": "X", "address": "x@provider.test", "kind": "webhook"}).status_code == 403


def test_read_only_token_cannot_change(api_as, admin_user, mailbox):
    assert api_as(admin_user, TokenScope.READ).patch(f"/mailboxes/{mailbox.pk}", {"name": "X"}).status_code == 403


def test_client_people_see_no_mailboxes(api_as, client_a_admin, mailbox):
    api = api_as(client_a_admin)
    assert api.get("/mailboxes").json()["items"] == []
    assert api.get(f"/mailboxes/{mailbox.pk}").status_code == 404
    assert api.patch(f"/mailboxes/{mailbox.pk}", {"name": "X"}).status_code == 404
    assert api.post(f"/mailboxes/{mailbox.pk}/check").status_code == 404


def test_check_now_queues_a_fetch(api_as, technician, mailbox, monkeypatch):
    from steward.mail import tasks

    checked = []
    monkeypatch.setattr(tasks, "check_mailbox_now", checked.append)

    response = api_as(technician).post(f"/mailboxes/{mailbox.pk}/check")

    assert response.status_code == 202 and checked == [mailbox]


def test_check_now_refuses_a_webhook_mailbox(api_as, technician):
    hook = Mailbox.objects.create(name="Hook", address="hook@provider.test", kind=MailboxKind.WEBHOOK)

    response = api_as(technician).post(f"/mailboxes/{hook.pk}/check")

    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"
