"""Cross-cutting checks of /api/v1/: the OpenAPI document, and an isolation sweep over every endpoint.

The sweep reads the endpoint list from the OpenAPI document itself, so a new endpoint
is swept (or fails the test until it is given a request body here) without anyone
remembering to add it.
"""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.api.v1 import api
from steward.clients.models import BusinessHours, Contract
from steward.desk import services
from steward.desk.choices import EntryKind
from steward.mail.models import Mailbox
from steward.tests.planning_rows import acme_planning_rows
from steward.work import services as work_services

HTTP_VERBS = ("get_", "post_", "put_", "patch_", "delete_")

# A valid body for each write endpoint that has an object in its path, so the sweep gets past validation.
WRITE_BODIES = {
    "update_client": {"name": "Taken over"},
    "set_business_hours": {"timezone": "UTC", "slots": [], "holidays": []},
    "update_site": {"name": "Taken over"},
    "update_contact": {"first_name": "Mallory"},
    "update_contract": {"name": "Taken over"},
    "update_ticket": {"subject": "Taken over"},
    "add_reply": {"body": "hello"},
    "add_note": {"body": "hello"},
    "log_call": {"body": "hello"},
    "merge_ticket": {"into": 1},
    "set_parent_ticket": {"parent": None},
    "upload_attachment": None,  # multipart, sent below
    "update_time_entry": {"note": "Taken over"},
    "update_mailbox": {"name": "Taken over"},
    "check_mailbox": {},
    "submit_timesheet": {},
    "approve_timesheet": {},
    "return_timesheet": {"reason": "Taken over"},
    "remove_absence": {},
    "set_capacity": {"weekly_hours": 10, "work_days": "12345", "target_utilisation": 0.5},
    "compare_project_scenario": {"reactive_reduction": 0.3},
    "remove_scenario": {},
    "apply_scenario": {},
    "update_project": {"name": "Taken over"},
    "add_task": {"name": "Taken over"},
    "update_task": {"name": "Taken over"},
    "remove_task": {},
    "link_ticket": {"number": 1},
    "unlink_ticket": {},
    "replace_project_template": {"name": "Taken over", "tasks": [{"name": "Taken over", "estimate_hours": 1}]},
    "recompute_forecast": {},
}


def operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path.removeprefix("/api/v1"), operation


def test_openapi_document_is_served_and_names_operations_by_what_they_do(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    ids = [operation["operationId"] for _, _, operation in operations()]
    assert len(ids) == len(set(ids))
    assert not [name for name in ids if name.startswith(HTTP_VERBS)]
    assert all(operation.get("summary") for _, _, operation in operations())
    assert {"list_tickets", "open_ticket", "add_reply", "add_note", "download_attachment"} <= set(ids)


@pytest.fixture
def acme_world(technician, client_a, site_a, client_a_user, client_a_admin, ticket_a):
    """One of every kind of row for client A, keyed by the path parameter that addresses it."""
    contract = Contract.objects.create(client=client_a, name="Acme support", starts_on=dt.date(2025, 1, 1))
    BusinessHours.objects.create(client=client_a, timezone="Europe/London")
    note = services.add_message(ticket_a, technician, body="Acme internal note", kind=EntryKind.NOTE)
    attachment = services.store_attachment(ticket_a, SimpleUploadedFile("acme.txt", b"acme"), actor=technician)
    services.store_attachment(ticket_a, SimpleUploadedFile("note.txt", b"acme"), actor=technician, entry=note)
    entry = work_services.log_time(technician, ticket=ticket_a, duration_minutes=30)
    return {
        "client_id": client_a.pk,
        "site_id": site_a.pk,
        "contact_id": client_a_user.contact.pk,
        "contract_id": contract.pk,
        "user_id": client_a_user.pk,
        "number": ticket_a.number,
        "attachment_id": attachment.pk,
        "entry_id": entry.pk,
        "mailbox_id": Mailbox.objects.create(name="Support", address="support@msp.test").pk,
        **acme_planning_rows(technician, client_a, ticket_a),
    }


def fill(path, values):
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), path)


def test_other_clients_people_get_404_for_every_object_of_acme(acme_world, api_as, client_b_user, ticket_b):
    api = api_as(client_b_user)
    swept = 0
    for method, path, operation in operations():
        if "{" not in path:
            continue
        url = fill(path, acme_world)
        name = operation["operationId"]
        if method == "get":
            response = api.get(url)
        elif name == "upload_attachment":
            response = api.upload(url, file=SimpleUploadedFile("x.txt", b"x"))
        else:
            assert name in WRITE_BODIES, f"add a valid body for {name} to WRITE_BODIES"
            body = dict(WRITE_BODIES[name])
            if name == "merge_ticket":
                body["into"] = ticket_b.number
            response = getattr(api, method)(url, body)
        assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"
        swept += 1
    assert swept >= 23


def test_lists_show_other_clients_people_nothing_of_acme(acme_world, api_as, client_b_user):
    api = api_as(client_b_user)
    for method, path, operation in operations():
        if method != "get" or "{" in path or path == "/users/me":
            continue
        response = api.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert "Acme" not in text and "ACME" not in text, f"{path} leaks client A: {text[:300]}"
        assert str(acme_world["number"]) not in text, path


def test_client_user_sees_no_internal_rows_anywhere(acme_world, api_as, client_a_user):
    api = api_as(client_a_user)
    timeline = api.get(f"/tickets/{acme_world['number']}/timeline").content.decode()
    detail = api.get(f"/tickets/{acme_world['number']}").content.decode()
    assert "Acme internal note" not in timeline and "note.txt" not in timeline + detail
    assert api.get("/time-entries").json()["items"] == []
    assert api.get("/contracts").json()["items"] == []
