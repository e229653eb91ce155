"""Staff mail pages: mailboxes with 'check now', the incoming messages with retry and download, outbox, templates."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from steward.mail.choices import (
    InboundStatus,
    MailboxKind,
    OutboundKind,
    Security,
    Source,
)
from steward.mail.models import EmailTemplate, InboundMessage, Mailbox

RAW = b"From: Bob <bob@acme.test>\r\nSubject: Broken =?utf-8?q?caf=C3=A9?=\r\n\r\nIt broke.\r\n"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def tech_client(client, technician):
    client.force_login(technician)
    return client


@pytest.fixture
def imap_mailbox(db):
    return Mailbox.objects.create(
        name="Help", address="help@provider.test", kind=MailboxKind.IMAP, imap_host="imap.provider.test",
        imap_username="help", imap_password="imap-secret-1", smtp_password="smtp-secret-1",
    )


def stored_message(status=InboundStatus.FAILED, error="", raw=RAW):
    digest = hashlib.sha256(raw).hexdigest()
    message = InboundMessage(
        source=Source.WEBHOOK, sha256=digest, size=len(raw), from_address="bob@acme.test",
        subject="Broken café", received_at=timezone.now(), status=status, error=error,
    )
    message.raw.save("x.eml", ContentFile(raw), save=False)
    message.save()
    return message


MAILBOX_POST = {
    "name": "Support", "address": "Support@Provider.test", "kind": MailboxKind.IMAP, "is_active": "on",
    "send_acknowledgements": "on", "imap_host": "imap.provider.test", "imap_port": "993", "imap_security": Security.TLS,
    "imap_auth": "password", "imap_username": "support", "imap_password": "pa55-word", "imap_folder": "INBOX",
    "after_import": "mark_seen", "smtp_host": "", "smtp_port": "587", "smtp_security": Security.STARTTLS,
}


def test_admin_creates_a_mailbox_and_its_password_is_never_shown_again(admin_client):
    response = admin_client.post("/mail/mailboxes/new/", MAILBOX_POST)

    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert (mailbox.address, mailbox.imap_password) == ("support@provider.test", "pa55-word")
    page = admin_client.get(f"/mail/mailboxes/{mailbox.pk}/").content.decode()
    assert "pa55-word" not in page and "Stored; leave blank to keep it." in page


def test_saving_with_a_blank_password_keeps_the_stored_one(admin_client, imap_mailbox):
    data = {**MAILBOX_POST, "address": imap_mailbox.address, "imap_password": "", "smtp_host": "smtp.provider.test"}

    admin_client.post(f"/mail/mailboxes/{imap_mailbox.pk}/", data)

    imap_mailbox.refresh_from_db()
    assert (imap_mailbox.imap_password, imap_mailbox.smtp_password, imap_mailbox.smtp_host) == (
        "imap-secret-1", "smtp-secret-1", "smtp.provider.test",
    )


def test_mailbox_form_errors_name_the_field(admin_client):
    response = admin_client.post("/mail/mailboxes/new/", {**MAILBOX_POST, "imap_host": "", "after_import": "move"})

    assert response.status_code == 200 and not Mailbox.objects.exists()
    assert "needs the IMAP server" in response.content.decode()


def test_technician_sees_mailboxes_but_cannot_change_them(tech_client, imap_mailbox):
    assert tech_client.get("/mail/").status_code == 200
    assert tech_client.get(f"/mail/mailboxes/{imap_mailbox.pk}/").status_code == 403
    assert tech_client.post("/mail/mailboxes/new/", MAILBOX_POST).status_code == 403


def test_client_people_get_404_on_mail_pages(client, client_a_admin, imap_mailbox):
    client.force_login(client_a_admin)
    for url in ("/mail/", "/mail/messages/", "/mail/outbox/", "/mail/templates/", f"/mail/mailboxes/{imap_mailbox.pk}/"):
        assert client.get(url).status_code == 404, url


def test_check_now_asks_the_worker_to_fetch_the_mailbox(tech_client, imap_mailbox, monkeypatch):
    from steward.mail import tasks

    checked = []
    monkeypatch.setattr(tasks, "check_mailbox_now", checked.append)

    response = tech_client.post(f"/mail/mailboxes/{imap_mailbox.pk}/check/", follow=True)

    assert checked == [imap_mailbox]
    assert "Checking help@provider.test for new mail now." in response.content.decode()


def test_check_now_on_a_webhook_mailbox_explains_why_not(tech_client):
    mailbox = Mailbox.objects.create(name="Hook", address="hook@provider.test", kind=MailboxKind.WEBHOOK)

    response = tech_client.post(f"/mail/mailboxes/{mailbox.pk}/check/", follow=True)

    assert "Only IMAP mailboxes are fetched" in response.content.decode()


def test_failed_messages_are_listed_with_their_error(tech_client):
    stored_message(error="ValueError: header bomb")
    stored_message(status=InboundStatus.PROCESSED, raw=b"Subject: fine\r\n\r\nok")

    page = tech_client.get("/mail/messages/?status=failed").content.decode()

    assert "ValueError: header bomb" in page and "Broken café" in page and "fine" not in page


def test_retry_queues_a_failed_message_again(tech_client, monkeypatch):
    from steward.mail import processing

    message = stored_message(error="boom")
    retried = []
    monkeypatch.setattr(processing, "retry_inbound", retried.append)

    response = tech_client.post(f"/mail/messages/{message.pk}/retry/", {"next": "/mail/messages/?status=failed"})

    assert retried == [message] and response["Location"] == "/mail/messages/?status=failed"


def test_download_original_streams_the_raw_bytes_as_an_attachment(tech_client):
    message = stored_message()

    response = tech_client.get(f"/mail/messages/{message.pk}/original.eml")

    assert response.status_code == 200 and response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="message-{message.pk}.eml"'
    assert b"".join(response.streaming_content) == RAW


def test_retry_refuses_an_open_redirect(tech_client, monkeypatch):
    from steward.mail import processing

    monkeypatch.setattr(processing, "retry_inbound", lambda message: message)
    message = stored_message()

    response = tech_client.post(f"/mail/messages/{message.pk}/retry/", {"next": "//evil.test/"})

    assert response["Location"] == "/mail/messages/"


def test_template_editor_lists_placeholders_and_previews_with_example_values(admin_client):
    page = admin_client.get("/mail/templates/reply/").content.decode()
    assert "{{ message.text }}" in page and "Please try the other paper tray" in page  # the default, previewed

    response = admin_client.post(
        "/mail/templates/reply/", {"action": "preview", "subject": "About {{ ticket.subject }}", "body": "Hi {{ requester.first_name }} <b>"}
    )

    page = response.content.decode()
    assert "About Printer on reception jams [#1042]" in page and "Hi Bob &lt;b&gt;" in page
    assert not EmailTemplate.objects.exists()


def test_template_editor_saves_and_resets(admin_client, admin_user):
    admin_client.post("/mail/templates/resolved/", {"action": "save", "subject": "Done: {{ ticket.subject }}", "body": "All fixed."})

    saved = EmailTemplate.objects.get()
    assert (saved.kind, saved.subject, saved.updated_by) == (OutboundKind.RESOLVED, "Done: {{ ticket.subject }}", admin_user)
    assert "Edited by Olivia" in admin_client.get("/mail/templates/").content.decode()

    admin_client.post("/mail/templates/resolved/", {"action": "reset"})
    assert not EmailTemplate.objects.exists()


def test_unknown_template_kind_is_404(admin_client):
    assert admin_client.get("/mail/templates/nonsense/").status_code == 404


def test_mail_is_in_the_navigation_for_staff_only(tech_client):
    assert 'href="/mail/"' in tech_client.get("/mail/").content.decode()
