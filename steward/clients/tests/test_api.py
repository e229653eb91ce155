"""The clients API: companies, sites, contacts, contracts and business hours."""

import datetime as dt

import pytest

from steward.accounts.choices import TokenScope
from steward.clients.models import BusinessHours, Client, Contact, Contract, Site


@pytest.fixture
def contract_a(client_a):
    return Contract.objects.create(
        client=client_a, name="Managed desktop 2025", starts_on=dt.date(2025, 1, 1), hourly_rate=95, notes="Discounted"
    )


@pytest.fixture
def contract_b(client_b):
    return Contract.objects.create(client=client_b, name="Birch support", starts_on=dt.date(2025, 1, 1))


def ids(response):
    return [item["id"] for item in response.json()["items"]]


# --- Clients --------------------------------------------------------------------


def test_staff_list_clients(api_as, technician, client_a, client_b):
    response = api_as(technician).get("/clients")
    assert response.status_code == 200
    body = response.json()
    assert [c["short_code"] for c in body["items"]] == ["ACME", "BIRCH"]
    assert body["count"] == 2 and body["next_cursor"] is None


def test_list_clients_pages_with_a_cursor(api_as, technician, client_a, client_b):
    api = api_as(technician)
    first = api.get("/clients", {"limit": 1}).json()
    second = api.get("/clients", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert [first["items"][0]["name"], second["items"][0]["name"]] == ["Acme Dental", "Birch Law"]
    assert second["next_cursor"] is None


def test_client_user_lists_only_own_company(api_as, client_a_user, client_a, client_b):
    assert ids(api_as(client_a_user).get("/clients")) == [client_a.pk]


def test_client_admin_sees_own_company_without_internal_notes(api_as, client_a_admin, client_a):
    client_a.notes = "Pays late"
    client_a.save(update_fields=["notes"])
    body = api_as(client_a_admin).get(f"/clients/{client_a.pk}").json()
    assert body["name"] == "Acme Dental"
    assert body["notes"] is None


def test_other_clients_company_is_not_found(api_as, client_a_admin, client_b):
    assert api_as(client_a_admin).get(f"/clients/{client_b.pk}").status_code == 404
    assert api_as(client_a_admin).patch(f"/clients/{client_b.pk}", {"name": "Mine"}).status_code == 404


def test_staff_create_client(api_as, technician):
    response = api_as(technician).post(
        "/clients",
        {"name": "Cedar Vets", "short_code": "cedar", "email_domains": ["@Cedar.test", "cedar.test"], "notes": "New"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["short_code"] == "CEDAR"
    assert body["email_domains"] == ["cedar.test"]
    assert body["notes"] == "New"
    assert Client.objects.filter(name="Cedar Vets").exists()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"short_code": "CEDAR"}, "name"),
        ({"name": "Cedar", "short_code": "C"}, "short_code"),
        ({"name": "acme dental", "short_code": "ACME2"}, "name"),
        ({"name": "Cedar", "short_code": "ACME"}, "short_code"),
        ({"name": "Cedar", "short_code": "CEDAR", "email_domains": ["acme.test"]}, "email_domains"),
        ({"name": "Cedar", "short_code": "CEDAR", "email_domains": ["not a domain"]}, "email_domains"),
        ({"name": "Cedar", "short_code": "CEDAR", "website": "nope"}, "website"),
        ({"name": "Cedar", "short_code": "CEDAR", "is_active": "maybe"}, "is_active"),
    ],
)
def test_create_client_names_the_bad_field(api_as, technician, client_a, payload, field):
    response = api_as(technician).post("/clients", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not Client.objects.filter(name__iexact="Cedar").exists()


def test_duplicate_client_name_says_so(api_as, technician, client_a):
    response = api_as(technician).post("/clients", {"name": "ACME DENTAL", "short_code": "AD"})
    assert response.json()["detail"] == "A client named 'ACME DENTAL' already exists."


def test_client_side_users_cannot_create_or_change_clients(api_as, client_a_admin, client_a):
    api = api_as(client_a_admin)
    assert api.post("/clients", {"name": "Cedar", "short_code": "CEDAR"}).status_code == 403
    response = api.patch(f"/clients/{client_a.pk}", {"name": "Acme"})
    assert response.status_code == 403
    assert Client.objects.get(pk=client_a.pk).name == "Acme Dental"


def test_staff_update_client(api_as, technician, client_a):
    response = api_as(technician).patch(f"/clients/{client_a.pk}", {"phone": "+44 20 7946 0000", "is_active": False})
    assert response.status_code == 200
    client_a.refresh_from_db()
    assert client_a.phone == "+44 20 7946 0000" and client_a.is_active is False
    assert api_as(technician).get("/clients", {"is_active": "true"}).json()["items"] == []


def test_update_client_rejects_null_name_and_unknown_id(api_as, technician, client_a):
    assert api_as(technician).patch(f"/clients/{client_a.pk}", {"name": None}).status_code == 422
    assert api_as(technician).patch("/clients/99999", {"name": "x"}).status_code == 404


def test_create_client_with_read_token_is_refused(api_as, admin_user):
    assert api_as(admin_user, TokenScope.READ).post("/clients", {"name": "X", "short_code": "XX"}).status_code == 403


# --- Sites ----------------------------------------------------------------------


def test_list_sites_filtered_by_client(api_as, technician, site_a, site_b, client_a):
    api = api_as(technician)
    assert ids(api.get("/sites")) == [site_a.pk, site_b.pk]
    response = api.get("/sites", {"client": client_a.pk})
    assert ids(response) == [site_a.pk]
    assert response.json()["items"][0]["client"]["short_code"] == "ACME"


def test_client_user_sees_own_sites_only(api_as, client_a_user, site_a, site_b):
    api = api_as(client_a_user)
    assert ids(api.get("/sites")) == [site_a.pk]
    assert api.get(f"/sites/{site_b.pk}").status_code == 404


def test_staff_create_and_update_site(api_as, technician, client_a):
    api = api_as(technician)
    response = api.post("/sites", {"client": client_a.pk, "name": "Branch", "timezone": "Europe/Paris"})
    assert response.status_code == 201, response.json()
    site_id = response.json()["id"]
    updated = api.patch(f"/sites/{site_id}", {"city": "Lyon"})
    assert updated.json()["city"] == "Lyon"
    assert Site.objects.get(pk=site_id).timezone == "Europe/Paris"


def test_create_site_names_bad_fields(api_as, technician, client_a, site_a):
    api = api_as(technician)
    bad_zone = api.post("/sites", {"client": client_a.pk, "name": "Branch", "timezone": "Mars/Olympus"})
    assert bad_zone.status_code == 422 and bad_zone.json()["errors"][0]["field"] == "timezone"
    duplicate = api.post("/sites", {"client": client_a.pk, "name": "main SURGERY"})
    assert duplicate.status_code == 422 and duplicate.json()["errors"][0]["field"] == "name"
    unknown = api.post("/sites", {"client": 4242, "name": "Branch"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "client"


def test_client_admin_cannot_change_own_site(api_as, client_a_admin, site_a, site_b):
    assert api_as(client_a_admin).patch(f"/sites/{site_a.pk}", {"name": "HQ"}).status_code == 403
    assert api_as(client_a_admin).patch(f"/sites/{site_b.pk}", {"name": "HQ"}).status_code == 404
    assert api_as(client_a_admin).post("/sites", {"client": site_a.client_id, "name": "HQ"}).status_code == 403


# --- Contacts -------------------------------------------------------------------


def test_search_contacts_by_name_email_and_phone(api_as, technician, client_a, client_a_user, client_a_admin, client_b_user):
    api = api_as(technician)
    assert ids(api.get("/contacts", {"q": "bob acme"})) == [client_a_user.contact.pk]
    assert ids(api.get("/contacts", {"q": "ALICE@acme"})) == [client_a_admin.contact.pk]
    phone = client_b_user.contact.phone
    assert ids(api.get("/contacts", {"q": phone})) == [client_b_user.contact.pk]
    assert set(ids(api.get("/contacts", {"client": client_a.pk}))) == {client_a_user.contact.pk, client_a_admin.contact.pk}


def test_search_contacts_by_phone_digits(api_as, technician, client_a):
    api = api_as(technician)
    created = api.post("/contacts", {"client": client_a.pk, "first_name": "Dana", "phone": "+44 (20) 7946-0999"}).json()
    assert ids(api.get("/contacts", {"q": "2079460999"})) == [created["id"]]


def test_client_user_sees_only_themselves_and_admin_sees_company(api_as, client_a_user, client_a_admin, client_b_user):
    assert ids(api_as(client_a_user).get("/contacts")) == [client_a_user.contact.pk]
    admin_view = set(ids(api_as(client_a_admin).get("/contacts")))
    assert admin_view == {client_a_user.contact.pk, client_a_admin.contact.pk}
    assert api_as(client_a_admin).get(f"/contacts/{client_b_user.contact.pk}").status_code == 404


def test_staff_create_and_update_contact(api_as, technician, client_a, site_a):
    api = api_as(technician)
    response = api.post(
        "/contacts", {"client": client_a.pk, "site": site_a.pk, "first_name": "Dana", "email": "dana@acme.test"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["site"]["name"] == "Main surgery" and body["client"]["id"] == client_a.pk
    updated = api.patch(f"/contacts/{body['id']}", {"site": None, "is_vip": True, "mobile": "07700 900123"})
    assert updated.status_code == 200
    assert updated.json()["site"] is None and updated.json()["is_vip"] is True
    assert Contact.objects.get(pk=body["id"]).mobile_digits == "07700900123"


def test_create_contact_names_bad_fields(api_as, technician, client_a, client_a_user, site_b):
    api = api_as(technician)
    other_site = api.post("/contacts", {"client": client_a.pk, "first_name": "Dana", "site": site_b.pk})
    assert other_site.status_code == 422 and other_site.json()["errors"][0]["field"] == "site"
    same_email = api.post("/contacts", {"client": client_a.pk, "first_name": "Bobby", "email": "BOB@acme.test"})
    assert same_email.status_code == 422 and same_email.json()["errors"][0]["field"] == "email"
    bad_email = api.post("/contacts", {"client": client_a.pk, "first_name": "Dana", "email": "dana at acme"})
    assert bad_email.status_code == 422 and bad_email.json()["errors"][0]["field"] == "email"
    no_name = api.post("/contacts", {"client": client_a.pk})
    assert no_name.status_code == 422 and no_name.json()["errors"][0]["field"] == "first_name"


def test_client_user_cannot_change_their_contact(api_as, client_a_user):
    assert api_as(client_a_user).patch(f"/contacts/{client_a_user.contact.pk}", {"first_name": "B"}).status_code == 403


# --- Contracts ------------------------------------------------------------------


def test_list_contracts_for_staff_and_client_admin(api_as, technician, client_a_admin, client_a_user, contract_a, contract_b, client_a):
    assert set(ids(api_as(technician).get("/contracts"))) == {contract_a.pk, contract_b.pk}
    assert ids(api_as(technician).get("/contracts", {"client": client_a.pk})) == [contract_a.pk]
    admin_view = api_as(client_a_admin).get("/contracts").json()["items"]
    assert [c["id"] for c in admin_view] == [contract_a.pk]
    assert admin_view[0]["notes"] is None and admin_view[0]["hourly_rate"] == "95.00"
    assert ids(api_as(client_a_user).get("/contracts")) == []
    assert api_as(client_a_admin).get(f"/contracts/{contract_b.pk}").status_code == 404


def test_staff_create_and_update_contract(api_as, technician, client_a):
    api = api_as(technician)
    response = api.post(
        "/contracts",
        {"client": client_a.pk, "name": "Support 2026", "starts_on": "2026-01-01", "included_hours_per_month": "10.5"},
    )
    assert response.status_code == 201, response.json()
    contract_id = response.json()["id"]
    updated = api.patch(f"/contracts/{contract_id}", {"ends_on": "2026-12-31", "covered_devices": 25})
    assert updated.json()["ends_on"] == "2026-12-31" and updated.json()["covered_devices"] == 25


def test_contract_cannot_end_before_it_starts(api_as, technician, contract_a):
    response = api_as(technician).patch(f"/contracts/{contract_a.pk}", {"ends_on": "2024-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "ends_on", "message": "A contract cannot end before it starts."}


def test_create_contract_names_bad_fields(api_as, technician, client_a):
    api = api_as(technician)
    negative = api.post("/contracts", {"client": client_a.pk, "name": "X", "starts_on": "2026-01-01", "hourly_rate": -1})
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "hourly_rate"
    bad_date = api.post("/contracts", {"client": client_a.pk, "name": "X", "starts_on": "soon"})
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "starts_on"


def test_client_admin_cannot_change_contracts(api_as, client_a_admin, contract_a):
    assert api_as(client_a_admin).patch(f"/contracts/{contract_a.pk}", {"name": "Free"}).status_code == 403


# --- Business hours -------------------------------------------------------------

WEEK = {
    "timezone": "Europe/London",
    "slots": [{"weekday": day, "opens": "08:30", "closes": "17:30"} for day in range(5)],
    "holidays": [{"date": "2026-12-25", "name": "Christmas Day"}],
}


def test_business_hours_are_not_found_until_set(api_as, technician, client_a):
    api = api_as(technician)
    assert api.get(f"/clients/{client_a.pk}/business-hours").status_code == 404
    response = api.put(f"/clients/{client_a.pk}/business-hours", WEEK)
    assert response.status_code == 200, response.json()
    body = api.get(f"/clients/{client_a.pk}/business-hours").json()
    assert body["timezone"] == "Europe/London"
    assert len(body["slots"]) == 5 and body["slots"][0] == {"weekday": 0, "opens": "08:30:00", "closes": "17:30:00"}
    assert body["holidays"] == [{"date": "2026-12-25", "name": "Christmas Day"}]


def test_setting_business_hours_replaces_the_old_ones(api_as, technician, client_a):
    api = api_as(technician)
    api.put(f"/clients/{client_a.pk}/business-hours", WEEK)
    api.put(f"/clients/{client_a.pk}/business-hours", {"timezone": "UTC", "slots": [], "holidays": []})
    calendar = BusinessHours.objects.get(client=client_a)
    assert calendar.timezone == "UTC" and not calendar.slots.exists() and not calendar.holidays.exists()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"timezone": "Nowhere/Town"}, "timezone"),
        ({"slots": [{"weekday": 0, "opens": "17:00", "closes": "09:00"}]}, "slots.0.closes"),
        ({"slots": [{"weekday": 7, "opens": "09:00", "closes": "17:00"}]}, "slots.0.weekday"),
        (
            {"slots": [{"weekday": 1, "opens": "09:00", "closes": "13:00"}, {"weekday": 1, "opens": "12:00", "closes": "17:00"}]},
            "slots.1",
        ),
        ({"holidays": [{"date": "2026-12-25", "name": "A"}, {"date": "2026-12-25", "name": "B"}]}, "holidays.1.date"),
    ],
)
def test_bad_business_hours_name_the_field(api_as, technician, client_a, change, field):
    response = api_as(technician).put(f"/clients/{client_a.pk}/business-hours", {**WEEK, **change})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not BusinessHours.objects.exists()


def test_business_hours_visibility(api_as, technician, client_a_admin, client_a_user, client_a, client_b):
    api_as(technician).put(f"/clients/{client_a.pk}/business-hours", WEEK)
    assert api_as(client_a_admin).get(f"/clients/{client_a.pk}/business-hours").status_code == 200
    assert api_as(client_a_user).get(f"/clients/{client_a.pk}/business-hours").status_code == 404
    assert api_as(client_a_admin).put(f"/clients/{client_a.pk}/business-hours", WEEK).status_code == 403
    assert api_as(client_a_admin).put(f"/clients/{client_b.pk}/business-hours", WEEK).status_code == 404
