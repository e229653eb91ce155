"""The portal's own write path: sign-in links and invitations, emailed after commit.

Tickets are opened and answered through ``desk.services``; portal accounts are
created by ``clients.services.invite_contact_to_portal``.
"""

from django.db import transaction

from steward.clients import services as client_services
from steward.portal.access import MAX_ACCOUNTS_PER_ADDRESS, portal_users_with_email
from steward.portal.tasks import send_invitation_task, send_sign_in_link_task


def send_sign_in_links(email: str) -> None:
    """Email a one-time sign-in link to each portal account with this address; silent when there is none."""
    # The worker builds and sends the link, so the answer takes as long whether or not the address
    # exists, and no token waits in the task queue's storage.
    for user_id in portal_users_with_email(email).values_list("pk", flat=True).distinct()[:MAX_ACCOUNTS_PER_ADDRESS]:
        transaction.on_commit(lambda user_id=user_id: send_sign_in_link_task(user_id, email))


@transaction.atomic(durable=True)
def invite_contact(actor, contact, *, role: str):
    """Create or switch on the contact's portal account and email them an invitation."""
    user, created = client_services.invite_contact_to_portal(actor, contact, role=role)
    transaction.on_commit(lambda: send_invitation_task(user.pk, actor.display_name))
    return user, created
