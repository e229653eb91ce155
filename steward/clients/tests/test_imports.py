"""CSV import of clients and contacts: preview with per-row errors, confirm, re-import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.clients import imports
from steward.clients.models import Client, Contact

CLIENTS_CSV = (
    "Name,Short code,Email domains,Phone,Industry,Favourite colour\n"
    "Cedar Ltd,CEDAR,cedar.test,+44 20 7946 0300,Retail,green\n"
    "Dogwood,DOG,not-a-domain,,Law,\n"
    "Elm & Co,,elm.test,,,\n"
    "Acme Dental,ACME,acme.test,020 7946 0100,Dental,\n"
)


@pytest.fixture
def staff(client, technician):
    client.force_login(technician)
    return client


def upload(staff, text, kind="clients", encoding="utf-8"):
    return staff.post("/clients/import/", {"kind": kind, "file": SimpleUploadedFile("x.csv", text.encode(encoding))})


def test_preview_reports_each_row_and_saves_nothing(staff, client_a):
    response = upload(staff, CLIENTS_CSV)
    page = response.content.decode()
    result = response.context["result"]
    assert [(r.line, r.action) for r in result.rows] == [(2, "create"), (3, "error"), (4, "error"), (5, "update")]
    assert result.rows[1].errors == [("email_domains", "'not-a-domain' is not a mail domain (e.g. acme.com).")]
    assert result.rows[2].errors[0][0] == "short_code"
    assert result.rows[3].changed == ["industry", "phone"]
    assert "Favourite colour" in result.ignored and "Elm &amp; Co" in page and "not imported" in page
    assert not Client.objects.filter(short_code="CEDAR").exists()


def test_confirm_imports_only_valid_rows_and_reimport_changes_nothing(staff, client_a):
    upload(staff, CLIENTS_CSV)
    response = staff.post("/clients/import/confirm/")
    assert response.status_code == 302
    assert set(Client.objects.values_list("short_code", flat=True)) == {"ACME", "CEDAR"}
    assert Client.objects.get(short_code="ACME").industry == "Dental"
    # the same file again: nothing to add or change
    again = upload(staff, CLIENTS_CSV).context["result"]
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2, "error": 2}


def test_confirm_without_preview_is_explained(staff):
    response = staff.post("/clients/import/confirm/", follow=True)
    assert "no file waiting" in response.content.decode()


def test_contacts_with_bom_and_semicolons(staff, technician, client_a, site_a, client_b):
    text = (
        "\ufefffirst name;Last Name;E-mail;Phone;Mobile;Job title;Client;Site;VIP\n"
        "Dana;Scully;dana@acme.test;+44 20 7946 0101;;Manager;ACME;Main surgery;yes\n"
        "Fox;Mulder;fox@birch.test;;07700 900555;;Birch Law;;no\n"
        "Walter;Skinner;walter@acme.test;;;;NOPE;;\n"
        "Alex;Krycek;;;;;ACME;Basement;maybe\n"
        ";;;;;;;;\n"
        "Monica;Reyes;;;;;acme;;\n"
    )
    result = upload(staff, text, kind="contacts").context["result"]
    assert [(r.line, r.action) for r in result.rows] == [(2, "create"), (3, "create"), (4, "error"), (5, "error"), (7, "create")]
    assert result.rows[2].errors == [("client", "There is no client “NOPE”; import the clients first.")]
    assert {field for field, _ in result.rows[3].errors} == {"is_vip", "site"}
    staff.post("/clients/import/confirm/")
    dana = Contact.objects.get(email="dana@acme.test")
    assert dana.is_vip and dana.site == site_a and dana.phone_digits == "442079460101" and dana.title == "Manager"
    assert Contact.objects.get(email="fox@birch.test").client == client_b
    # re-import: matched by client + email (or name without one), nothing new
    again = upload(staff, text, kind="contacts").context["result"]
    assert again.counts["create"] == 0 and again.counts["unchanged"] == 3
    assert Contact.objects.filter(first_name="Monica").count() == 1


def test_file_level_problems_are_shown_at_the_file_field(staff):
    page = upload(staff, "Name,Code\nCédric,CED\n", encoding="latin-1").content.decode()
    assert "not UTF-8" in page
    page = upload(staff, "colour,size\nred,big\n").content.decode()
    assert "No “name” column found" in page


def test_run_import_refuses_client_side_users(client_a_admin):
    with pytest.raises(Exception):
        imports.run_import(client_a_admin, "clients", CLIENTS_CSV, commit=True)
