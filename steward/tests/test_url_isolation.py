"""Isolation sweep over every web URL: another client's people get 404, never the data.

The URL list comes from the resolver itself, so a new page is swept without anyone
remembering to add it; a page with a path parameter the sweep cannot fill fails here
until PATH_VALUES learns it.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from steward.desk import services
from steward.desk.choices import EntryKind
from steward.desk.models import CannedReply, SavedView
from steward.tests.planning_rows import acme_planning_rows

# Parts of the site that have sweeps of their own, or no client data.
SKIPPED_PREFIXES = ("api/", "admin/", "static/", "accounts/password/reset/<uidb64>")


def walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def web_routes():
    return sorted(
        {route.lstrip("^").rstrip("$") for route in walk(get_resolver().url_patterns) if not route.startswith(SKIPPED_PREFIXES)}
    )


@pytest.fixture
def acme_values(technician, client_a, site_a, client_a_user, client_a_admin, ticket_a):
    """Client A's rows, keyed by the URL parameter names that address them."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    import datetime as dt

    from steward.clients.models import Contract
    from steward.mail.models import Mailbox

    note = services.add_message(ticket_a, technician, body="Acme internal note", kind=EntryKind.NOTE)
    attachment = services.store_attachment(ticket_a, SimpleUploadedFile("acme.txt", b"acme"), actor=technician, entry=note)
    saved_view = SavedView.objects.create(owner=technician, name="Acme tickets", query=f"client={client_a.pk}")
    contract = Contract.objects.create(client=client_a, name="Acme support", starts_on=dt.date(2025, 1, 1))
    return {
        "contract_id": contract.pk,
        "client_id": client_a.pk,
        "site_id": site_a.pk,
        "contact_id": client_a_user.contact.pk,
        "user_id": client_a_user.pk,
        "number": ticket_a.number,
        "attachment_id": attachment.pk,
        "short_code": client_a.short_code,
        "pk": ticket_a.pk,
        # Canned replies are staff-only texts: a client's people get 404 even for shared ones.
        "canned_reply_id": CannedReply.objects.create(title="Acme greeting", body="Hi {{ requester.first_name }}").pk,
        "view_id": saved_view.pk,
        # Mailboxes are the provider's own (staff only); the inbound-mail webhook takes its secret, not a session.
        "mailbox_id": Mailbox.objects.create(
            name="Support", address="support@msp.test", kind="webhook", webhook_secret="s3cret"
        ).pk,
        # The mail store and outbox of Acme's ticket, and an email template kind: staff-only pages.
        "message_id": _acme_inbound(ticket_a).pk,
        "outbound_id": _acme_outbound(ticket_a).pk,
        "kind": "reply",
        # Emailed links (portal sign-in link, invitation): Bob's id with a made-up token.
        "uidb64": urlsafe_base64_encode(force_bytes(client_a_user.pk)),
        "token": "c0ffee-0123456789abcdef",
        **acme_planning_rows(technician, client_a, ticket_a),
    }


def _acme_inbound(ticket):
    from django.utils import timezone

    from steward.mail.models import InboundMessage

    return InboundMessage.objects.create(
        source="webhook", sha256="a" * 64, raw="mail/raw/aa/acme.eml", size=1, subject="Acme mail",
        received_at=timezone.now(), ticket=ticket, status="failed", error="Acme error",
    )


def _acme_outbound(ticket):
    from steward.mail.models import OutboundMessage

    return OutboundMessage.objects.create(
        ticket=ticket, kind="reply", message_id="<acme@msp.test>", to=["bob@acme.test"], subject="Acme", status="failed"
    )


PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def fill(route, values):
    missing = [name for name in PARAM.findall(route) if name not in values]
    assert not missing, f"The isolation sweep cannot fill {missing} in {route!r}: add it to acme_values."
    return "/" + PARAM.sub(lambda match: str(values[match.group(1)]), route)


def test_other_clients_user_gets_404_on_every_page_with_client_a_data(client, client_b_user, acme_values):
    # given Charlie of Birch signed in
    client.force_login(client_b_user)
    leaks = []
    for route in web_routes():
        if not PARAM.search(route):
            continue
        url = fill(route, acme_values)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # Sign-in redirects and 404 are fine; 403 would confirm the row exists, 200 would show it.
            if response.status_code not in (302, 404, 405):
                leaks.append(f"{method.upper()} {url} → {response.status_code}")
    assert leaks == []


def test_pages_without_parameters_show_no_client_a_data_to_client_b(client, client_b_user, acme_values, client_a):
    client.force_login(client_b_user)
    for route in web_routes():
        if PARAM.search(route) or route.startswith("accounts/logout"):
            continue
        response = client.get("/" + route)
        if response.status_code == 200:
            page = response.content.decode()
            assert client_a.name not in page, f"/{route} shows {client_a.name} to another client's user"
            assert "Printer on reception jams" not in page, f"/{route} shows client A's ticket"
