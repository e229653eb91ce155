import json

from django.contrib import messages
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from steward.accounts.models import User
from steward.core.decorators import staff_required
from steward.core.htmx import is_partial, render_page
from steward.desk import queries, services
from steward.desk.choices import OPEN_STATUSES, TicketStatus
from steward.desk.exceptions import DeskError
from steward.desk.filters import (
    BUILTIN_VIEWS,
    DEFAULT_QUEUE_STATUSES,
    DEFAULT_SORT,
    SORTS,
    ticket_condition,
)
from steward.desk.forms import (
    BulkActionForm,
    QueueChoices,
    QueueFilterForm,
    SavedViewForm,
    assign_choices,
)
from steward.desk.models import SavedView, Ticket

PORTAL_URL = "/portal/"
PAGE_SIZE = 50
# Sortable columns: the first sort a click picks, and the other direction a second click picks.
SORTABLE_COLUMNS = {"number": ("-number", "number"), "priority": ("priority", "-priority"), "updated": ("-updated", "updated")}


DEFAULT_SIGNATURE = QueueFilterForm(QueryDict(), choices=None).filter_signature()


def _queue_url(query: str = "") -> str:
    return f"{reverse('desk:queue')}?{query}" if query else reverse("desk:queue")


def _saved_views(user, choices, form):
    """Built-in and saved views with their counts (one aggregate query) and which one is on screen."""
    own_or_shared = SavedView.objects.visible_to(user).filter(Q(owner=user) | Q(owner__isnull=True))
    entries = [{"key": key, "name": name, "query": query, "saved": None} for key, name, query in BUILTIN_VIEWS]
    entries += [{"key": f"s{view.pk}", "name": view.name, "query": view.query, "saved": view} for view in own_or_shared]
    current = form.filter_signature()
    conditions = {}
    for entry in entries:
        view_form = QueueFilterForm(QueryDict(entry["query"]), choices=choices)
        filters = view_form.filters()
        entry["url"] = _queue_url(entry["query"])
        entry["active"] = view_form.filter_signature() == current
        saved = entry["saved"]
        entry["deletable"] = saved is not None and (saved.owner_id == user.pk or (saved.owner_id is None and user.is_admin))
        # Counts run over open tickets only; a view of resolved or closed tickets shows none rather than a wrong one.
        if set(filters["status"]) <= OPEN_STATUSES:
            conditions[entry["key"]] = ticket_condition(user, **filters)
    signature = "&".join(f"{entry['key']}={entry['query']}" for entry in entries)
    counts = queries.count_open_tickets_per_view(user, conditions, signature=signature)
    for entry in entries:
        entry["count"] = counts.get(entry["key"])
    return entries


def queue_context(request, params, *, choices=None, save_form=None, keep_selected=(), bulk_form=None):
    user = request.user
    choices = choices or QueueChoices.for_user(user)
    form = QueueFilterForm(params, choices=choices)
    problems = form.problems
    tickets = queries.queue_tickets(user, **form.filters())
    ordering = SORTS[form.sort_key][1]
    try:
        page = queries.queue_page(
            tickets, ordering=ordering, after=params.get("after"), before=params.get("before"), limit=PAGE_SIZE
        )
    except DeskError as exc:
        problems.append(exc.message)
        page = queries.queue_page(tickets, ordering=ordering, limit=PAGE_SIZE)
    query = form.query_string()
    sort_links = {}
    for column, (first, second) in SORTABLE_COLUMNS.items():
        sort_links[column] = {
            "url": _queue_url(form.query_string(sort=second if form.sort_key == first else first)),
            "aria": ("descending" if form.sort_key.startswith("-") else "ascending") if form.sort_key in (first, second) else None,
        }
    return {
        "nav": "desk",
        "form": form,
        "problems": problems,
        "page": page,
        "query": query,
        "list_url": _queue_url(query),
        "older_url": _queue_url(form.query_string(after=page.older)) if page.older else None,
        "newer_url": _queue_url(form.query_string(before=page.newer)) if page.newer else None,
        "paged": bool(params.get("after") or params.get("before")),
        "filtered": form.filter_signature() != DEFAULT_SIGNATURE,
        "sort_links": sort_links,
        "since": timezone.now().isoformat(),
        "views": _saved_views(user, choices, form),
        "save_form": save_form or SavedViewForm(user=user, choices=choices, initial={"query": query}),
        "bulk_form": bulk_form,
        "assign_choices": assign_choices(choices),
        "status_choices": TicketStatus.choices,
        "keep_selected": set(keep_selected),
        "partial": is_partial(request),
        "default_statuses": ",".join(DEFAULT_QUEUE_STATUSES),
        "default_sort": DEFAULT_SORT,
        "select_filters": ("client", "assignee", "queue", "category", "source"),
        "all_statuses_url": _queue_url(form.query_string(status=list(TicketStatus.values))),
    }


@staff_required(client_side_url=PORTAL_URL)
@require_GET
def queue(request):
    return render_page(request, "desk/queue.html", "desk/partials/_queue_list.html", queue_context(request, request.GET))


@staff_required(client_side_url=PORTAL_URL)
@require_GET
def new_tickets(request):
    # Polled every 30 s: no pick lists, no page, one COUNT over a capped, index-ranged set.
    form = QueueFilterForm(request.GET, choices=None)
    since = parse_datetime(request.GET.get("since") or "") or timezone.now()
    count = queries.count_new_tickets(request.user, since, **form.filters())
    query = form.query_string()
    context = {"new_count": count, "since": since.isoformat(), "query": query, "list_url": _queue_url(query)}
    return render(request, "desk/partials/_queue_new.html", context)


@staff_required(client_side_url=PORTAL_URL)
@require_POST
def assign_to_me(request, number):
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), number=number)
    try:
        services.assign_ticket(ticket, request.user, request.user)
        level, notice = messages.SUCCESS, f"#{number} is assigned to you."
    except DeskError as exc:
        level, notice = messages.ERROR, f"#{number} not assigned: {exc.message}"
    queries.forget_view_counts(request.user)
    if not is_partial(request):
        messages.add_message(request, level, notice)
        return redirect(_queue_url(request.GET.urlencode()))
    # The row's checkbox came with the request (the row sits in the bulk form): keep it as the user left it.
    selected = {int(n) for n in request.POST.getlist("tickets") if n.isdigit() and len(n) <= 18}
    context = {"t": queries.queue_row(request.user, number), "keep_selected": selected}
    response = render(request, "desk/partials/_queue_row.html", context)
    # queue.js announces the outcome in the page's live region.
    response["HX-Trigger"] = json.dumps({"queue-notice": {"text": notice, "error": level == messages.ERROR}})
    return response


@staff_required(client_side_url=PORTAL_URL)
@require_POST
def bulk_update(request):
    choices = QueueChoices.for_user(request.user)
    form = BulkActionForm(request.POST, choices=choices)
    keep = []
    if form.is_valid():
        keep = _apply_bulk_action(request, form)
    else:
        keep = [n for n in request.POST.getlist("tickets") if n.isdigit()]
        for message in form.messages:
            messages.error(request, message)
    if not is_partial(request):
        return redirect(_queue_url(request.GET.urlencode()))
    context = queue_context(request, request.GET, choices=choices, keep_selected=map(int, keep), bulk_form=form)
    return render(request, "desk/partials/_queue_list.html", context)


def _apply_bulk_action(request, form) -> list[int]:
    """Run the chosen action through the desk's services; report each outcome; return the numbers to keep selected."""
    user, data = request.user, form.cleaned_data
    numbers = data["tickets"]
    tickets = list(Ticket.objects.visible_to(user).filter(number__in=numbers).order_by("number"))
    unknown = sorted(set(numbers) - {t.number for t in tickets})
    if unknown:
        messages.error(request, f"No ticket {', '.join(f'#{n}' for n in unknown)}: skipped.")
    if data["action"] == form.ASSIGN:
        choice = data["assign_to"]
        assignee = user if choice == "me" else None if choice == "none" else User.objects.staff().get(pk=int(choice))
        refused = services.update_tickets(user, tickets, {"assignee": assignee})
        done = len(tickets) - len(refused)
        target = f"to {assignee.display_name}" if assignee else "to nobody"
        summary = f"Assigned {done} ticket{'s' if done != 1 else ''} {target}."
    elif data["action"] == form.STATUS:
        refused = services.update_tickets(user, tickets, {"status": data["status"]})
        done = len(tickets) - len(refused)
        summary = f"Set {done} ticket{'s' if done != 1 else ''} to {TicketStatus(data['status']).label}."
    else:
        target = Ticket.objects.visible_to(user).filter(number=data["merge_into"]).first()
        if target is None:
            messages.error(request, f"There is no ticket #{data['merge_into']} to merge into.")
            return numbers
        sources = [t for t in tickets if t.pk != target.pk]
        refused = services.merge_tickets_into(user, sources, target)
        merged = [f"#{t.number}" for t in sources if t.number not in refused]
        summary = f"Merged {', '.join(merged)} into #{target.number}." if merged else ""
    if tickets and (summary and (len(tickets) > len(refused))):
        messages.success(request, summary)
    for number, reason in refused.items():
        messages.error(request, f"#{number} not changed: {reason}")
    queries.forget_view_counts(user)
    return list(refused)


@staff_required(client_side_url=PORTAL_URL)
@require_POST
def save_view(request):
    choices = QueueChoices.for_user(request.user)
    form = SavedViewForm(request.POST, user=request.user, choices=choices)
    if form.is_valid():
        view = form.save()
        messages.success(request, f"Saved the view '{view.name}'{' for the whole team' if view.owner_id is None else ''}.")
        return redirect(_queue_url(view.query))
    context = queue_context(request, QueryDict(request.POST.get("query") or ""), choices=choices, save_form=form)
    return render(request, "desk/queue.html", context, status=422)


@staff_required(client_side_url=PORTAL_URL)
@require_POST
def delete_view(request, view_id):
    mine = Q(owner=request.user) | Q(owner__isnull=True) if request.user.is_admin else Q(owner=request.user)
    view = get_object_or_404(SavedView.objects.visible_to(request.user).filter(mine), pk=view_id)
    view.delete()
    messages.success(request, f"Deleted the view '{view.name}'.")
    return redirect(_queue_url())


urls = [
    path("", queue, name="queue"),
    path("queue/new-tickets/", new_tickets, name="queue_new_tickets"),
    path("queue/bulk/", bulk_update, name="queue_bulk"),
    path("queue/tickets/<int:number>/assign-to-me/", assign_to_me, name="queue_assign_to_me"),
    path("queue/views/", save_view, name="saved_view_create"),
    path("queue/views/<int:view_id>/delete/", delete_view, name="saved_view_delete"),
]
