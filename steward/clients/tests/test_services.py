import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.clients import services
from steward.clients.models import Contact
from steward.core.exceptions import NotPermitted


def test_only_staff_change_client_records(client_a_admin, client_a):
    with pytest.raises(NotPermitted):
        services.update_client(client_a, client_a_admin, {"name": "Acme"})
    with pytest.raises(NotPermitted):
        services.create_client(client_a_admin, name="Cedar", short_code="CEDAR")


def test_contact_phone_numbers_are_kept_as_digits_for_caller_matching(technician, client_a):
    contact = services.create_contact(technician, client=client_a, first_name="Dana", phone="+44 (20) 7946-0999")
    assert contact.phone_digits == "442079460999"
    services.update_contact(contact, technician, {"phone": "020 7946 0111"})
    assert Contact.objects.get(pk=contact.pk).phone_digits == "02079460111"


def test_update_with_nothing_changed_writes_nothing(technician, client_a):
    with CaptureQueriesContext(connection) as queries:
        services.update_client(client_a, technician, {"name": "Acme Dental"})
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
