"""REST endpoints for mailboxes (staff): list, add, show, change, check now. Secrets are write-only."""

from ninja import Query, Router, Status

from steward.clients.models import Client
from steward.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    PageOut,
    PageQuery,
    get_visible_or_404,
    resolve_ref,
)
from steward.core.exceptions import require_staff
from steward.core.pagination import offset_page
from steward.desk.models import Queue
from steward.mail import services, tasks
from steward.mail.models import Mailbox
from steward.mail.schemas import MailboxIn, MailboxOut, MailboxPatch

router = Router(tags=["mail"])

# Fields that may be null in the payload on purpose (no default queue or client).
NULLABLE = {"default_queue", "default_client"}


def _changes(request, payload: MailboxPatch) -> dict:
    data = payload.dict(exclude_unset=True)
    changes = {key: value for key, value in data.items() if value is not None or key in NULLABLE}
    if "default_queue" in changes:
        changes["default_queue"] = resolve_ref(Queue.objects, request.user, changes["default_queue"], field="default_queue", label="queue")
    if "default_client" in changes:
        changes["default_client"] = resolve_ref(Client.objects, request.user, changes["default_client"], field="default_client", label="client")
    # Optional settings sent as null mean "no change" (secrets: keep the stored one).
    return {key: (value.value if hasattr(value, "value") else value) for key, value in changes.items()}


@router.get("/mailboxes", response={200: PageOut[MailboxOut], **READ_ERRORS}, summary="List mailboxes (staff)")
def list_mailboxes(request, page: Query[PageQuery]):
    mailboxes = Mailbox.objects.visible_to(request.user).order_by("name", "pk")
    return offset_page(mailboxes, cursor=page.cursor, limit=page.limit)


@router.post("/mailboxes", response={201: MailboxOut, **WRITE_ERRORS}, summary="Add a mailbox (admin)")
def create_mailbox(request, payload: MailboxIn):
    require_staff(request.user)
    return Status(201, services.save_mailbox(request.user, None, _changes(request, payload)))


@router.get("/mailboxes/{mailbox_id}", response={200: MailboxOut, **READ_ERRORS}, summary="Show a mailbox (staff)")
def show_mailbox(request, mailbox_id: int):
    return get_visible_or_404(Mailbox.objects, request.user, pk=mailbox_id)


@router.patch("/mailboxes/{mailbox_id}", response={200: MailboxOut, **WRITE_ERRORS}, summary="Change a mailbox (admin)")
def update_mailbox(request, mailbox_id: int, payload: MailboxPatch):
    mailbox = get_visible_or_404(Mailbox.objects, request.user, pk=mailbox_id)
    return services.save_mailbox(request.user, mailbox, _changes(request, payload))


@router.post(
    "/mailboxes/{mailbox_id}/check",
    response={202: MailboxOut, **WRITE_ERRORS},
    summary="Fetch a mailbox's new mail now (staff)",
    description="Queues a fetch of an IMAP mailbox in the background worker; answers at once.",
)
def check_mailbox(request, mailbox_id: int):
    mailbox = get_visible_or_404(Mailbox.objects, request.user, pk=mailbox_id)
    tasks.check_mailbox_now(mailbox)
    return Status(202, mailbox)
