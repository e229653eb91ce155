"""The tickets API: list, open, show and change tickets, and the catalogues."""

from datetime import timedelta

import pytest
from django.utils import timezone

from steward.accounts.choices import TokenScope
from steward.desk import services
from steward.desk.choices import Impact, Priority, Source, TicketStatus, Urgency
from steward.desk.models import Ticket


def numbers(response):
    return [item["number"] for item in response.json()["items"]]


# --- List -----------------------------------------------------------------------


def test_list_tickets_needs_a_token(api_as, ticket_a):
    response = api_as(None).get("/tickets")
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_list_tickets_refuses_an_unknown_token(client, ticket_a):
    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION="Bearer stw_nothing_real")
    assert response.status_code == 401


def test_staff_list_tickets_of_every_client(api_as, technician, ticket_a, ticket_b):
    response = api_as(technician).get("/tickets")
    assert response.status_code == 200
    body = response.json()
    assert numbers(response) == [ticket_b.number, ticket_a.number]
    assert body["next_cursor"] is None
    first = body["items"][1]
    assert first["id"] == ticket_a.pk and first["reference"] == f"#{ticket_a.number}"
    assert first["client"]["short_code"] == "ACME"
    assert first["requester"]["name"] == "Bob Acme"


def test_client_user_lists_only_their_own_tickets(api_as, technician, client_a, client_a_admin, client_a_user, ticket_a, ticket_b):
    # given a ticket of Bob's colleague Alice
    services.open_ticket(technician, client=client_a, requester=client_a_admin.contact, subject="VPN slow")
    # when Bob lists tickets
    response = api_as(client_a_user).get("/tickets")
    # then he sees his own ticket only
    assert numbers(response) == [ticket_a.number]


def test_client_admin_lists_their_company_tickets_but_no_other(api_as, technician, client_a, client_a_admin, ticket_a, ticket_b):
    colleague = services.open_ticket(technician, client=client_a, requester=client_a_admin.contact, subject="VPN slow")
    response = api_as(client_a_admin).get("/tickets")
    assert set(numbers(response)) == {ticket_a.number, colleague.number}
    # filtering by the other client's id finds nothing rather than leaking it
    assert numbers(api_as(client_a_admin).get("/tickets", {"client": ticket_b.client_id})) == []


def test_list_tickets_filters_by_repeated_status(api_as, technician, ticket_a, ticket_b, client_a):
    resolved = services.open_ticket(technician, client=client_a, subject="Done already")
    services.change_status(resolved, technician, TicketStatus.RESOLVED)
    services.change_status(ticket_b, technician, TicketStatus.OPEN)
    api = api_as(technician)
    assert numbers(api.get("/tickets", {"status": ["new", "open"]})) == [ticket_b.number, ticket_a.number]
    assert numbers(api.get("/tickets", {"status": "resolved"})) == [resolved.number]
    bad = api.get("/tickets", {"status": "finished"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"].startswith("status")


def test_list_tickets_filters_by_priority_client_source_and_queue(api_as, technician, client_a, ticket_a, ticket_b):
    urgent = services.open_ticket(
        technician, client=client_a, subject="Server down", impact=Impact.HIGH, urgency=Urgency.HIGH
    )
    api = api_as(technician)
    assert numbers(api.get("/tickets", {"priority": Priority.P1})) == [urgent.number]
    assert numbers(api.get("/tickets", {"client": client_a.pk})) == [urgent.number, ticket_a.number]
    assert numbers(api.get("/tickets", {"source": Source.EMAIL})) == [ticket_b.number]
    assert numbers(api.get("/tickets", {"queue": ticket_a.queue_id})) == [urgent.number, ticket_b.number, ticket_a.number]
    assert numbers(api.get("/tickets", {"queue": 999999})) == []


def test_list_tickets_filters_by_assignee_me_none_or_id(api_as, technician, other_technician, ticket_a, ticket_b):
    services.assign_ticket(ticket_a, technician, technician)
    services.assign_ticket(ticket_b, technician, other_technician)
    api = api_as(technician)
    assert numbers(api.get("/tickets", {"assignee": "me"})) == [ticket_a.number]
    assert numbers(api.get("/tickets", {"assignee": str(other_technician.pk)})) == [ticket_b.number]
    assert numbers(api.get("/tickets", {"assignee": "none"})) == []
    bad = api.get("/tickets", {"assignee": "somebody"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "assignee", "message": "Assignee must be a user id, 'me' or 'none'."}]


def test_list_tickets_by_category_includes_subcategories(api_as, technician, client_a, category, printers):
    top = services.open_ticket(technician, client=client_a, subject="New laptop", category=category)
    sub = services.open_ticket(technician, client=client_a, subject="Toner", category=printers)
    api = api_as(technician)
    assert numbers(api.get("/tickets", {"category": category.pk})) == [sub.number, top.number]
    assert numbers(api.get("/tickets", {"category": printers.pk})) == [sub.number]


def test_list_tickets_by_tag(api_as, technician, client_a, ticket_a):
    tagged = services.open_ticket(technician, client=client_a, subject="Backup failed", tags=["backup"])
    assert numbers(api_as(technician).get("/tickets", {"tag": "Backup"})) == [tagged.number]


def test_text_search_matches_subject_case_insensitively(api_as, technician, ticket_a, ticket_b):
    api = api_as(technician)
    assert numbers(api.get("/tickets", {"q": "PRINTER"})) == [ticket_a.number]
    assert numbers(api.get("/tickets", {"q": "case fil"})) == [ticket_b.number]
    assert numbers(api.get("/tickets", {"q": "50%"})) == []  # % is a literal, not a wildcard


def test_text_search_finds_a_ticket_by_number(api_as, technician, client_a, ticket_a, ticket_b):
    mentions = services.open_ticket(technician, client=client_a, subject=f"Follow-up to {ticket_b.number}")
    api = api_as(technician)
    assert numbers(api.get("/tickets", {"q": f"#{ticket_b.number}"})) == [ticket_b.number]
    assert numbers(api.get("/tickets", {"q": str(ticket_b.number)})) == [mentions.number, ticket_b.number]


def test_client_user_text_search_stays_in_their_tickets(api_as, client_a_user, ticket_a, ticket_b):
    assert numbers(api_as(client_a_user).get("/tickets", {"q": f"#{ticket_b.number}"})) == []


def test_list_tickets_updated_since(api_as, technician, client_a):
    start = timezone.now() - timedelta(days=3)
    old = services.open_ticket(technician, client=client_a, subject="Old", at=start)
    new = services.open_ticket(technician, client=client_a, subject="New", at=start + timedelta(days=2))
    api = api_as(technician)
    since = (start + timedelta(days=1)).isoformat()
    assert numbers(api.get("/tickets", {"updated_since": since})) == [new.number]
    # a "+00:00" offset typed into a URL unencoded arrives as a space and still works
    raw = since.replace("+", " ")
    assert numbers(api.get(f"/tickets?updated_since={raw}")) == [new.number]
    assert numbers(api.get("/tickets", {"updated_since": start.isoformat()})) == [new.number, old.number]
    assert api.get("/tickets", {"updated_since": "yesterday"}).status_code == 422


def test_cursor_pagination_walks_every_ticket_once(api_as, technician, client_a):
    # given 23 tickets, several sharing one update time (ties are broken by id)
    now = timezone.now()
    opened = set()
    for index in range(23):
        at = now - timedelta(minutes=index // 4)
        opened.add(services.open_ticket(technician, client=client_a, subject=f"Ticket {index}", at=at).number)
    api = api_as(technician)
    # when following next_cursor with 5 per page
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        body = api.get("/tickets", params).json()
        seen += [item["number"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # then every ticket came exactly once, newest first
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == opened
    ordered = Ticket.objects.order_by("-updated_at", "-id").values_list("number", flat=True)
    assert seen == list(ordered)


def test_list_tickets_counts_only_when_asked(api_as, technician, ticket_a, ticket_b):
    api = api_as(technician)
    assert api.get("/tickets", {"limit": 1}).json()["count"] is None
    body = api.get("/tickets", {"limit": 1, "with_count": "true"}).json()
    assert body["count"] == 2 and len(body["items"]) == 1


def test_list_tickets_rejects_bad_cursor_and_limit(api_as, technician, ticket_a):
    api = api_as(technician)
    bad_cursor = api.get("/tickets", {"cursor": "not-a-cursor"})
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"][0]["field"] == "cursor"
    too_many = api.get("/tickets", {"limit": 201})
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "limit"


def test_list_tickets_runs_the_same_few_queries_for_any_page_size(
    api_as, technician, other_technician, client_a, site_a, client_a_user, printers, outlook, django_assert_max_num_queries
):
    for index in range(40):
        services.open_ticket(
            technician,
            client=client_a,
            site=site_a,
            requester=client_a_user.contact,
            subject=f"Ticket {index}",
            category=printers,
            software=outlook,
            assignee=other_technician,
            tags=["printing", f"t{index}"],
        )
    api = api_as(technician)
    api.get("/tickets", {"limit": 1})  # the token's first use records its use time
    # token lookup, tickets with their people, then tags, queues, categories with parents, software
    with django_assert_max_num_queries(7):
        small = api.get("/tickets", {"limit": 2})
    with django_assert_max_num_queries(7):
        big = api.get("/tickets", {"limit": 40, "status": ["new", "open"], "q": "ticket"})
    assert len(small.json()["items"]) == 2
    assert len(big.json()["items"]) == 40
    assert big.json()["items"][0]["category"]["full_name"] == "Hardware › Printers"


# --- Open -----------------------------------------------------------------------


def test_staff_open_ticket_with_every_reference(
    api_as, technician, other_technician, client_a, site_a, client_a_user, client_a_admin, printers, outlook
):
    response = api_as(technician).post(
        "/tickets",
        {
            "client": client_a.pk,
            "subject": "Scanner offline",
            "description": "Since the power cut.",
            "requester": client_a_user.contact.pk,
            "site": site_a.pk,
            "cc": [client_a_admin.contact.pk],
            "category": printers.pk,
            "software": outlook.pk,
            "assignee": other_technician.pk,
            "impact": Impact.MEDIUM,
            "urgency": Urgency.HIGH,
            "tags": ["Scanner", "power cut"],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    ticket = Ticket.objects.get(number=body["number"])
    assert body["id"] == ticket.pk
    assert body["source"] == "api"
    assert body["status"] == "open"  # assigned right away
    assert body["priority"] == Priority.P2
    assert body["assignee"]["name"] == "Tara Tech"
    assert [c["name"] for c in body["cc"]] == ["Alice Acme"]
    assert body["tags"] == ["power-cut", "scanner"]
    assert body["category"]["name"] == "Printers"
    assert body["queue"]["name"] == "Service desk"
    assert ticket.created_by == technician


def test_open_ticket_missing_subject_is_named(api_as, technician, client_a):
    response = api_as(technician).post("/tickets", {"client": client_a.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "subject", "message": "Field required"}]


def test_open_ticket_wrong_type_is_named(api_as, technician, client_a):
    response = api_as(technician).post("/tickets", {"client": client_a.pk, "subject": "x", "impact": "very"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "impact"


def test_open_ticket_needs_a_client_for_staff(api_as, technician):
    response = api_as(technician).post("/tickets", {"subject": "Who is this for?"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "client"


@pytest.mark.parametrize("field", ["category", "software", "queue", "assignee", "requester", "site", "client"])
def test_open_ticket_unknown_id_is_named(api_as, technician, client_a, field):
    payload = {"client": client_a.pk, "subject": "Broken", field: 987654}
    response = api_as(technician).post("/tickets", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert "987654" in response.json()["detail"]


def test_open_ticket_refuses_a_site_of_another_client(api_as, technician, client_a, site_b):
    response = api_as(technician).post("/tickets", {"client": client_a.pk, "subject": "x", "site": site_b.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "site", "message": "Site 'Chambers' belongs to another client."}


def test_open_ticket_refuses_a_client_user_as_assignee(api_as, technician, client_a, client_a_user):
    response = api_as(technician).post(
        "/tickets", {"client": client_a.pk, "subject": "x", "assignee": client_a_user.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "assignee"


def test_open_ticket_with_a_read_token_is_refused(api_as, technician, client_a):
    response = api_as(technician, TokenScope.READ).post("/tickets", {"client": client_a.pk, "subject": "x"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_client_user_opens_ticket_for_own_company_as_requester(api_as, client_a_user, client_a):
    response = api_as(client_a_user).post("/tickets", {"subject": "Outlook keeps asking for my password"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["client"]["id"] == client_a.pk
    assert body["requester"]["id"] == client_a_user.contact.pk
    assert body["source"] == "api"
    assert body["site"]["name"] == "Main surgery"  # the requester's site
    assert body["queue"] is None  # internal routing stays internal


def test_client_user_cannot_open_ticket_for_another_client(api_as, client_a_user, client_b):
    response = api_as(client_a_user).post("/tickets", {"client": client_b.pk, "subject": "Hello"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "client"
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "field,value", [("priority", 1), ("tags", ["vip"]), ("source", "phone"), ("queue", 1)]
)
def test_client_user_cannot_set_staff_fields(api_as, client_a_user, field, value):
    response = api_as(client_a_user).post("/tickets", {"subject": "Please hurry", field: value})
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == field


def test_client_user_cannot_open_ticket_for_a_colleague(api_as, client_a_admin, client_a_user):
    response = api_as(client_a_admin).post("/tickets", {"subject": "For Bob", "requester": client_a_user.contact.pk})
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "requester"


def test_html_in_text_is_stored_and_returned_as_plain_text(api_as, technician, client_a):
    script = '<script>alert("x")</script><b>bold</b>'
    response = api_as(technician).post("/tickets", {"client": client_a.pk, "subject": script, "description": script})
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["subject"] == script
    assert Ticket.objects.get().description == script


# --- Show -----------------------------------------------------------------------


def test_show_ticket_with_links_and_tags(api_as, technician, client_a, ticket_a, client_a_admin):
    parent = services.open_ticket(technician, client=client_a, subject="Office move")
    services.set_parent(ticket_a, technician, parent)
    duplicate = services.open_ticket(technician, client=client_a, subject="Printer again", cc=[client_a_admin.contact])
    services.merge_tickets(duplicate, ticket_a, technician)
    services.update_ticket(ticket_a, technician, {"tags": ["printing"]})

    body = api_as(technician).get(f"/tickets/{ticket_a.number}").json()
    assert body["id"] == ticket_a.pk and body["number"] == ticket_a.number
    assert body["parent"] == parent.number
    assert body["merged_from"] == [duplicate.number]
    assert body["tags"] == ["printing"]
    assert [c["name"] for c in body["cc"]] == ["Alice Acme"]
    assert body["description"] == "It jams on every second page."

    assert api_as(technician).get(f"/tickets/{parent.number}").json()["children"] == [ticket_a.number]
    assert api_as(technician).get(f"/tickets/{duplicate.number}").json()["merged_into"] == ticket_a.number


def test_show_ticket_of_another_client_is_not_found(api_as, client_b_user, ticket_a):
    response = api_as(client_b_user).get(f"/tickets/{ticket_a.number}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_show_colleagues_ticket_is_not_found_for_client_user(api_as, technician, client_a, client_a_admin, client_a_user):
    colleague = services.open_ticket(technician, client=client_a, requester=client_a_admin.contact, subject="VPN")
    assert api_as(client_a_user).get(f"/tickets/{colleague.number}").status_code == 404
    assert api_as(client_a_admin).get(f"/tickets/{colleague.number}").status_code == 200


def test_show_unknown_ticket_is_not_found(api_as, technician):
    assert api_as(technician).get("/tickets/999999").status_code == 404


# --- Change ---------------------------------------------------------------------


def test_update_ticket_changes_fields_and_writes_the_timeline(api_as, technician, other_technician, ticket_a, category):
    response = api_as(technician).patch(
        f"/tickets/{ticket_a.number}",
        {
            "status": "in_progress",
            "assignee": other_technician.pk,
            "category": category.pk,
            "priority": 1,
            "tags": ["printing"],
            "version": ticket_a.version,
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["assignee"]["id"] == other_technician.pk
    assert body["priority"] == 1 and body["priority_overridden"] is True
    assert body["tags"] == ["printing"]
    assert body["version"] == ticket_a.version + 1
    events = [entry["event_text"] for entry in api_as(technician).get(f"/tickets/{ticket_a.number}/timeline").json()]
    assert "changed status from New to In progress" in events


def test_update_ticket_priority_null_returns_to_the_matrix(api_as, technician, ticket_a):
    api = api_as(technician)
    api.patch(f"/tickets/{ticket_a.number}", {"priority": 1})
    body = api.patch(f"/tickets/{ticket_a.number}", {"priority": None, "impact": Impact.HIGH}).json()
    assert body["priority_overridden"] is False
    assert body["priority"] == Priority.P2  # high impact × medium urgency


def test_update_ticket_with_stale_version_is_a_conflict(api_as, technician, other_technician, ticket_a):
    read_version = ticket_a.version
    services.update_ticket(ticket_a, other_technician, {"subject": "Printer jams (reception)"})
    response = api_as(technician).patch(f"/tickets/{ticket_a.number}", {"subject": "Mine", "version": read_version})
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    assert Ticket.objects.get(pk=ticket_a.pk).subject == "Printer jams (reception)"


def test_update_ticket_rejects_null_status_and_unknown_ids(api_as, technician, ticket_a):
    api = api_as(technician)
    null_status = api.patch(f"/tickets/{ticket_a.number}", {"status": None})
    assert null_status.status_code == 422
    assert null_status.json()["errors"][0]["field"] == "status"
    unknown = api.patch(f"/tickets/{ticket_a.number}", {"queue": 424242})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "queue"


def test_update_ticket_unchanged_tags_keep_the_version(api_as, technician, ticket_a):
    api = api_as(technician)
    first = api.patch(f"/tickets/{ticket_a.number}", {"tags": ["printing"]}).json()
    again = api.patch(f"/tickets/{ticket_a.number}", {"tags": ["printing"]}).json()
    assert again["version"] == first["version"]


def test_client_user_cannot_change_own_ticket(api_as, client_a_user, ticket_a):
    response = api_as(client_a_user).patch(f"/tickets/{ticket_a.number}", {"status": "closed"})
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket_a.pk).status == TicketStatus.NEW


def test_client_user_changing_other_clients_ticket_gets_not_found(api_as, client_b_user, ticket_a):
    assert api_as(client_b_user).patch(f"/tickets/{ticket_a.number}", {"status": "closed"}).status_code == 404


def test_update_ticket_with_read_token_is_refused(api_as, technician, ticket_a):
    response = api_as(technician, TokenScope.READ).patch(f"/tickets/{ticket_a.number}", {"status": "open"})
    assert response.status_code == 403


# --- Catalogues -----------------------------------------------------------------


def test_catalogues_list_categories_and_software_but_tags_only_to_staff(
    api_as, client_a_user, category, printers, outlook, technician, client_a
):
    ticket = services.open_ticket(
        technician, client=client_a, requester=client_a_user.contact, subject="x", tags=["birch-migration"]
    )
    api = api_as(client_a_user)
    categories = api.get("/categories").json()
    assert {c["full_name"] for c in categories} == {"Hardware", "Hardware › Printers"}
    assert api.get("/software").json() == [{"id": outlook.pk, "name": "Outlook", "vendor": "Microsoft"}]
    # Tags are internal labels that may name other clients: the portal side never sees them.
    assert api.get("/tags").json() == []
    assert api.get(f"/tickets/{ticket.number}").json()["tags"] == []
    assert [t["name"] for t in api_as(technician).get("/tags").json()] == ["birch-migration"]


def test_queues_and_teams_are_for_staff_only(api_as, technician, client_a_admin):
    staff_queues = api_as(technician).get("/queues").json()
    assert [q["name"] for q in staff_queues] == ["Service desk", "Triage"]
    assert staff_queues[0]["is_default"] is True
    assert api_as(client_a_admin).get("/queues").json() == []
    assert api_as(client_a_admin).get("/teams").json() == []
