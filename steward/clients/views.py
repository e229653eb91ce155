"""The clients area: list, client and contact pages, create/edit forms and CSV import (staff only)."""


from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from steward.clients import imports, queries, services
from steward.clients.forms import (
    ClientForm,
    ContactForm,
    ContractForm,
    ImportForm,
    SiteForm,
)
from steward.clients.models import Client, Contact, Contract, Site
from steward.core.decorators import staff_required
from steward.core.exceptions import DomainError
from steward.core.htmx import render_page
from steward.desk import queries as desk_queries
from steward.desk.choices import OPEN_STATUSES

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "clients_import"


def _get(model, user, related=(), **lookup):
    obj = model.objects.visible_to(user).select_related(*related).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def _save(request, form, write):
    """Run ``write`` (a service call) for a valid form; on a refusal, show it at the field it names."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.changes())
    except DomainError as exc:
        form.add_service_error(exc)
        return None


def _form_page(request, form, *, title, cancel_url, client=None):
    return render(
        request, "clients/form.html", {"form": form, "title": title, "cancel_url": cancel_url, "client": client, "nav": "clients"}
    )


# --- Clients --------------------------------------------------------------------


@staff_required
def client_list(request):
    q = request.GET.get("q", "").strip()[:100]
    active = request.GET.get("active", "yes")
    is_active = {"yes": True, "no": False}.get(active)
    rows = queries.client_rows(request.user, q=q or None, is_active=is_active)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for client in page.object_list:
        client.used_hours = client.minutes_this_month / 60
    context = {"page": page, "q": q, "active": active, "nav": "clients"}
    return render_page(request, "clients/client_list.html", "clients/partials/_client_rows.html", context)


@staff_required
def client_detail(request, client_id):
    client = _get(Client, request.user, pk=client_id)
    usage = queries.with_usage(Client.objects.filter(pk=client.pk)).values(
        "open_tickets", "minutes_this_month", "included_hours"
    )[0]
    open_tickets = desk_queries.ticket_list(request.user, client=client.pk, status=OPEN_STATUSES).order_by("-updated_at", "-id")
    context = {
        "client": client,
        "usage": usage,
        "used_hours": usage["minutes_this_month"] / 60,
        "used_percent": _percent(usage["minutes_this_month"] / 60, usage["included_hours"]),
        "sites": queries.sites_for(request.user, client=client.pk),
        "contacts": queries.contacts_for(request.user, client=client.pk),
        "contracts": queries.contracts_for(request.user, client=client.pk),
        "hours": queries.business_hours_for(request.user, client),
        "open_tickets": open_tickets[:25],
        "nav": "clients",
    }
    return render(request, "clients/client_detail.html", context)


def _percent(used, included):
    if not included:
        return None
    return min(100, round(float(used) / float(included) * 100))


@staff_required
def client_create(request):
    form = ClientForm(request.POST or None)
    client = _save(request, form, lambda data: services.create_client(request.user, **data))
    if client:
        messages.success(request, f"{client.name} added.")
        return redirect("clients:client_detail", client_id=client.pk)
    return _form_page(request, form, title="New client", cancel_url="/clients/")


@staff_required
def client_edit(request, client_id):
    client = _get(Client, request.user, pk=client_id)
    form = ClientForm(request.POST or None, instance=client)
    if _save(request, form, lambda data: services.update_client(client, request.user, data)):
        messages.success(request, f"{client.name} saved.")
        return redirect("clients:client_detail", client_id=client.pk)
    return _form_page(request, form, title=f"Edit {client.name}", cancel_url=f"/clients/{client.pk}/", client=client)


# --- Sites ----------------------------------------------------------------------


@staff_required
def site_create(request, client_id):
    client = _get(Client, request.user, pk=client_id)
    calendar = queries.business_hours_for(request.user, client)
    form = SiteForm(request.POST or None, initial={"timezone": calendar.timezone if calendar else "UTC"})
    if _save(request, form, lambda data: services.create_site(request.user, client=client, **data)):
        messages.success(request, "Site added.")
        return redirect("clients:client_detail", client_id=client.pk)
    return _form_page(request, form, title=f"New site for {client.name}", cancel_url=f"/clients/{client.pk}/", client=client)


@staff_required
def site_edit(request, site_id):
    site = _get(Site, request.user, related=("client",), pk=site_id)
    form = SiteForm(request.POST or None, instance=site)
    if _save(request, form, lambda data: services.update_site(site, request.user, data)):
        messages.success(request, f"{site.name} saved.")
        return redirect("clients:client_detail", client_id=site.client_id)
    return _form_page(request, form, title=f"Edit {site.name}", cancel_url=f"/clients/{site.client_id}/", client=site.client)


# --- Contacts -------------------------------------------------------------------


@staff_required
def contact_detail(request, contact_id):
    contact = _get(Contact, request.user, related=("client", "site", "user"), pk=contact_id)
    tickets = desk_queries.ticket_list(request.user).filter(requester=contact).order_by("-updated_at", "-id")
    return render(request, "clients/contact_detail.html", {"contact": contact, "tickets": tickets[:50], "nav": "clients"})


@staff_required
def contact_create(request, client_id):
    client = _get(Client, request.user, pk=client_id)
    form = ContactForm(request.POST or None, client=client)
    contact = _save(request, form, lambda data: services.create_contact(request.user, client=client, **data))
    if contact:
        messages.success(request, f"{contact.full_name} added.")
        return redirect("clients:contact_detail", contact_id=contact.pk)
    return _form_page(request, form, title=f"New contact at {client.name}", cancel_url=f"/clients/{client.pk}/", client=client)


@staff_required
def contact_edit(request, contact_id):
    contact = _get(Contact, request.user, related=("client", "site"), pk=contact_id)
    form = ContactForm(request.POST or None, instance=contact, client=contact.client)
    if _save(request, form, lambda data: services.update_contact(contact, request.user, data)):
        messages.success(request, f"{contact.full_name} saved.")
        return redirect("clients:contact_detail", contact_id=contact.pk)
    return _form_page(
        request, form, title=f"Edit {contact.full_name}", cancel_url=f"/contacts/{contact.pk}/", client=contact.client
    )


# --- Contracts ------------------------------------------------------------------


@staff_required
def contract_create(request, client_id):
    client = _get(Client, request.user, pk=client_id)
    form = ContractForm(request.POST or None)
    if _save(request, form, lambda data: services.create_contract(request.user, client=client, **data)):
        messages.success(request, "Contract added.")
        return redirect("clients:client_detail", client_id=client.pk)
    return _form_page(request, form, title=f"New contract with {client.name}", cancel_url=f"/clients/{client.pk}/", client=client)


@staff_required
def contract_edit(request, contract_id):
    contract = _get(Contract, request.user, related=("client",), pk=contract_id)
    form = ContractForm(request.POST or None, instance=contract)
    if _save(request, form, lambda data: services.update_contract(contract, request.user, data)):
        messages.success(request, f"{contract.name} saved.")
        return redirect("clients:client_detail", client_id=contract.client_id)
    return _form_page(
        request, form, title=f"Edit {contract.name}", cancel_url=f"/clients/{contract.client_id}/", client=contract.client
    )


# --- CSV import -----------------------------------------------------------------


@staff_required
def client_import(request):
    """Step 1: upload → preview (nothing saved). The text waits in the session for step 2."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            text = imports.decode(form.cleaned_data["file"].read(imports.MAX_BYTES + 1))
            result = imports.run_import(request.user, kind, text, commit=False)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            request.session[IMPORT_SESSION_KEY] = {"kind": kind, "text": text, "name": form.cleaned_data["file"].name}
    return render(request, "clients/import.html", {"form": form, "result": result, "nav": "clients"})


@require_POST
@staff_required
def client_import_confirm(request):
    """Step 2: import the valid rows of the previewed file, in one transaction."""
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if pending is None:
        messages.error(request, "There is no file waiting to be imported; upload it again.")
        return redirect("clients:client_import")
    try:
        result = imports.run_import(request.user, pending["kind"], pending["text"], commit=True)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("clients:client_import")
    counts = result.counts
    messages.success(
        request,
        f"Imported {pending['name']}: {counts['create']} added, {counts['update']} updated, "
        f"{counts['unchanged']} unchanged, {counts['error']} rows with errors left out.",
    )
    return redirect("clients:client_list")
