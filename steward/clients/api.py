"""REST endpoints for client companies, sites, contacts, contracts and business hours."""

from django.http import Http404
from ninja import Query, Router, Status

from steward.clients import queries, services
from steward.clients.models import Client, Contact, Contract, Site
from steward.clients.schemas import (
    BusinessHoursIn,
    BusinessHoursOut,
    ClientFilters,
    ClientIn,
    ClientOut,
    ClientPatch,
    ContactFilters,
    ContactIn,
    ContactOut,
    ContactPatch,
    ContractFilters,
    ContractIn,
    ContractOut,
    ContractPatch,
    SiteFilters,
    SiteIn,
    SiteOut,
    SitePatch,
)
from steward.core.api import READ_ERRORS, WRITE_ERRORS, PageOut, PageQuery, get_visible_or_404, resolve_ref
from steward.core.pagination import offset_page

router = Router(tags=["clients"])


def _client_ref(request, client_id):
    return resolve_ref(Client.objects, request.user, client_id, field="client", label="client")


# --- Clients --------------------------------------------------------------------


@router.get("/clients", response={200: PageOut[ClientOut], **READ_ERRORS}, summary="List client companies")
def list_clients(request, filters: Query[ClientFilters], page: Query[PageQuery]):
    clients = queries.clients_for(request.user, **filters.dict())
    return offset_page(clients, cursor=page.cursor, limit=page.limit)


@router.post("/clients", response={201: ClientOut, **WRITE_ERRORS}, summary="Add a client company (staff)")
def create_client(request, payload: ClientIn):
    return Status(201, services.create_client(request.user, **payload.dict()))


@router.get("/clients/{client_id}", response={200: ClientOut, **READ_ERRORS}, summary="Show a client company")
def show_client(request, client_id: int):
    return get_visible_or_404(Client.objects, request.user, pk=client_id)


@router.patch("/clients/{client_id}", response={200: ClientOut, **WRITE_ERRORS}, summary="Change a client (staff)")
def update_client(request, client_id: int, payload: ClientPatch):
    client = get_visible_or_404(Client.objects, request.user, pk=client_id)
    return services.update_client(client, request.user, payload.dict(exclude_unset=True))


@router.get(
    "/clients/{client_id}/business-hours",
    response={200: BusinessHoursOut, **READ_ERRORS},
    summary="Show a client's business hours",
    description="404 until business hours have been set for the client.",
)
def show_business_hours(request, client_id: int):
    client = get_visible_or_404(Client.objects, request.user, pk=client_id)
    calendar = queries.business_hours_for(request.user, client)
    if calendar is None:
        raise Http404
    return calendar


@router.put(
    "/clients/{client_id}/business-hours",
    response={200: BusinessHoursOut, **WRITE_ERRORS},
    summary="Set a client's business hours (staff)",
    description="Replaces the time zone, weekly slots and holidays as a whole.",
)
def set_business_hours(request, client_id: int, payload: BusinessHoursIn):
    client = get_visible_or_404(Client.objects, request.user, pk=client_id)
    services.set_business_hours(client, request.user, **payload.dict())
    return queries.business_hours_for(request.user, client)


# --- Sites ----------------------------------------------------------------------


@router.get("/sites", response={200: PageOut[SiteOut], **READ_ERRORS}, summary="List sites")
def list_sites(request, filters: Query[SiteFilters], page: Query[PageQuery]):
    return offset_page(queries.sites_for(request.user, **filters.dict()), cursor=page.cursor, limit=page.limit)


@router.post("/sites", response={201: SiteOut, **WRITE_ERRORS}, summary="Add a site to a client (staff)")
def create_site(request, payload: SiteIn):
    data = payload.dict()
    client = _client_ref(request, data.pop("client"))
    return Status(201, services.create_site(request.user, client=client, **data))


@router.get("/sites/{site_id}", response={200: SiteOut, **READ_ERRORS}, summary="Show a site")
def show_site(request, site_id: int):
    return get_visible_or_404(Site.objects.select_related("client"), request.user, pk=site_id)


@router.patch("/sites/{site_id}", response={200: SiteOut, **WRITE_ERRORS}, summary="Change a site (staff)")
def update_site(request, site_id: int, payload: SitePatch):
    site = get_visible_or_404(Site.objects.select_related("client"), request.user, pk=site_id)
    return services.update_site(site, request.user, payload.dict(exclude_unset=True))


# --- Contacts -------------------------------------------------------------------


@router.get("/contacts", response={200: PageOut[ContactOut], **READ_ERRORS}, summary="List or search contacts")
def list_contacts(request, filters: Query[ContactFilters], page: Query[PageQuery]):
    return offset_page(queries.contacts_for(request.user, **filters.dict()), cursor=page.cursor, limit=page.limit)


@router.post("/contacts", response={201: ContactOut, **WRITE_ERRORS}, summary="Add a contact (staff)")
def create_contact(request, payload: ContactIn):
    data = payload.dict()
    client = _client_ref(request, data.pop("client"))
    data["site"] = resolve_ref(Site.objects, request.user, data["site"], field="site", label="site")
    return Status(201, services.create_contact(request.user, client=client, **data))


@router.get("/contacts/{contact_id}", response={200: ContactOut, **READ_ERRORS}, summary="Show a contact")
def show_contact(request, contact_id: int):
    return get_visible_or_404(Contact.objects.select_related("client", "site"), request.user, pk=contact_id)


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **WRITE_ERRORS}, summary="Change a contact (staff)")
def update_contact(request, contact_id: int, payload: ContactPatch):
    contact = get_visible_or_404(Contact.objects.select_related("client", "site"), request.user, pk=contact_id)
    changes = payload.dict(exclude_unset=True)
    if "site" in changes:
        changes["site"] = resolve_ref(Site.objects, request.user, changes["site"], field="site", label="site")
    return services.update_contact(contact, request.user, changes)


# --- Contracts ------------------------------------------------------------------


@router.get("/contracts", response={200: PageOut[ContractOut], **READ_ERRORS}, summary="List contracts")
def list_contracts(request, filters: Query[ContractFilters], page: Query[PageQuery]):
    return offset_page(queries.contracts_for(request.user, **filters.dict()), cursor=page.cursor, limit=page.limit)


@router.post("/contracts", response={201: ContractOut, **WRITE_ERRORS}, summary="Record a contract (staff)")
def create_contract(request, payload: ContractIn):
    data = payload.dict()
    client = _client_ref(request, data.pop("client"))
    return Status(201, services.create_contract(request.user, client=client, **data))


@router.get("/contracts/{contract_id}", response={200: ContractOut, **READ_ERRORS}, summary="Show a contract")
def show_contract(request, contract_id: int):
    return get_visible_or_404(Contract.objects.select_related("client"), request.user, pk=contract_id)


@router.patch("/contracts/{contract_id}", response={200: ContractOut, **WRITE_ERRORS}, summary="Change a contract (staff)")
def update_contract(request, contract_id: int, payload: ContractPatch):
    contract = get_visible_or_404(Contract.objects.select_related("client"), request.user, pk=contract_id)
    return services.update_contract(contract, request.user, payload.dict(exclude_unset=True))
