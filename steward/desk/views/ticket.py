"""The ticket page and what hangs off it: inline header edits, composer, time, links; new ticket; canned replies; downloads.

Every change goes through a desk (or work) service. An htmx request gets back the
fragment it targeted plus out-of-band copies of the header and timeline, so the page's
version (for stale-edit detection) and history stay current without a reload.
"""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, retarget

from steward.core.decorators import staff_required
from steward.core.exceptions import DomainError
from steward.core.htmx import is_partial
from steward.desk import forms_ticket as forms
from steward.desk import queries, services
from steward.desk.api import SAFE_IMAGE_TYPES
from steward.desk.choices import EntryKind, Source
from steward.desk.events import describe_event
from steward.desk.exceptions import StaleTicket
from steward.desk.models import Attachment, Ticket
from steward.work import services as work_services


def _ticket(request, number) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.user).select_related("client", "requester"), number=number)


def _ticket_detail(request, number) -> Ticket:
    ticket = queries.ticket_detail(request.user, number)
    if ticket is None:
        raise Http404
    # "High – whole company or site" → "High": the header shows the short word, the full label on hover.
    ticket.impact_short = ticket.get_impact_display().split(" –")[0]
    ticket.urgency_short = ticket.get_urgency_display().split(" –")[0]
    # The request's own files (not sent with a timeline entry); inline email images among them show as pictures.
    ticket.own_files = [attachment for attachment in ticket.attachments.all() if not attachment.entry_id]
    return ticket


def _ticket_url(number) -> str:
    return reverse("desk:ticket_detail", args=[number])


# --- Context of the page and its fragments ---------------------------------------------------


def _timeline(request, ticket) -> list:
    # inbound_messages: the mail app's reverse link to the raw message an email entry came from ("View original").
    entries = list(queries.ticket_timeline(request.user, ticket).prefetch_related("inbound_messages"))
    for entry in entries:
        if entry.kind == EntryKind.EMAIL:
            originals = entry.inbound_messages.all()
            entry.original_message_id = min((m.pk for m in originals), default=None)
        if entry.kind == EntryKind.EVENT:
            entry.description = describe_event(entry)
        elif entry.call_duration_seconds:
            minutes, seconds = divmod(entry.call_duration_seconds, 60)
            entry.call_duration = f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
    return entries


def _composer_context(request, ticket, form=None) -> dict:
    return {
        "ticket": ticket,
        "composer": form or forms.ComposerForm(auto_id="composer_%s"),
        "canned_replies": queries.canned_replies_for(request.user),
        "max_upload_bytes": settings.ATTACHMENT_MAX_BYTES,
    }


def _time_context(ticket, form=None, saved=None) -> dict:
    return {
        "ticket": ticket,
        "time_form": form
        or forms.TimeEntryForm(auto_id="time_%s", initial={"work_type": work_services.default_work_type(ticket=ticket)}),
        "minutes_logged": queries.ticket_minutes_logged(ticket),
        "time_entries": queries.ticket_time_entries(ticket),
        "time_saved": saved,
    }


def _links_context(request, ticket, parent_form=None, merge_form=None) -> dict:
    return {
        "ticket": ticket,
        "children": queries.ticket_children(request.user, ticket),
        "parent_form": parent_form or forms.ParentForm(auto_id="link_%s"),
        "merge_form": merge_form or forms.MergeForm(auto_id="link_%s"),
    }


def _contract_context(request, ticket) -> dict:
    now = timezone.localtime()
    contract = queries.active_contract(request.user, ticket.client_id, now.date())
    if contract is None:
        return {"contract": None}
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    used_hours = queries.client_minutes_since(ticket.client, month_start) / 60
    included = float(contract.included_hours_per_month)
    return {
        "contract": contract,
        "contract_used_hours": round(used_hours, 1),
        "contract_over": bool(included) and used_hours > included,
    }


def _page(request, ticket, *, composer=None, time_form=None, parent_form=None, merge_form=None, status=200):
    context = {
        "nav": "desk",
        "entries": _timeline(request, ticket),
        **_composer_context(request, ticket, composer),
        **_time_context(ticket, time_form),
        **_links_context(request, ticket, parent_form, merge_form),
        **_contract_context(request, ticket),
        "requester_tickets": queries.requester_open_tickets(request.user, ticket),
        "client_tickets": queries.client_recent_tickets(request.user, ticket),
        "contacts": queries.key_contacts(request.user, ticket.client_id),
        "original_message_id": _opening_message_id(ticket),
        "ticket": ticket,
    }
    return render(request, "desk/ticket_detail.html", context, status=status)


def _opening_message_id(ticket) -> int | None:
    """The raw email that opened the ticket, if one did (mail's reverse link; desk does not import mail)."""
    if ticket.source != Source.EMAIL:
        return None
    return ticket.inbound_messages.filter(entry__isnull=True).order_by("id").values_list("pk", flat=True).first()


def _fragments(request, number, template, context, *, header=True, timeline=True) -> HttpResponse:
    """The targeted fragment, then the header and timeline out of band, re-read after the change."""
    ticket = _ticket_detail(request, number)
    parts = [render_to_string(template, {**context, "ticket": ticket}, request)]
    if header:
        parts.append(render_to_string("desk/partials/_ticket_header.html", {"ticket": ticket, "oob": True}, request))
    if timeline:
        entries = _timeline(request, ticket)
        parts.append(render_to_string("desk/partials/_timeline.html", {"ticket": ticket, "entries": entries, "oob": True}, request))
    return HttpResponse("".join(parts))


def _stale_message(request, ticket) -> str:
    last = queries.last_change(ticket)
    who = "Someone"
    if last is not None:
        who = "You (in another window)" if last.author_id == request.user.pk else last.author_name
    ago = timesince(ticket.updated_at).split(",")[0]
    when = "just now" if ago.startswith("0\xa0minutes") else f"{ago} ago"
    return f"{who} changed this ticket {when} — reload to see their changes. Nothing was saved."


# --- The page -----------------------------------------------------------------------------


@staff_required
@require_GET
def ticket_detail(request, number):
    return _page(request, _ticket_detail(request, number))


@staff_required
@require_GET
def ticket_header(request, number):
    return render(request, "desk/partials/_ticket_header.html", {"ticket": _ticket_detail(request, number)})


@staff_required
@require_http_methods(["GET", "POST"])
def ticket_field(request, number):
    ticket = _ticket_detail(request, number)
    field = request.POST.get("field") if request.method == "POST" else request.GET.get("field")
    if field not in forms.INLINE_FIELDS:
        raise Http404
    context = {"ticket": ticket, "field": field, "label": forms.INLINE_FIELDS[field]}
    if request.method == "GET":
        version = request.GET.get("version", "")
        initial = {"version": int(version) if version.isdigit() else ticket.version}
        form = forms.InlineEditForm(field, request.user, ticket, initial=initial, auto_id="edit_%s")
        return render(request, "desk/partials/_ticket_field_editor.html", {**context, "form": form})
    form = forms.InlineEditForm(field, request.user, ticket, request.POST, auto_id="edit_%s")
    if form.is_valid():
        try:
            services.update_ticket(ticket, request.user, form.changes(), expected_version=form.cleaned_data["version"])
        except StaleTicket:
            form.add_error(None, _stale_message(request, ticket))
            context["stale"] = True
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            if not is_partial(request):
                return redirect(_ticket_url(number))
            return _fragments(request, number, "desk/partials/_ticket_header.html", {}, header=False)
    response = render(request, "desk/partials/_ticket_field_editor.html", {**context, "form": form})
    return retarget(response, f"#field-{field}")


@staff_required
@require_POST
def ticket_message(request, number):
    ticket = _ticket(request, number)
    form = forms.ComposerForm(request.POST, request.FILES, auto_id="composer_%s")
    if form.is_valid():
        data = form.cleaned_data
        write = services.reply_to_ticket if data["kind"] == "reply" else services.add_internal_note
        try:
            write(ticket, request.user, body=data["body"], status=data["then_status"] or None, attachments=data["attachments"])
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            if not is_partial(request):
                return redirect(_ticket_url(number))
            fresh = forms.ComposerForm(initial={"kind": data["kind"]}, auto_id="composer_%s")
            return _fragments(request, number, "desk/partials/_composer.html", {**_composer_context(request, ticket, fresh), "sent": data["kind"]})
    if not is_partial(request):
        return _page(request, _ticket_detail(request, number), composer=form)
    return render(request, "desk/partials/_composer.html", _composer_context(request, ticket, form))


@staff_required
@require_POST
def ticket_time(request, number):
    ticket = _ticket(request, number)
    form = forms.TimeEntryForm(request.POST, auto_id="time_%s")
    saved = None
    if form.is_valid():
        try:
            saved = work_services.log_time(request.user, ticket=ticket, **form.cleaned_data)
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            if not is_partial(request):
                return redirect(_ticket_url(number))
            form = None
    if not is_partial(request):
        return _page(request, _ticket_detail(request, number), time_form=form)
    return render(request, "desk/partials/_ticket_time.html", _time_context(ticket, form, saved))


def _other_ticket(request, form, field, number):
    other = Ticket.objects.visible_to(request.user).filter(number=number).first()
    if other is None:
        form.add_error(field, f"There is no ticket #{number}.")
    return other


@staff_required
@require_POST
def ticket_parent(request, number):
    ticket = _ticket_detail(request, number)
    form = forms.ParentForm(request.POST, auto_id="link_%s")
    if form.is_valid():
        parent_number = form.cleaned_data["parent"]
        parent = _other_ticket(request, form, "parent", parent_number) if parent_number else None
        if not form.errors:
            try:
                services.set_parent(ticket, request.user, parent)
            except DomainError as exc:
                forms.add_domain_error(form, exc)
            else:
                if not is_partial(request):
                    return redirect(_ticket_url(number))
                return _fragments(request, number, "desk/partials/_ticket_links.html", _links_context(request, ticket))
    if not is_partial(request):
        return _page(request, ticket, parent_form=form)
    return render(request, "desk/partials/_ticket_links.html", _links_context(request, ticket, parent_form=form))


@staff_required
@require_POST
def ticket_merge(request, number):
    ticket = _ticket_detail(request, number)
    form = forms.MergeForm(request.POST, auto_id="link_%s")
    if form.is_valid():
        target = _other_ticket(request, form, "target", form.cleaned_data["target"])
        if not form.errors:
            try:
                services.merge_tickets(ticket, target, request.user)
            except DomainError as exc:
                forms.add_domain_error(form, exc)
            else:
                messages.success(request, f"#{ticket.number} was merged into this ticket, #{target.number}.")
                url = _ticket_url(target.number)
                return HttpResponseClientRedirect(url) if is_partial(request) else redirect(url)
    if not is_partial(request):
        return _page(request, ticket, merge_form=form)
    return render(request, "desk/partials/_ticket_links.html", _links_context(request, ticket, merge_form=form))


@staff_required
@require_GET
def canned_reply_fill(request, number, canned_reply_id):
    ticket = _ticket(request, number)
    canned = get_object_or_404(queries.canned_replies_for(request.user), pk=canned_reply_id)
    # Plain text in JSON: the page inserts it into the textarea's value, never as markup.
    text = services.fill_canned_reply(canned.body, ticket=ticket, technician=request.user)
    return JsonResponse({"title": canned.title, "text": text})


# --- New ticket ----------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def ticket_new(request):
    if request.method == "POST":
        form = forms.NewTicketForm(request.user, request.POST, request.FILES)
        if form.is_valid():
            try:
                ticket = services.open_ticket(request.user, **form.cleaned_data)
            except DomainError as exc:
                forms.add_domain_error(form, exc)
            else:
                messages.success(request, f"Ticket #{ticket.number} opened.")
                return redirect(_ticket_url(ticket.number))
    else:
        initial = {key: request.GET[key] for key in ("client", "requester") if request.GET.get(key, "").isdigit()}
        form = forms.NewTicketForm(request.user, initial=initial)
        if is_partial(request):
            # The client changed: only the requester and site pickers need its contacts and sites.
            return render(request, "desk/partials/_ticket_new_client_fields.html", {"form": form})
    return render(request, "desk/ticket_new.html", {"form": form, "nav": "desk", "max_upload_bytes": settings.ATTACHMENT_MAX_BYTES})


# --- Canned replies ------------------------------------------------------------------------


@staff_required
@require_GET
def canned_reply_list(request):
    replies = queries.canned_replies_for(request.user)
    return render(request, "desk/canned_reply_list.html", {"replies": replies, "nav": "desk"})


def _save_canned_reply(request, form):
    reply = form.save(commit=False)
    reply.owner = None if form.cleaned_data["shared"] else request.user
    reply.save()
    messages.success(request, f"Canned reply “{reply.title}” saved.")
    return redirect("desk:canned_reply_list")


@staff_required
@require_http_methods(["GET", "POST"])
def canned_reply_new(request):
    form = forms.CannedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save_canned_reply(request, form)
    return render(request, "desk/canned_reply_form.html", {"form": form, "nav": "desk"})


@staff_required
@require_http_methods(["GET", "POST"])
def canned_reply_edit(request, canned_reply_id):
    reply = get_object_or_404(queries.canned_replies_for(request.user), pk=canned_reply_id)
    form = forms.CannedReplyForm(request.POST or None, instance=reply)
    if request.method == "POST" and form.is_valid():
        return _save_canned_reply(request, form)
    return render(request, "desk/canned_reply_form.html", {"form": form, "reply": reply, "nav": "desk"})


@staff_required
@require_POST
def canned_reply_delete(request, canned_reply_id):
    reply = get_object_or_404(queries.canned_replies_for(request.user), pk=canned_reply_id)
    reply.delete()
    messages.success(request, f"Canned reply “{reply.title}” deleted.")
    return redirect("desk:canned_reply_list")


# --- Downloads -----------------------------------------------------------------------------


@login_required
@require_GET
def attachment_download(request, attachment_id):
    # visible_to also serves the portal: a client user gets public attachments of their own tickets only.
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = attachment.content_type if attachment.content_type in SAFE_IMAGE_TYPES else "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=attachment.filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it, the file runs with no origin, scripts or forms.
    response["Content-Security-Policy"] = "sandbox"
    return response


urls = [
    path("tickets/new/", ticket_new, name="ticket_new"),
    path("tickets/<int:number>/", ticket_detail, name="ticket_detail"),
    path("tickets/<int:number>/header/", ticket_header, name="ticket_header"),
    path("tickets/<int:number>/edit/", ticket_field, name="ticket_field"),
    path("tickets/<int:number>/messages/", ticket_message, name="ticket_message"),
    path("tickets/<int:number>/time/", ticket_time, name="ticket_time"),
    path("tickets/<int:number>/parent/", ticket_parent, name="ticket_parent"),
    path("tickets/<int:number>/merge/", ticket_merge, name="ticket_merge"),
    path("tickets/<int:number>/canned-replies/<int:canned_reply_id>/", canned_reply_fill, name="canned_reply_fill"),
    path("canned-replies/", canned_reply_list, name="canned_reply_list"),
    path("canned-replies/new/", canned_reply_new, name="canned_reply_new"),
    path("canned-replies/<int:canned_reply_id>/", canned_reply_edit, name="canned_reply_edit"),
    path("canned-replies/<int:canned_reply_id>/delete/", canned_reply_delete, name="canned_reply_delete"),
    path("attachments/<int:attachment_id>/", attachment_download, name="attachment_download"),
]
