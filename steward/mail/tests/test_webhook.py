"""POST /mail/inbound/<mailbox>/: raw MIME in, 202 once stored."""

import base64
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from steward.mail import ingest
from steward.mail.choices import InboundStatus
from steward.mail.models import InboundMessage
from steward.mail.tests.inbound_fixtures import raw_email


def url(mailbox):
    return f"/mail/inbound/{mailbox.pk}/"


def test_raw_body_with_bearer_secret_is_stored_and_processed(client, support_mailbox, client_a_user, django_capture_on_commit_callbacks):
    raw = raw_email(subject="Webhook mail")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(support_mailbox), raw, content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer s3cret")

    assert response.status_code == 202 and response.json()["duplicate"] is False
    message = InboundMessage.objects.get(pk=response.json()["id"])
    assert ingest.read_raw(message) == raw
    assert message.status == InboundStatus.PROCESSED and message.ticket.subject == "Webhook mail"


def test_multipart_field_with_basic_auth_password_is_accepted(client, support_mailbox):
    raw = raw_email()
    auth = "Basic " + base64.b64encode(b"api:s3cret").decode()

    response = client.post(url(support_mailbox), {"message": SimpleUploadedFile("m.eml", raw)}, HTTP_AUTHORIZATION=auth)
    again = client.post(url(support_mailbox), {"email": raw.decode()}, HTTP_AUTHORIZATION=auth)

    assert response.status_code == 202 and again.status_code == 202
    assert again.json() == {"id": response.json()["id"], "duplicate": True}


@pytest.mark.parametrize("auth", ["", "Bearer wrong", "Bearer s3cre", "Basic bm90LWJhc2U2NA=="])
def test_wrong_or_missing_secret_is_refused_without_storing(client, support_mailbox, auth):
    response = client.post(url(support_mailbox), raw_email(), content_type="message/rfc822", HTTP_AUTHORIZATION=auth)

    assert response.status_code == 404 and not InboundMessage.objects.exists()


def test_mailbox_without_secret_takes_nothing(client, support_mailbox):
    support_mailbox.webhook_secret = ""
    support_mailbox.save(update_fields=["webhook_secret"])

    response = client.post(url(support_mailbox), raw_email(), content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 404


def test_empty_body_is_a_clear_400(client, support_mailbox):
    response = client.post(url(support_mailbox), b"", content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer s3cret")

    assert response.status_code == 400 and "raw message" in response.json()["detail"]


def test_storage_failure_answers_503_so_the_service_retries(client, support_mailbox):
    with mock.patch.object(ingest.InboundMessage, "save", side_effect=OperationalError("database is locked")):
        response = client.post(url(support_mailbox), raw_email(), content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer s3cret")

    assert response.status_code == 503 and response["Retry-After"] == "60"
