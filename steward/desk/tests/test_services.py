import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.desk import services
from steward.core import events
from steward.desk.choices import DeskEvent, EntryKind, Impact, Priority, TicketStatus, Urgency
from steward.desk.exceptions import AttachmentTooLarge, DeskError, InvalidMerge, StaleTicket, TicketClosed
from steward.desk.models import PriorityRule, Ticket


def test_open_ticket_numbers_tickets_and_applies_priority_matrix(technician, client_a):
    # when
    first = services.open_ticket(technician, client=client_a, subject="Server down", impact=Impact.HIGH, urgency=Urgency.HIGH)
    second = services.open_ticket(technician, client=client_a, subject="New mouse", impact=Impact.LOW, urgency=Urgency.LOW)
    # then
    assert second.number == first.number + 1
    assert first.priority == Priority.P1
    assert second.priority == Priority.P4
    assert first.status == TicketStatus.NEW
    assert first.entries.filter(kind=EntryKind.EVENT).count() == 1


def test_customer_reply_reopens_resolved_ticket(ticket_a, technician, client_a_user):
    services.change_status(ticket_a, technician, TicketStatus.RESOLVED)
    ticket = Ticket.objects.get(pk=ticket_a.pk)
    services.add_message(ticket, client_a_user, body="Still jamming, sorry!")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.resolved_at is None


def test_customer_cannot_reply_to_closed_ticket(ticket_a, technician, client_a_user):
    services.change_status(ticket_a, technician, TicketStatus.CLOSED)
    with pytest.raises(TicketClosed):
        services.add_message(Ticket.objects.get(pk=ticket_a.pk), client_a_user, body="Hello?")


def test_stale_edit_is_refused(ticket_a, technician, other_technician):
    started_from = ticket_a.version
    services.update_ticket(ticket_a, other_technician, {"subject": "Printer jams (reception)"})
    with pytest.raises(StaleTicket):
        services.update_ticket(ticket_a, technician, {"subject": "Mine"}, expected_version=started_from)
    assert Ticket.objects.get(pk=ticket_a.pk).subject == "Printer jams (reception)"


def test_every_change_is_on_the_timeline_with_who(ticket_a, technician, other_technician):
    services.assign_ticket(ticket_a, technician, other_technician)
    services.update_ticket(Ticket.objects.get(pk=ticket_a.pk), technician, {"impact": Impact.HIGH, "urgency": Urgency.HIGH})
    texts = [
        (e.author, e.event["field"], e.event["old"], e.event["new"])
        for e in ticket_a.entries.filter(kind=EntryKind.EVENT, event__action="changed")
    ]
    assert (technician, "assignee", None, "Tara Tech") in texts
    assert (technician, "status", "New", "Open") in texts
    assert (technician, "priority", "P4", "P1") in texts


def test_hand_set_priority_survives_impact_change(ticket_a, technician):
    ticket = services.update_ticket(ticket_a, technician, {"priority": Priority.P2})
    ticket = services.update_ticket(ticket, technician, {"impact": Impact.LOW, "urgency": Urgency.LOW})
    assert ticket.priority == Priority.P2 and ticket.priority_overridden


def test_merge_moves_timeline_and_closes_source(technician, client_a, client_a_user, client_a_admin):
    # given two tickets about the same outage
    target = services.open_ticket(technician, client=client_a, requester=client_a_user.contact, subject="Internet down")
    source = services.open_ticket(
        technician, client=client_a, requester=client_a_admin.contact, subject="No internet", description="Since 9am"
    )
    services.add_message(source, client_a_admin, body="Still nothing")
    # when
    services.merge_tickets(Ticket.objects.get(pk=source.pk), target, technician)
    # then
    source.refresh_from_db()
    assert source.status == TicketStatus.CLOSED and source.merged_into == target
    bodies = list(target.entries.values_list("body", flat=True))
    assert "Still nothing" in bodies
    assert any("Since 9am" in body for body in bodies)
    assert client_a_admin.contact in target.cc.all()


def test_merge_across_clients_is_refused(ticket_a, ticket_b, technician):
    from steward.desk.exceptions import InvalidMerge

    with pytest.raises(InvalidMerge, match="same client"):
        services.merge_tickets(ticket_a, ticket_b, technician)


def test_parent_cycle_is_refused(technician, client_a):
    from steward.desk.exceptions import InvalidMerge

    parent = services.open_ticket(technician, client=client_a, subject="Office move")
    child = services.open_ticket(technician, client=client_a, subject="Move printers")
    services.set_parent(child, technician, parent)
    with pytest.raises(InvalidMerge):
        services.set_parent(Ticket.objects.get(pk=parent.pk), technician, Ticket.objects.get(pk=child.pk))


def test_requester_of_another_client_is_refused(technician, client_a, client_b_user):
    from steward.desk.exceptions import DeskError

    with pytest.raises(DeskError) as error:
        services.open_ticket(technician, client=client_a, requester=client_b_user.contact, subject="x")
    assert error.value.field == "requester"
    assert not Ticket.objects.exists()


def test_attachments_empty_and_oversized_are_refused(ticket_a, technician, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from steward.desk.exceptions import AttachmentRejected

    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(AttachmentRejected, match="empty"):
        services.store_attachment(ticket_a, SimpleUploadedFile("a.txt", b""), actor=technician)
    with pytest.raises(AttachmentRejected, match="at most 1 MB"):
        services.store_attachment(ticket_a, SimpleUploadedFile("big.bin", b"x" * (1024 * 1024 + 1)), actor=technician)
    stored = services.store_attachment(ticket_a, SimpleUploadedFile("../../etc/log.txt", b"hello"), actor=technician)
    assert stored.filename == "log.txt"
    assert stored.file.read() == b"hello"
    assert "etc" not in stored.file.name


def test_technician_reply_records_first_response(ticket_a, technician):
    services.add_message(ticket_a, technician, body="Looking at it now")
    ticket_a.refresh_from_db()
    assert ticket_a.first_response_at is not None
    assert ticket_a.status == TicketStatus.OPEN


def test_call_is_a_timeline_entry(ticket_a, technician):
    entry = services.add_message(
        ticket_a,
        technician,
        kind=EntryKind.CALL,
        body="Walked through the driver install",
        call=services.CallDetails(direction="inbound", caller_number="+44 20 7946 0101", duration_seconds=420),
    )
    assert entry.is_public and entry.call_duration_seconds == 420


def test_update_ticket_refuses_a_client_user_as_assignee(ticket_a, technician, client_a_user):
    with pytest.raises(DeskError) as refused:
        services.update_ticket(ticket_a, technician, {"assignee": client_a_user})
    assert refused.value.field == "assignee"


def test_assigning_a_new_ticket_opens_it_whichever_service_is_used(ticket_a, technician, other_technician):
    ticket = services.update_ticket(ticket_a, technician, {"assignee": other_technician})
    assert ticket.status == TicketStatus.OPEN


def test_unchanged_tags_do_not_count_as_a_change(ticket_a, technician):
    tagged = services.update_ticket(ticket_a, technician, {"tags": ["printing"]})
    again = services.update_ticket(tagged, technician, {"tags": ["Printing"]})
    assert again.version == tagged.version


def test_merging_a_parent_into_its_child_is_refused(ticket_a, technician, client_a):
    # given a child of ticket_a: re-parenting ticket_a's children onto it would make a cycle
    child = services.open_ticket(technician, client=client_a, subject="Child")
    services.set_parent(child, technician, ticket_a)
    with pytest.raises(InvalidMerge):
        services.merge_tickets(Ticket.objects.get(pk=ticket_a.pk), child, technician)
    assert Ticket.objects.get(pk=ticket_a.pk).merged_into_id is None


def test_parent_must_be_a_ticket_of_the_same_client(ticket_a, ticket_b, technician):
    with pytest.raises(InvalidMerge) as refused:
        services.set_parent(ticket_a, technician, ticket_b)
    assert refused.value.field == "parent"


def test_reply_to_ticket_can_move_it_on(ticket_a, technician):
    services.reply_to_ticket(ticket_a, technician, body="Try this", status=TicketStatus.WAITING_ON_CUSTOMER)
    assert Ticket.objects.get(pk=ticket_a.pk).status == TicketStatus.WAITING_ON_CUSTOMER


def test_oversize_attachment_states_the_limit(ticket_a, technician, settings):
    settings.ATTACHMENT_MAX_BYTES = 3 * 1048576
    upload = SimpleUploadedFile("scan.pdf", b"x" * (3 * 1048576 + 200_000))
    with pytest.raises(AttachmentTooLarge) as refused:
        services.store_attachment(ticket_a, upload, actor=technician)
    assert refused.value.message == "'scan.pdf' is 3.2 MB; attachments may be at most 3 MB."
    assert refused.value.status_code == 413


def test_open_tickets_opens_many_in_one_call_as_open_ticket_opens_one(technician, client_a, client_a_user, client_a_admin, django_assert_max_num_queries):
    # given: three portal requests, one with a CC and one with a hand-set priority
    PriorityRule.objects.update_or_create(impact=Impact.LOW, urgency=Urgency.MEDIUM, defaults={"priority": Priority.P2})
    requests = [
        services.NewTicket(client=client_a, subject=f"Request {i}", requester=client_a_user.contact, source="portal")
        for i in range(3)
    ]
    requests[1].cc = [client_a_admin.contact]
    requests[2].priority = Priority.P1
    before = services.open_ticket(technician, client=client_a, subject="Before")
    opened = []

    def record(ticket, **_):
        opened.append(ticket.pk)

    # when: they are opened in one call
    events.subscribe(DeskEvent.TICKET_OPENED, record)
    try:
        with django_assert_max_num_queries(40):
            tickets = services.open_tickets(None, requests)
    finally:
        events.unsubscribe(DeskEvent.TICKET_OPENED, record)

    # then: consecutive numbers, each with its priority, site, opening event, announced once (mail acknowledges it)
    assert [t.number for t in tickets] == [before.number + 1, before.number + 2, before.number + 3]
    assert [t.priority for t in tickets] == [Priority.P2, Priority.P2, Priority.P1]
    assert tickets[2].priority_overridden and not tickets[0].priority_overridden
    for ticket in tickets:
        ticket = Ticket.objects.get(pk=ticket.pk)
        assert ticket.site == client_a_user.contact.site and ticket.status == TicketStatus.NEW
        assert [e.event["action"] for e in ticket.entries.filter(kind=EntryKind.EVENT)] == ["opened"]
    assert opened == [t.pk for t in tickets]
    assert list(tickets[1].cc.all()) == [client_a_admin.contact] and not tickets[0].cc.exists()


def test_open_tickets_refuses_the_whole_call_when_one_request_is_invalid(client_a, client_b_user):
    requests = [
        services.NewTicket(client=client_a, subject="Fine"),
        services.NewTicket(client=client_a, subject="Wrong requester", requester=client_b_user.contact),
    ]
    with pytest.raises(DeskError):
        services.open_tickets(None, requests)
    assert not Ticket.objects.exists()


def test_add_messages_adds_to_several_tickets_and_twice_to_one(ticket_a, technician, client_a, client_a_user):
    # given: a resolved ticket and a new one
    services.change_status(ticket_a, technician, TicketStatus.RESOLVED)
    resolved = Ticket.objects.get(pk=ticket_a.pk)
    fresh = services.open_ticket(technician, client=client_a, subject="Monitor", requester=client_a_user.contact)
    version = resolved.version

    # when: two customer emails to the resolved one and a technician reply to the new one arrive in one call
    entries = services.add_messages(None, [
        services.NewMessage(resolved, body="Still broken", kind=EntryKind.EMAIL, author_contact=client_a_user.contact),
        services.NewMessage(fresh, body="On my way", kind=EntryKind.EMAIL),
        services.NewMessage(resolved, body="Really", kind=EntryKind.EMAIL, author_contact=client_a_user.contact),
    ])

    # then: each entry is on its ticket; the resolved one reopened once, counted both messages
    assert [e.body for e in Ticket.objects.get(pk=ticket_a.pk).entries.filter(kind=EntryKind.EMAIL)] == ["Still broken", "Really"]
    reopened = Ticket.objects.get(pk=ticket_a.pk)
    assert reopened.status == TicketStatus.OPEN and reopened.resolved_at is None and reopened.version == version + 2
    answered = Ticket.objects.get(pk=fresh.pk)
    assert answered.status == TicketStatus.OPEN and answered.first_response_at == entries[1].created_at
    events = [e.event for e in reopened.entries.filter(kind=EntryKind.EVENT)]
    assert sum(1 for e in events if e.get("field") == "status" and e.get("new") == "Open") == 1


def test_add_to_cc_adds_the_missing_people_and_versions_only_the_tickets_whose_list_grew(technician, client_a, client_b):
    from steward.clients.models import Contact

    dana, eve = (Contact.objects.create(client=client_a, first_name=n, email=f"{n.lower()}@acme.test") for n in ("Dana", "Eve"))
    grows = services.open_ticket(technician, client=client_a, subject="Printer", cc=[dana])
    same = services.open_ticket(technician, client=client_a, subject="Scanner", cc=[dana])
    versions = {grows.pk: grows.version, same.pk: same.version}

    services.add_to_cc([(grows, [dana, eve]), (same, [dana])])

    assert set(grows.cc.values_list("first_name", flat=True)) == {"Dana", "Eve"}
    assert list(same.cc.values_list("first_name", flat=True)) == ["Dana"]
    stored = {t.pk: t.version for t in Ticket.objects.filter(pk__in=versions)}
    assert stored == {grows.pk: versions[grows.pk] + 1, same.pk: versions[same.pk]}
    assert grows.version == stored[grows.pk]  # the caller's object too: a later write builds on it
    stranger = Contact.objects.create(client=client_b, first_name="Finn", email="finn@birch.test")
    with pytest.raises(DeskError, match="contact of another client"):
        services.add_to_cc([(grows, [stranger])])
    assert grows.cc.count() == 2
