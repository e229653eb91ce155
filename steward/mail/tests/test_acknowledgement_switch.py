"""The per-client acknowledgement switch, set in the client form or the API, decides whether email gets a reply."""

import re

from steward.clients.models import Client
from steward.mail.choices import OutboundKind
from steward.mail.models import OutboundMessage
from steward.mail.tests.helpers import deliver
from steward.mail.tests.inbound_fixtures import raw_email


def acknowledgements():
    return OutboundMessage.objects.filter(kind=OutboundKind.ACKNOWLEDGEMENT)


def test_switching_acknowledgements_off_in_the_client_form_stops_them(client, technician, support_mailbox, client_a_user):
    client.force_login(technician)
    client_a = client_a_user.contact.client
    form = client.get(f"/clients/{client_a.pk}/edit/").content.decode()
    box = re.search(r'<input[^>]*name="send_acknowledgements"[^>]*>', form)
    assert box and "checked" in box.group(0) and "Acknowledge new requests by email" in form

    # when: the technician saves the form with the box unticked
    response = client.post(f"/clients/{client_a.pk}/edit/", {
        "name": client_a.name, "short_code": client_a.short_code, "email_domains": "acme.test", "is_active": "on",
        "loaded_at": client_a.updated_at.isoformat(),
    })
    assert response.status_code == 302
    assert "Off: no" in client.get(f"/clients/{client_a.pk}/").content.decode()

    # then: the client's next email opens a ticket without an acknowledgement
    message = deliver(raw_email(subject="Monitor flickers"), support_mailbox)
    assert message.ticket is not None and not acknowledgements().exists()


def test_api_reads_and_sets_the_acknowledgement_switch(api_as, technician, support_mailbox, client_a_user):
    api = api_as(technician)
    client_a = client_a_user.contact.client
    assert api.get(f"/clients/{client_a.pk}").json()["send_acknowledgements"] is True
    deliver(raw_email(subject="First", message_id="<first@acme.test>"), support_mailbox)
    assert acknowledgements().count() == 1

    response = api.patch(f"/clients/{client_a.pk}", {"send_acknowledgements": False})
    assert response.status_code == 200 and response.json()["send_acknowledgements"] is False
    assert Client.objects.get(pk=client_a.pk).send_acknowledgements is False
    deliver(raw_email(subject="Second", message_id="<second@acme.test>"), support_mailbox)
    assert acknowledgements().count() == 1

    created = api.post("/clients", {"name": "Cedar", "short_code": "CEDAR", "send_acknowledgements": False})
    assert created.status_code == 201 and created.json()["send_acknowledgements"] is False
