"""The clients area in the browser: list, client and contact pages, forms, and who may see them."""

import datetime as dt

import pytest
from django.utils import timezone

from steward.clients.models import Client, Contact, Contract, Site
from steward.clients.services import create_contact
from steward.desk import services as desk_services
from steward.work import services as work_services


@pytest.fixture
def staff(client, technician):
    client.force_login(technician)
    return client


@pytest.fixture
def acme_month(technician, client_a, ticket_a):
    """Acme with a 10-hour contract and 90 minutes logged this month."""
    Contract.objects.create(client=client_a, name="Acme care", starts_on=dt.date(2024, 1, 1), included_hours_per_month=10)
    work_services.log_time(technician, ticket=ticket_a, duration_minutes=90, started_at=timezone.now())
    return client_a


def test_client_list_shows_open_tickets_and_hours_against_included(staff, acme_month, client_b):
    page = staff.get("/clients/").content.decode()
    assert "Acme Dental" in page and "Birch Law" in page
    assert "1 h 30 min of 10 h" in page
    assert '<a href="/?client=' in page  # open-ticket count links to the queue


def test_client_list_search_and_active_filter(staff, client_a, client_b):
    Client.objects.filter(pk=client_b.pk).update(is_active=False)
    assert "Birch Law" not in staff.get("/clients/").content.decode()
    assert "Birch Law" in staff.get("/clients/", {"active": "no"}).content.decode()
    page = staff.get("/clients/", {"q": "acme", "active": "all"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Acme Dental" in page and "Birch Law" not in page and "<html" not in page


def test_client_list_query_count_does_not_grow_with_rows(staff, technician, django_assert_max_num_queries):
    # given 60 clients with a ticket and time each
    for i in range(60):
        c = Client.objects.create(name=f"Client {i:02d}", short_code=f"C{i:02d}")
        t = desk_services.open_ticket(technician, client=c, subject="x")
        work_services.log_time(technician, ticket=t, duration_minutes=15)
    # then: session, user, count, page (with all figures) — whatever the number of rows
    with django_assert_max_num_queries(6):
        response = staff.get("/clients/")
    assert response.content.decode().count("<tr>") == 51  # header + a page of 50


def test_client_page_shows_everything_in_bounded_queries(staff, acme_month, site_a, client_a_user, django_assert_max_num_queries):
    for i in range(15):
        create_contact(_tech(), client=acme_month,
                       first_name=f"Extra{i}", email=f"extra{i}@acme.test")
    with django_assert_max_num_queries(14):
        page = staff.get(f"/clients/{acme_month.pk}/").content.decode()
    for text in ("Acme Dental", "Main surgery", "Bob", "Extra14", "Acme care", "Printer on reception jams", "1 h 30 min", "15 %"):
        assert text in page, text


def _tech():
    from steward.accounts.models import User

    return User.objects.get(username="tom")


def test_contact_page_lists_tickets_and_portal_invite_form(staff, client_a_user, ticket_a, django_assert_max_num_queries):
    contact = client_a_user.contact
    with django_assert_max_num_queries(8):
        page = staff.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Printer on reception jams" in page and contact.email in page
    assert f'action="/portal/invite/{contact.pk}/"' in page


def test_create_client_then_errors_keep_input(staff, client_a):
    response = staff.post("/clients/new/", {"name": "Cedar Ltd", "short_code": "cedar", "email_domains": "cedar.test"})
    cedar = Client.objects.get(short_code="CEDAR")
    assert response["Location"] == f"/clients/{cedar.pk}/" and cedar.email_domains == ["cedar.test"]
    # a taken name and a bad domain are shown at their fields, with what was typed
    response = staff.post("/clients/new/", {"name": "acme dental", "short_code": "ACME2", "email_domains": "acme2.test"})
    page = response.content.decode()
    assert response.status_code == 200 and "already exists" in page
    assert 'value="acme dental"' in page and 'value="ACME2"' in page
    response = staff.post("/clients/new/", {"name": "Dogwood <script>", "short_code": "DOG", "email_domains": "dogwood"})
    page = response.content.decode()
    assert "is not a mail domain" in page and 'value="dogwood"' in page and "<script>" not in page


def test_edit_client_detects_stale_form(staff, client_a):
    form = staff.get(f"/clients/{client_a.pk}/edit/").content.decode()
    assert 'name="loaded_at"' in form
    Client.objects.filter(pk=client_a.pk).update(updated_at=timezone.now() + dt.timedelta(seconds=5))
    response = staff.post(f"/clients/{client_a.pk}/edit/", {
        "name": "Acme Renamed", "short_code": "ACME", "loaded_at": client_a.updated_at.isoformat(), "is_active": "on"})
    assert "Someone else changed this record" in response.content.decode()
    assert Client.objects.get(pk=client_a.pk).name == "Acme Dental"


def test_site_contact_and_contract_forms(staff, client_a, site_a):
    staff.post(f"/clients/{client_a.pk}/sites/new/", {"name": "Branch", "timezone": "Europe/London"})
    assert Site.objects.filter(client=client_a, name="Branch").exists()
    response = staff.post(f"/clients/{client_a.pk}/sites/new/", {"name": "Annex", "timezone": "Mars/Olympus"})
    assert "is not a known time zone" in response.content.decode() and 'value="Annex"' in response.content.decode()

    response = staff.post(f"/clients/{client_a.pk}/contacts/new/", {
        "first_name": "Fox", "last_name": "Mulder", "email": "fox@acme.test", "phone": "020 7946 0555", "site": site_a.pk,
        "is_active": "on"})
    fox = Contact.objects.get(email="fox@acme.test")
    assert response["Location"] == f"/contacts/{fox.pk}/" and fox.phone_digits == "02079460555"
    response = staff.post(f"/clients/{client_a.pk}/contacts/new/", {"first_name": "Fax", "email": "FOX@acme.test"})
    assert "already has a contact with the address" in response.content.decode()
    response = staff.post(f"/contacts/{fox.pk}/edit/", {
        "first_name": "Fox", "last_name": "Mulder", "email": "fox@acme.test", "mobile": "07700 900777",
        "loaded_at": fox.updated_at.isoformat(), "is_active": "on"})
    fox.refresh_from_db()
    assert response.status_code == 302 and fox.mobile_digits == "07700900777"

    response = staff.post(f"/clients/{client_a.pk}/contracts/new/", {
        "name": "Care", "starts_on": "2025-03-01", "ends_on": "2025-01-01", "included_hours_per_month": "8",
        "hourly_rate": "90", "covered_devices": "0", "covered_users": "0"})
    assert "cannot end before it starts" in response.content.decode() and 'value="Care"' in response.content.decode()
    contract = Contract.objects.create(client=client_a, name="Care", starts_on=dt.date(2025, 1, 1))
    staff.post(f"/contracts/{contract.pk}/edit/", {
        "name": "Care plus", "starts_on": "2025-01-01", "included_hours_per_month": "12", "hourly_rate": "90",
        "covered_devices": "5", "covered_users": "5"})
    assert Contract.objects.get(pk=contract.pk).name == "Care plus"


CLIENT_AREA = ["/clients/", "/clients/new/", "/clients/import/", "/clients/{c}/", "/clients/{c}/edit/",
               "/clients/{c}/sites/new/", "/clients/{c}/contacts/new/", "/clients/{c}/contracts/new/",
               "/contacts/{contact}/", "/contacts/{contact}/edit/", "/sites/{site}/edit/"]


def test_client_side_users_reach_none_of_the_clients_area(client, client_a, site_a, client_a_admin, client_a_user):
    for user in (client_a_admin, client_a_user):
        client.force_login(user)
        for url in CLIENT_AREA:
            url = url.format(c=client_a.pk, contact=user.contact.pk, site=site_a.pk)
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"name": "x"}).status_code == 404, url
    assert Client.objects.filter(name="x").count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, client_a):
    response = client.get(f"/clients/{client_a.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
