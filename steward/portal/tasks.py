"""Portal emails, sent by the worker after the request's transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from huey.contrib.djhuey import db_task

from steward.accounts.models import User
from steward.portal import access
from steward.portal.tokens import SIGN_IN_LINK_MINUTES


def _send(to, template, context):
    subject = render_to_string(f"portal/email/{template}_subject.txt", context).strip().replace("\n", " ")
    body = render_to_string(f"portal/email/{template}.txt", context)
    send_mail(subject, body, None, [to])


@db_task(retries=3, retry_delay=60)
def send_sign_in_link_task(user_id: int, email: str):
    user = User.objects.select_related("contact__client").filter(pk=user_id).first()
    # Access may have been switched off, or the address changed, since the link was asked for.
    to = access.address_of(user, email) if user else None
    if to is None or access.portal_client(user) is None:
        return
    _send(to, "sign_in_link", {"user": user, "link": access.sign_in_link(user), "minutes": SIGN_IN_LINK_MINUTES})


@db_task(retries=3, retry_delay=60)
def send_invitation_task(user_id: int, inviter_name: str):
    user = User.objects.select_related("contact__client").filter(pk=user_id).first()
    client = access.portal_client(user) if user else None
    if client is None:
        return
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    _send(user.email, "invitation", {"user": user, "client": client, "inviter": inviter_name, "link": access.invitation_link(user), "days": days})
