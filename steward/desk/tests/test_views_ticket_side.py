"""The ticket page's side: quick time entry, contract and related tickets, parent/merge links; the new-ticket form."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from django.utils import timezone

from steward.clients.models import Contact, Contract
from steward.desk import services
from steward.desk.choices import Source, TicketStatus
from steward.desk.forms_ticket import parse_duration
from steward.desk.models import Ticket
from steward.work.choices import WorkType
from steward.work.models import TimeEntry
from steward.work.services import log_time

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tech_client(client, technician):
    client.force_login(technician)
    return client


# --- Quick time entry ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, minutes",
    [("15", 15), ("15m", 15), ("15 min", 15), ("1h", 60), ("1h30", 90), ("1h 30m", 90), ("1:30", 90), ("0:05", 5), ("1.5h", 90), ("2,25h", 135)],
)
def test_parse_duration_accepts_common_notations(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "abc", "1:75", "h", "-5", "1h30h"])
def test_parse_duration_refuses_the_rest(text):
    with pytest.raises(ValidationError):
        parse_duration(text)


def test_quick_time_entry_logs_against_the_ticket_and_shows_the_total(tech_client, technician, ticket_a):
    # given half an hour already logged
    log_time(technician, ticket=ticket_a, duration_minutes=30)
    # when Tom logs 1h30 of non-billable proactive work
    response = tech_client.post(
        f"/tickets/{ticket_a.number}/time/",
        {"duration_minutes": "1h30", "work_type": WorkType.PROACTIVE, "note": "Replaced <fuser>"},
        **HTMX,
    )
    # then the entry exists with the client of the ticket, and the panel shows the new total
    entry = TimeEntry.objects.order_by("-id").first()
    page = response.content.decode()
    assert (entry.duration_minutes, entry.work_type, entry.billable) == (90, WorkType.PROACTIVE, False)
    assert entry.ticket == ticket_a and entry.client_id == ticket_a.client_id and entry.technician == technician
    assert "2 h logged" in page and "Logged 1 h 30 min." in page and "Replaced &lt;fuser&gt;" in page


def test_quick_time_entry_defaults_to_reactive_billable(tech_client, ticket_a):
    tech_client.post(f"/tickets/{ticket_a.number}/time/", {"duration_minutes": "15", "work_type": "reactive", "billable": "on"}, **HTMX)
    entry = TimeEntry.objects.get()
    assert (entry.duration_minutes, entry.work_type, entry.billable) == (15, WorkType.REACTIVE, True)


def test_bad_duration_is_a_field_error_that_keeps_the_input(tech_client, ticket_a):
    response = tech_client.post(f"/tickets/{ticket_a.number}/time/", {"duration_minutes": "ages", "work_type": "reactive", "note": "kept"}, **HTMX)
    page = response.content.decode()
    assert "Enter a duration like 15, 15m, 1h30 or 1:30" in page
    assert 'value="ages"' in page and "kept</textarea>" in page
    response = tech_client.post(f"/tickets/{ticket_a.number}/time/", {"duration_minutes": "25h", "work_type": "reactive"}, **HTMX)
    assert "between 1 minute and 24 hours" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_ticket_page_shows_logged_time(tech_client, time_entry, ticket_a):
    page = tech_client.get(f"/tickets/{ticket_a.number}/").content.decode()
    assert "30 min logged" in page and "Cleared the paper path" in page


# --- Side panel ------------------------------------------------------------------------------------


def test_side_panel_shows_contract_and_hours_used_this_month(tech_client, technician, ticket_a, client_a):
    # given a 10-hour contract and 90 minutes logged this month (plus older time that does not count)
    Contract.objects.create(
        client=client_a, name="Managed Gold", starts_on=dt.date(2020, 1, 1), included_hours_per_month=10, hourly_rate=95, sla_plan="Gold"
    )
    now = timezone.localtime()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    log_time(technician, ticket=ticket_a, duration_minutes=90, started_at=max(month_start, now - dt.timedelta(hours=2)))
    log_time(technician, ticket=ticket_a, duration_minutes=600, started_at=month_start - dt.timedelta(days=3))
    # then
    page = tech_client.get(f"/tickets/{ticket_a.number}/").content.decode()
    assert "Managed Gold" in page and "SLA Gold" in page and "Rate 95.00 per hour" in page
    assert "1.5 h of 10 h included used this month" in page


def test_side_panel_without_contract_says_so(tech_client, ticket_a):
    assert "No contract in force for Acme Dental" in tech_client.get(f"/tickets/{ticket_a.number}/").content.decode()


def test_side_panel_lists_requesters_other_open_tickets_client_tickets_and_vips_first(
    tech_client, technician, ticket_a, client_a, client_a_user
):
    other_open = services.open_ticket(technician, client=client_a, requester=client_a_user.contact, subject="Monitor flickers")
    done = services.open_ticket(technician, client=client_a, requester=client_a_user.contact, subject="Old resolved one")
    services.change_status(done, technician, TicketStatus.RESOLVED)
    Contact.objects.create(client=client_a, first_name="Zoe", last_name="Boss", is_vip=True, title="Practice owner")
    page = tech_client.get(f"/tickets/{ticket_a.number}/").content.decode()
    requester_part = page.split('id="requester-tickets-heading"')[1].split("</section>")[0]
    client_part = page.split('id="client-tickets-heading"')[1].split("</section>")[0]
    contacts_part = page.split('id="contacts-heading"')[1].split("</section>")[0]
    assert f"#{other_open.number}" in requester_part and "Old resolved one" not in requester_part
    assert "Old resolved one" in client_part and "Monitor flickers" in client_part
    assert contacts_part.index("Zoe Boss") < contacts_part.index("Bob Acme") and "VIP" in contacts_part


# --- Parent and merge ----------------------------------------------------------------------------------


@pytest.fixture
def sibling(technician, client_a, client_a_user):
    return services.open_ticket(technician, client=client_a, requester=client_a_user.contact, subject="All printers offline")


def test_set_parent_by_number_and_detach(tech_client, ticket_a, sibling):
    response = tech_client.post(f"/tickets/{ticket_a.number}/parent/", {"parent": f"#{sibling.number}"}, **HTMX)
    ticket_a.refresh_from_db()
    page = response.content.decode()
    assert ticket_a.parent == sibling
    assert f'href="/tickets/{sibling.number}/">#{sibling.number}</a>' in page
    assert f"set parent ticket to #{sibling.number}" in page  # timeline out of band
    children = tech_client.get(f"/tickets/{sibling.number}/").content.decode().split('id="ticket-links"')[1]
    assert f"#{ticket_a.number}" in children.split("</section>")[0]
    tech_client.post(f"/tickets/{ticket_a.number}/parent/", {"parent": ""}, **HTMX)
    ticket_a.refresh_from_db()
    assert ticket_a.parent is None


@pytest.mark.parametrize(
    "value, message",
    [("abc", "Enter a ticket number"), ("#999999", "There is no ticket #999999."), ("self", "cannot be its own parent"), ("other", "a ticket of another client")],
)
def test_set_parent_errors_are_clear(tech_client, ticket_a, ticket_b, value, message):
    value = {"self": str(ticket_a.number), "other": str(ticket_b.number)}.get(value, value)
    response = tech_client.post(f"/tickets/{ticket_a.number}/parent/", {"parent": value}, **HTMX)
    ticket_a.refresh_from_db()
    assert message in response.content.decode() and ticket_a.parent is None


def test_set_parent_refuses_a_cycle(tech_client, technician, ticket_a, sibling):
    services.set_parent(sibling, technician, ticket_a)
    response = tech_client.post(f"/tickets/{ticket_a.number}/parent/", {"parent": str(sibling.number)}, **HTMX)
    assert f"#{sibling.number} is already below #{ticket_a.number}" in response.content.decode()


def test_merge_into_another_ticket_redirects_there(tech_client, ticket_a, sibling):
    response = tech_client.post(f"/tickets/{ticket_a.number}/merge/", {"target": str(sibling.number)}, **HTMX)
    ticket_a.refresh_from_db()
    assert ticket_a.merged_into == sibling and ticket_a.status == TicketStatus.CLOSED
    assert response["HX-Redirect"] == f"/tickets/{sibling.number}/"
    page = tech_client.get(f"/tickets/{sibling.number}/").content.decode()
    assert f"merged #{ticket_a.number} into this ticket" in page


@pytest.mark.parametrize(
    "value, message",
    [("", "This field is required."), ("#999999", "There is no ticket #999999."), ("self", "cannot be merged into itself"), ("other", "Only tickets of the same client")],
)
def test_merge_errors_are_clear(tech_client, ticket_a, ticket_b, value, message):
    value = {"self": str(ticket_a.number), "other": str(ticket_b.number)}.get(value, value)
    response = tech_client.post(f"/tickets/{ticket_a.number}/merge/", {"target": value}, **HTMX)
    ticket_a.refresh_from_db()
    assert message in response.content.decode() and ticket_a.merged_into is None


# --- New ticket -------------------------------------------------------------------------------------------


def test_new_ticket_form_preselects_the_client_and_lists_its_requesters(tech_client, client_a, client_a_user, client_b_user):
    page = tech_client.get(f"/tickets/new/?client={client_a.pk}").content.decode()
    assert f'<option value="{client_a.pk}" selected>' in page
    assert "Bob Acme" in page and "Charlie Birch" not in page
    assert '<option value="phone" selected>' in page


def test_changing_the_client_reloads_only_requesters_and_sites(tech_client, client_b, client_a_user, client_b_user, site_b):
    response = tech_client.get(f"/tickets/new/?client={client_b.pk}", **HTMX)
    page = response.content.decode()
    assert page.strip().startswith('<div id="client-fields"')
    assert "Charlie Birch" in page and "Chambers" in page and "Bob Acme" not in page


def test_new_ticket_errors_are_field_level_and_keep_the_input(tech_client, client_a, client_b_user):
    response = tech_client.post(
        "/tickets/new/",
        {"client": client_a.pk, "requester": client_b_user.contact.pk, "subject": "", "description": "Kept <text>",
         "type": "incident", "impact": "3", "urgency": "2", "source": "phone"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Ticket.objects.exists()
    assert "Select a valid choice" in page  # Charlie is not Acme's
    assert page.count("This field is required.") == 1  # the subject
    assert "Kept &lt;text&gt;</textarea>" in page and f'<option value="{client_a.pk}" selected>' in page


def test_new_ticket_opens_and_redirects_to_the_ticket(tech_client, technician, client_a, client_a_user, printers):
    response = tech_client.post(
        "/tickets/new/",
        {"client": client_a.pk, "requester": client_a_user.contact.pk, "subject": "Scanner broken", "description": "Since Monday",
         "type": "incident", "impact": "2", "urgency": "1", "category": printers.pk, "assignee": technician.pk,
         "source": Source.WALK_IN, "attachments": [SimpleUploadedFile("photo.jpg", b"jpg", "image/jpeg")]},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.number}/"
    assert (ticket.client, ticket.requester, ticket.category, ticket.assignee) == (client_a, client_a_user.contact, printers, technician)
    assert ticket.source == Source.WALK_IN and ticket.priority == 2 and ticket.status == TicketStatus.OPEN
    assert ticket.site == client_a_user.contact.site and ticket.created_by == technician
    assert ticket.attachments.get().filename == "photo.jpg"
    assert f"Ticket #{ticket.number} opened." in tech_client.get(response["Location"]).content.decode()


def test_new_ticket_with_oversize_attachment_is_refused_and_keeps_input(tech_client, client_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    response = tech_client.post(
        "/tickets/new/",
        {"client": client_a.pk, "subject": "Kept subject", "type": "incident", "impact": "3", "urgency": "2",
         "source": "phone", "attachments": [SimpleUploadedFile("big.bin", b"x" * 20)]},
    )
    page = response.content.decode()
    assert not Ticket.objects.exists()
    assert "attachments may be at most 10 bytes" in page and 'value="Kept subject"' in page


def test_client_users_get_404_on_the_new_ticket_form(client, client_a_admin):
    client.force_login(client_a_admin)
    assert client.get("/tickets/new/").status_code == 404
    assert client.post("/tickets/new/", {"subject": "x"}).status_code == 404
