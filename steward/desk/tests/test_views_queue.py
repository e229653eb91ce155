"""The technician's queue at /: what a technician sees and does, and who never gets there."""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.utils import timezone

from steward.desk import queries, services
from steward.desk.choices import EntryKind, Priority, Source, TicketStatus
from steward.desk.filters import ticket_condition
from steward.desk.models import SavedView, Ticket
from steward.desk.views import queue as queue_views


@pytest.fixture(autouse=True)
def _fresh_counts():
    # View counts are cached for 30 s; each test starts without them.
    cache.clear()


@pytest.fixture
def tom(client, technician):
    client.force_login(technician)
    return client


def open_ticket(client_, subject, **extra):
    return services.open_ticket(None, client=client_, subject=subject, **extra)


def numbers_on(response):
    return [int(n) for n in re.findall(r'<tr id="ticket-(\d+)"', response.content.decode())]


def view_counts(response):
    return {view["name"]: view["count"] for view in response.context["views"]}


# --- Who gets the queue ----------------------------------------------------------------


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["client_a_user", "client_a_admin"])
def test_client_side_user_is_sent_to_the_portal(client, persona, request, ticket_a):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    # nor can they act on the queue's endpoints
    client.post("/queue/bulk/", {"tickets": [ticket_a.number], "action": "status", "status": "closed"})
    client.post(f"/queue/tickets/{ticket_a.number}/assign-to-me/")
    ticket_a.refresh_from_db()
    assert ticket_a.status == TicketStatus.NEW and ticket_a.assignee is None


# --- The list ----------------------------------------------------------------------------


def test_technician_sees_open_tickets_with_what_each_row_shows(tom, ticket_a, ticket_b, printers):
    services.update_ticket(ticket_a, None, {"category": printers})
    done = open_ticket(ticket_a.client, "Already fixed")
    services.change_status(done, None, TicketStatus.RESOLVED)

    response = tom.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert numbers_on(response) == [ticket_a.number, ticket_b.number]  # open only, most recently updated first
    row = page[page.index(f'id="ticket-{ticket_a.number}"') :].split("</tr>")[0]
    for shown in ("Printer on reception jams", "Acme Dental", "Bob Acme", "status-new", "P4", "Unassigned", "Hardware › Printers"):
        assert shown in row
    assert f'href="/tickets/{ticket_a.number}/"' in row
    assert "<time datetime=" in row


def test_filters_narrow_the_list(tom, technician, ticket_a, ticket_b, category, printers):
    # given tickets that differ in one thing each
    mine = open_ticket(ticket_a.client, "Mine", assignee=technician, priority=Priority.P1, source=Source.EMAIL)
    filed = open_ticket(ticket_b.client, "Filed under printers", category=printers, source=Source.PORTAL)
    waiting = open_ticket(ticket_a.client, "Waiting for Bob")
    services.change_status(waiting, technician, TicketStatus.WAITING_ON_CUSTOMER)
    closed = open_ticket(ticket_a.client, "Old printer ticket")
    services.change_status(closed, technician, TicketStatus.CLOSED)

    def shown(**params):
        return set(numbers_on(tom.get("/?" + urlencode(params, doseq=True))))

    assert shown(assignee="me") == {mine.number}
    assert shown(assignee="none") == {ticket_a.number, ticket_b.number, filed.number, waiting.number}
    assert shown(assignee=technician.pk) == {mine.number}
    assert shown(priority=1) == {mine.number}
    assert shown(client=ticket_b.client.pk) == {ticket_b.number, filed.number}
    assert shown(category=category.pk) == {filed.number}  # a parent category finds its subcategories
    assert shown(source="portal") == {filed.number}
    assert shown(status="waiting_on_customer") == {waiting.number}
    assert shown(q="printer") == {ticket_a.number, filed.number}  # the closed one needs its status chosen
    assert shown(q="printer", status=["closed"]) == {closed.number}
    assert shown(q=f"#{mine.number}") == {mine.number}
    assert shown(q="printer", client=ticket_a.client.pk) == {ticket_a.number}


def test_list_uses_the_same_filter_definition_as_the_api(technician, ticket_a, ticket_b):
    # The queue's rows and the API's list come from one function: same filters, same tickets.
    api = queries.ticket_list(technician, client=ticket_a.client.pk, q="printer")
    queue = queries.queue_tickets(technician, client=ticket_a.client.pk, q="printer")
    assert list(api) == list(queue) == [ticket_a]


def test_unknown_filter_values_are_explained_and_ignored(tom, ticket_a):
    response = tom.get("/?status=bogus&priority=9&client=abc&assignee=nobody&sort=sideways&after=not-a-cursor")

    page = response.content.decode()
    assert response.status_code == 200
    assert numbers_on(response) == [ticket_a.number]
    for name in ("status", "priority", "client", "assignee", "sort by"):
        assert f"Ignored the {name} filter" in page
    assert "That page link is out of date; showing the first page." in page


def test_html_in_a_subject_is_shown_as_text(tom, client_a):
    open_ticket(client_a, '<script>alert("x")</script><b>bold</b>')

    page = tom.get("/").content.decode()

    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page


def test_htmx_filter_request_swaps_only_the_list_and_refreshes_the_views(tom, ticket_a, ticket_b):
    response = tom.get(f"/?client={ticket_a.client.pk}", HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="queue-list"')
    assert numbers_on(response) == [ticket_a.number]
    assert 'id="queue-views"' in page and 'hx-swap-oob="true"' in page


def test_empty_list_says_what_to_do(tom, ticket_a):
    page = tom.get("/?q=nothing-like-this").content.decode()
    assert "No tickets match these filters." in page and "Clear filters" in page
    assert "search resolved and closed tickets too" in page

    services.change_status(ticket_a, None, TicketStatus.CLOSED)
    assert "No open tickets — the queue is clear." in tom.get("/").content.decode()


# --- Sorting and keyset pages ----------------------------------------------------------------


@pytest.mark.parametrize("sort", ["-updated", "updated", "-created", "priority", "-priority", "-number", "number"])
def test_keyset_paging_walks_every_ticket_once_each_way(tom, client_a, monkeypatch, sort):
    # given 8 tickets, several with the same update time and priority (ties must break by id)
    monkeypatch.setattr(queue_views, "PAGE_SIZE", 3)
    tickets = [open_ticket(client_a, f"Ticket {i}", priority=1 + i % 3) for i in range(8)]
    same_time = timezone.now() - dt.timedelta(hours=1)
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[2:6]]).update(updated_at=same_time, created_at=same_time)
    ordering = queue_views.SORTS[sort][1]
    expected = list(Ticket.objects.order_by(*ordering).values_list("number", flat=True))

    # when following "Next page" to the end
    seen, pages, url = [], [], f"/?sort={sort}"
    while url:
        response = tom.get(url)
        pages.append(url)
        seen += numbers_on(response)
        url = response.context["older_url"]
    # then every ticket came once, in order, 3 per page
    assert seen == expected
    assert len(pages) == 3

    # and "Previous page" walks back over the same pages
    back = []
    url = response.context["newer_url"]
    while url:
        response = tom.get(url)
        back = numbers_on(response) + back
        url = response.context["newer_url"]
    assert back == expected[:6]


def test_sorting_by_priority_puts_p1_first(tom, client_a):
    low = open_ticket(client_a, "Low", priority=Priority.P4)
    high = open_ticket(client_a, "High", priority=Priority.P1)
    old_high = open_ticket(client_a, "Older high", priority=Priority.P1)
    Ticket.objects.filter(pk=old_high.pk).update(updated_at=timezone.now() - dt.timedelta(days=1))

    response = tom.get("/?sort=priority")

    assert numbers_on(response) == [high.number, old_high.number, low.number]
    assert 'aria-sort="ascending"' in response.content.decode()


# --- Saved views and their counts ----------------------------------------------------------


def test_builtin_views_are_listed_with_their_counts(tom, technician, client_a):
    open_ticket(client_a, "Mine", assignee=technician)
    open_ticket(client_a, "Urgent", priority=Priority.P1)
    open_ticket(client_a, "Quite urgent", priority=Priority.P2)
    waiting = open_ticket(client_a, "Waiting")
    services.change_status(waiting, technician, TicketStatus.WAITING_ON_CUSTOMER)
    closed = open_ticket(client_a, "Closed")
    services.change_status(closed, technician, TicketStatus.CLOSED)

    response = tom.get("/")

    assert view_counts(response) == {
        "All open tickets": 4,
        "My open tickets": 1,
        "Unassigned": 3,
        "P1 and P2": 2,
        "Waiting on customer": 1,
    }
    assert [view["name"] for view in response.context["views"] if view["active"]] == ["All open tickets"]
    mine = tom.get("/?assignee=me")
    assert [view["name"] for view in mine.context["views"] if view["active"]] == ["My open tickets"]
    assert numbers_on(tom.get("/?priority=1&priority=2")) and len(numbers_on(tom.get("/?priority=1&priority=2"))) == 2


def test_view_counts_take_one_aggregate_query_and_are_cached(technician, client_a, django_assert_num_queries):
    open_ticket(client_a, "One")
    conditions = {
        "open": ticket_condition(technician),
        "mine": ticket_condition(technician, assignee="me"),
        "p1": ticket_condition(technician, priority=[1, 2]),
        "text": ticket_condition(technician, q="one", category=3),
    }
    with django_assert_num_queries(1):
        counts = queries.count_open_tickets_per_view(technician, conditions, signature="a")
    assert counts == {"open": 1, "mine": 0, "p1": 0, "text": 0}
    with django_assert_num_queries(0):
        queries.count_open_tickets_per_view(technician, conditions, signature="a")


def test_technician_saves_a_personal_view_and_deletes_it(tom, client, technician, other_technician, client_a):
    # when Tom saves the current filters as a view
    response = tom.post("/queue/views/", {"name": "Acme P1", "query": f"client={client_a.pk}&priority=1&bogus=1&after=x"})
    # then he lands on it, it shows in his list with its count, and it keeps only the valid filters
    assert response.status_code == 302
    view = SavedView.objects.get(name="Acme P1")
    assert view.owner == technician and view.query == f"priority=1&client={client_a.pk}"
    assert response["Location"] == f"/?{view.query}"
    page = tom.get(response["Location"])
    assert [v["name"] for v in page.context["views"] if v["active"]] == ["Acme P1"]
    assert "Acme P1" in page.content.decode()

    # and Tara does not see it, nor can she delete it
    client.force_login(other_technician)
    assert "Acme P1" not in [v["name"] for v in client.get("/").context["views"]]
    assert client.post(f"/queue/views/{view.pk}/delete/").status_code == 404

    # when Tom deletes it, it is gone
    client.force_login(technician)
    client.post(f"/queue/views/{view.pk}/delete/")
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_shared_view_is_seen_by_every_technician(tom, client, other_technician):
    tom.post("/queue/views/", {"name": "Waiting on vendors", "query": "status=waiting_on_third_party", "shared": "on"})

    client.force_login(other_technician)
    views = client.get("/").context["views"]

    shared = next(v for v in views if v["name"] == "Waiting on vendors")
    assert shared["saved"].owner is None and shared["count"] == 0 and not shared["deletable"]


def test_saving_a_view_with_a_taken_name_explains_and_keeps_the_input(tom):
    tom.post("/queue/views/", {"name": "Mine", "query": "assignee=me"})

    response = tom.post("/queue/views/", {"name": "mine", "query": "assignee=none"})

    page = response.content.decode()
    assert response.status_code == 422
    assert "There is already one of your views called" in page
    assert 'value="mine"' in page


# --- Bulk actions ---------------------------------------------------------------------------


def test_bulk_assign_gives_the_selected_tickets_to_a_technician(tom, other_technician, ticket_a, ticket_b):
    response = tom.post(
        "/queue/bulk/?assignee=none",
        {"tickets": [ticket_a.number, ticket_b.number], "action": "assign", "assign_to": other_technician.pk},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/?assignee=none"
    assert "Assigned 2 tickets to Tara Tech." in response.content.decode()
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {other_technician.pk}
    assert numbers_on(response) == []  # no longer unassigned


def test_bulk_status_change_goes_through_the_service_and_shows_in_the_list(tom, ticket_a, ticket_b):
    response = tom.post(
        "/queue/bulk/",
        {"tickets": [ticket_a.number, ticket_b.number], "action": "status", "status": "waiting_on_customer"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="queue-list"')
    assert "Set 2 tickets to Waiting on customer." in page
    assert page.count("status-waiting-on-customer") == 2
    assert ticket_a.entries.filter(kind=EntryKind.EVENT, event__field="status").exists()
    # the view counts refresh with the list
    assert view_counts(response)["Waiting on customer"] == 2


def test_bulk_merge_merges_the_selected_tickets_into_one(tom, client_a, ticket_a):
    duplicate = open_ticket(client_a, "Printer still jams")

    response = tom.post(
        "/queue/bulk/",
        {"tickets": [ticket_a.number, duplicate.number], "action": "merge", "merge_into": ticket_a.number},
        follow=True,
    )

    duplicate.refresh_from_db()
    assert f"Merged #{duplicate.number} into #{ticket_a.number}." in response.content.decode()
    assert duplicate.merged_into == ticket_a and duplicate.status == TicketStatus.CLOSED
    assert numbers_on(response) == [ticket_a.number]


def test_bulk_merge_across_clients_is_refused_clearly(tom, ticket_a, ticket_b):
    response = tom.post(
        "/queue/bulk/",
        {"tickets": [ticket_a.number, ticket_b.number], "action": "merge", "merge_into": ticket_a.number},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert f"#{ticket_b.number} not changed: Only tickets of the same client can be merged." in page
    ticket_b.refresh_from_db()
    assert ticket_b.merged_into is None
    # the refused ticket stays selected, so the technician can act on it again
    assert re.search(rf'value="{ticket_b.number}" form="queue-bulk"[^>]*checked', page)


def test_bulk_action_without_a_selection_says_what_to_do(tom, ticket_a):
    response = tom.post("/queue/bulk/", {"action": "status", "status": "closed"}, HTTP_HX_REQUEST="true")

    assert "Select one or more tickets first" in response.content.decode()
    ticket_a.refresh_from_db()
    assert ticket_a.status == TicketStatus.NEW


def test_bulk_action_skips_tickets_that_do_not_exist(tom, ticket_a):
    response = tom.post(
        "/queue/bulk/", {"tickets": [ticket_a.number, 999999], "action": "assign", "assign_to": "me"}, follow=True
    )
    page = response.content.decode()
    assert "No ticket #999999: skipped." in page and "Assigned 1 ticket to Tom Tech." in page


# --- Keyboard "a" and polling -----------------------------------------------------------------


def test_a_key_endpoint_assigns_the_ticket_to_me_and_returns_its_row(tom, technician, ticket_a):
    response = tom.post(
        f"/queue/tickets/{ticket_a.number}/assign-to-me/", {"tickets": [ticket_a.number]}, HTTP_HX_REQUEST="true"
    )

    row = response.content.decode()
    ticket_a.refresh_from_db()
    assert ticket_a.assignee == technician and ticket_a.status == TicketStatus.OPEN
    assert row.strip().startswith(f'<tr id="ticket-{ticket_a.number}"')
    assert "Tom Tech" in row and "status-open" in row and "data-assign-me" not in row
    assert re.search(r'value="\d+" form="queue-bulk"[^>]*checked', row)  # still selected as it was
    assert "is assigned to you" in response["HX-Trigger"]


def test_a_key_endpoint_answers_404_for_an_unknown_ticket(tom):
    assert tom.post("/queue/tickets/424242/assign-to-me/", HTTP_HX_REQUEST="true").status_code == 404


def test_poll_counts_tickets_opened_since_the_list_was_shown(tom, client_a, client_b):
    shown_at = tom.get("/").context["since"]
    poll = f"/queue/new-tickets/?{urlencode({'since': shown_at})}"
    assert "new ticket" not in tom.get(poll).content.decode()

    # when three tickets arrive, one of them for another client
    for subject in ("Scanner offline", "VPN down"):
        open_ticket(client_a, subject)
    open_ticket(client_b, "Other client")

    # then the poll offers them, counting only those the filters would show
    assert "3 new tickets — show them" in tom.get(poll).content.decode()
    filtered = tom.get(f"/queue/new-tickets/?{urlencode({'since': shown_at, 'client': client_a.pk})}").content.decode()
    assert "2 new tickets — show them" in filtered
    assert f'hx-get="/?client={client_a.pk}"' in filtered


def test_poll_takes_few_queries(tom, client_a, django_assert_max_num_queries):
    open_ticket(client_a, "One")
    with django_assert_max_num_queries(3):  # session, user, one capped count
        tom.get("/queue/new-tickets/?since=2000-01-01T00:00:00%2B00:00&status=new&client=7&assignee=me")


# --- Speed ------------------------------------------------------------------------------------


def make_varied_tickets(count, clients, technicians, categories):
    for i in range(count):
        client_ = clients[i % len(clients)]
        requester = client_.contacts.first()
        services.open_ticket(
            None,
            client=client_,
            requester=requester,
            subject=f"Varied ticket {i}",
            assignee=technicians[i % len(technicians)],
            category=categories[i % len(categories)],
            priority=1 + i % 4,
        )


@pytest.mark.parametrize("rows", [5, 50])
def test_queue_page_takes_a_bounded_number_of_queries(
    tom, technician, other_technician, client_a_user, client_b_user, category, printers, rows, django_assert_max_num_queries
):
    clients = [client_a_user.contact.client, client_b_user.contact.client]
    make_varied_tickets(rows, clients, [technician, other_technician, None], [category, printers, None])
    tom.post("/queue/views/", {"name": "Mine by priority", "query": "assignee=me&sort=priority"})
    cache.clear()

    # session, user, the top bar's running timer, 4 pick lists, saved views, one aggregate for the counts, one page of rows
    with django_assert_max_num_queries(10):
        response = tom.get("/")
    assert len(numbers_on(response)) == rows
