"""The portal in the client's own look: logo (served only to who may see the client) and colour."""

import pytest
from django.core.files.base import ContentFile

from steward.clients.models import Client
from steward.portal.branding import bar_colours, contrast

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def acme_logo(client_a):
    client_a.logo.save("acme.png", ContentFile(PNG), save=True)
    return client_a


def test_portal_shows_client_name_logo_and_colour(client, client_a_user, acme_logo):
    Client.objects.filter(pk=acme_logo.pk).update(brand_color="#FFCC00")
    client.force_login(client_a_user)
    html = client.get("/portal/").content.decode()
    assert '<span>Acme Dental</span>' in html
    assert f'src="/portal/logo/{acme_logo.pk}/?v=' in html
    # black text on a yellow bar
    assert "--brand: #ffcc00; --brand-text: #000000;" in html
    assert "Desk</a>" not in html and "Log call" not in html


def test_portal_ignores_a_colour_that_is_not_hex(client, client_a_user, client_a):
    Client.objects.filter(pk=client_a.pk).update(brand_color="red;}")
    client.force_login(client_a_user)
    html = client.get("/portal/").content.decode()
    assert "red;}" not in html and "--brand: #14213d; --brand-text: #ffffff;" in html


@pytest.mark.parametrize("colour", ["#ffffff", "#000000", "#777777", "#1a56b8", "#ffcc00", "#00ff00", "#808080", "#767676"])
def test_bar_text_passes_wcag_aa_on_any_colour(colour):
    background, text = bar_colours(colour)
    assert contrast(background, text) >= 4.5


def test_logo_is_served_to_the_clients_people_and_staff_only(client, acme_logo, client_a_user, client_b_user, technician):
    url = f"/portal/logo/{acme_logo.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(client_a_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(technician)
    assert client.get(url).status_code == 200
    client.force_login(client_b_user)
    assert client.get(url).status_code == 404


def test_logo_that_is_not_an_image_is_not_served(client, client_a, client_a_user):
    client_a.logo.save("evil.png", ContentFile(b"<html><script>alert(1)</script>"), save=True)
    client.force_login(client_a_user)
    assert client.get(f"/portal/logo/{client_a.pk}/").status_code == 404


def test_svg_logo_is_sandboxed(client, client_a, client_a_user):
    client_a.logo.save("logo.svg", ContentFile(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'), save=True)
    client.force_login(client_a_user)
    response = client.get(f"/portal/logo/{client_a.pk}/")
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"] and "default-src 'none'" in response["Content-Security-Policy"]


def test_client_without_logo_has_none(client, client_a, client_a_user):
    client.force_login(client_a_user)
    assert client.get(f"/portal/logo/{client_a.pk}/").status_code == 404
    assert "portal-logo" not in client.get("/portal/").content.decode()
