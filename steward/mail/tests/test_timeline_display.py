"""How an imported email shows on the ticket page and in the portal: new part first, history folded, inline images."""

import re
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.urls import reverse

from steward.desk.choices import EntryKind
from steward.desk.models import Attachment
from steward.mail.tests.helpers import deliver
from steward.mail.tests.inbound_fixtures import raw_email

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

REPLY = (
    "The new toner fixed it, thanks!\n"
    "\n"
    "-- \n"
    "Bob Acme | Reception | +1 555 0100\n"
    "\n"
    "On Mon, 3 Mar 2025 at 10:00, Tom Tech <support@msp.test> wrote:\n"
    "> Please try the new toner cartridge.\n"
)


def reply_to(ticket, body=REPLY, **kwargs):
    return raw_email(subject=f"Re: [#{ticket.number}] Printer", body=body, **kwargs)


def email_with_inline_image(subject: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Bob Acme <bob@acme.test>"
    message["To"] = "support@msp.test"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.test")
    message.set_content("See the screenshot.\n")
    message.add_alternative('<p>See the screenshot.</p><img src="cid:shot1@mail.test">', subtype="html")
    message.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<shot1@mail.test>", filename="shot.png")
    message.add_attachment(b"%PDF-1.4 report", maintype="application", subtype="pdf", filename="report.pdf")
    return message.as_bytes()


@pytest.fixture
def tech_client(client, technician):
    client.force_login(technician)
    return client


def page(client, ticket) -> str:
    response = client.get(reverse("desk:ticket_detail", args=[ticket.number]))
    assert response.status_code == 200
    return response.content.decode()


def entry_html(html: str, entry) -> str:
    start = html.index(f'id="entry-{entry.pk}"')
    ends = [i for i in (html.find('<li class="entry', start), html.find("</ol>", start)) if i != -1]
    return html[start : min(ends)]


def test_email_entry_keeps_the_new_part_and_the_quoted_rest(support_mailbox, ticket_a):
    message = deliver(reply_to(ticket_a), support_mailbox)

    entry = message.entry
    assert entry.kind == EntryKind.EMAIL
    assert entry.body == "The new toner fixed it, thanks!"
    assert "Bob Acme | Reception" in entry.quoted_text and "> Please try the new toner" in entry.quoted_text


def test_ticket_page_shows_the_new_part_and_folds_history_and_signature(tech_client, support_mailbox, ticket_a):
    entry = deliver(reply_to(ticket_a), support_mailbox).entry

    html = entry_html(page(tech_client, ticket_a), entry)

    new_part, folded = html.split("<details", 1)
    assert "The new toner fixed it, thanks!" in new_part
    assert "Reception" not in new_part and "Please try the new toner" not in new_part
    assert "<summary>Show quoted text</summary>" in folded
    assert "Bob Acme | Reception" in folded and "&gt; Please try the new toner cartridge." in folded


def test_an_email_without_quotes_has_no_toggle(tech_client, support_mailbox, ticket_a):
    entry = deliver(reply_to(ticket_a, body="Works now."), support_mailbox).entry

    assert entry.quoted_text == ""
    assert "<details" not in entry_html(page(tech_client, ticket_a), entry)


def test_portal_shows_the_requester_the_same_fold(client, client_a_user, support_mailbox, ticket_a):
    deliver(reply_to(ticket_a), support_mailbox)
    client.force_login(client_a_user)

    response = client.get(reverse("portal:request_detail", args=[ticket_a.number]))

    html = response.content.decode()
    assert response.status_code == 200
    new_part, folded = html.split('<details class="quoted-text">', 1)
    assert "The new toner fixed it, thanks!" in new_part and "Please try the new toner" not in new_part
    assert "Show quoted text" in folded and "&gt; Please try the new toner cartridge." in folded


def test_inline_image_is_shown_as_a_picture_and_not_listed_as_a_file(tech_client, client, support_mailbox, ticket_a, client_a_user):
    entry = deliver(email_with_inline_image(f"Re: [#{ticket_a.number}] Printer"), support_mailbox).entry
    image = Attachment.objects.get(entry=entry, filename="shot.png")
    report = Attachment.objects.get(entry=entry, filename="report.pdf")
    assert image.content_id == "shot1@mail.test" and image.is_inline_image
    assert report.content_id == "" and not report.is_inline_image
    url = reverse("desk:attachment_download", args=[image.pk])
    assert url == f"/attachments/{image.pk}/"

    html = entry_html(page(tech_client, ticket_a), entry)
    images, files = html.split('<ul class="attachments"', 1)
    assert f'<img src="{url}" alt="shot.png"' in images
    assert "report.pdf" in files and url not in files and "shot.png" not in files

    served = tech_client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Content-Security-Policy"] == "sandbox"

    client.force_login(client_a_user)
    portal = client.get(reverse("portal:request_detail", args=[ticket_a.number])).content.decode()
    assert f'<img src="{url}"' in portal
    assert portal.count(f'href="{url}"') == 1  # the picture's own link, no file-list entry
    assert client.get(url).status_code == 200


def test_inline_image_of_the_email_that_opened_the_ticket(tech_client, support_mailbox, client_a_user):
    ticket = deliver(email_with_inline_image("Screen is blank"), support_mailbox).ticket
    image = Attachment.objects.get(ticket=ticket, filename="shot.png")

    html = page(tech_client, ticket)

    description = html[html.index('id="description-heading"') : html.index('id="timeline"')]
    url = reverse("desk:attachment_download", args=[image.pk])
    assert f'<img src="{url}"' in description and description.count(url) == 2  # the picture and its link only
    assert "report.pdf" in description
    assert reverse("mail:inbound_download", args=[ticket.inbound_messages.get().pk]) in description


def test_html_and_script_in_mail_are_shown_as_text(tech_client, client, client_a_user, support_mailbox, ticket_a):
    body = (
        "<script>alert('new')</script><img src=x onerror=alert(1)>\n\n"
        "On Mon, 3 Mar 2025 at 10:00, Tom <support@msp.test> wrote:\n"
        "> <script>alert('quoted')</script>\n"
    )
    entry = deliver(reply_to(ticket_a, body=body), support_mailbox).entry
    staff_html = entry_html(page(tech_client, ticket_a), entry)
    client.force_login(client_a_user)
    portal_html = client.get(reverse("portal:request_detail", args=[ticket_a.number])).content.decode()

    for html in (staff_html, portal_html):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#x27;new&#x27;)&lt;/script&gt;" in html
        assert "&lt;script&gt;alert(&#x27;quoted&#x27;)&lt;/script&gt;" in html


def test_view_original_streams_the_eml_to_staff_and_is_404_for_client_people(
    tech_client, client, client_a_user, support_mailbox, ticket_a
):
    raw = reply_to(ticket_a)
    message = deliver(raw, support_mailbox)
    url = reverse("mail:inbound_download", args=[message.pk])

    html = entry_html(page(tech_client, ticket_a), message.entry)
    assert re.search(rf'<a href="{re.escape(url)}">View original</a>', html)
    response = tech_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "message/rfc822"
    assert b"".join(response.streaming_content) == raw

    client.force_login(client_a_user)
    assert client.get(url).status_code == 404
    portal = client.get(reverse("portal:request_detail", args=[ticket_a.number])).content.decode()
    assert "View original" not in portal and url not in portal


def test_ticket_opened_by_email_folds_its_quoted_history_like_a_reply(tech_client, client, support_mailbox, client_a_user):
    # given: a forwarded conversation opens a new ticket
    ticket = deliver(raw_email(subject="Printer again", body=REPLY), support_mailbox).ticket

    # then: the description is the new part, the history and signature are folded under it
    assert ticket.description == "The new toner fixed it, thanks!"
    html = page(tech_client, ticket)
    description = html[html.index('id="description-heading"') : html.index('id="timeline"')]
    new_part, folded = description.split("<details", 1)
    assert "The new toner fixed it, thanks!" in new_part and "Please try the new toner" not in new_part
    assert "<summary>Show quoted text</summary>" in folded and "&gt; Please try the new toner cartridge." in folded
    assert "Bob Acme | Reception" in folded
    # and: the requester sees the same in the portal
    client.force_login(client_a_user)
    portal = client.get(reverse("portal:request_detail", args=[ticket.number])).content.decode()
    new_part, folded = portal.split('<details class="quoted-text">', 1)
    assert "The new toner fixed it, thanks!" in new_part and "Please try the new toner" not in new_part
    assert "&gt; Please try the new toner cartridge." in folded
