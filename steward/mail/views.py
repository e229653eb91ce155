"""Staff pages of the mail app: mailboxes, the inbound raw store, the outbox and email templates."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core.decorators import staff_required
from steward.core.exceptions import DomainError
from steward.desk.forms_ticket import add_domain_error
from steward.mail import forms, outbound, processing, services, tasks
from steward.mail.choices import OutboundKind, OutboundStatus
from steward.mail.models import EmailTemplate, InboundMessage, Mailbox, OutboundMessage

PAGE_SIZE = 50


def admin_required(view):
    """Staff may look; only administrators change mail settings."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _mailbox(request, mailbox_id) -> Mailbox:
    return get_object_or_404(Mailbox.objects.visible_to(request.user), pk=mailbox_id)


def _back(request, default: str):
    # Keep the list's filters after a POST action; only ever a path on this site.
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


# --- Mailboxes --------------------------------------------------------------------------------


@staff_required
@require_GET
def mailbox_list(request):
    mailboxes = Mailbox.objects.visible_to(request.user).select_related("default_queue", "default_client")
    return render(request, "mail/mailbox_list.html", {"nav": "mail", "mailboxes": mailboxes})


def _mailbox_form(request, mailbox):
    form = forms.MailboxForm(request.POST or None, instance=mailbox)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_mailbox(request.user, mailbox, form.changes())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Mailbox {saved.address} saved.")
            return redirect("mail:mailbox_list")
    return render(request, "mail/mailbox_form.html", {"nav": "mail", "form": form, "mailbox": mailbox})


@admin_required
@require_http_methods(["GET", "POST"])
def mailbox_new(request):
    return _mailbox_form(request, None)


@admin_required
@require_http_methods(["GET", "POST"])
def mailbox_edit(request, mailbox_id):
    return _mailbox_form(request, _mailbox(request, mailbox_id))


@staff_required
@require_POST
def mailbox_check(request, mailbox_id):
    mailbox = _mailbox(request, mailbox_id)
    try:
        tasks.check_mailbox_now(mailbox)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Checking {mailbox.address} for new mail now.")
    return redirect("mail:mailbox_list")


# --- Inbound raw store ------------------------------------------------------------------------


@staff_required
@require_GET
def inbound_list(request):
    form = forms.InboundFilterForm(request.GET or None)
    rows = InboundMessage.objects.visible_to(request.user).select_related("mailbox", "ticket")
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if q := form.cleaned_data["q"].strip():
            rows = rows.filter(Q(from_address__icontains=q) | Q(subject__icontains=q))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mail/inbound_list.html", {"nav": "mail", "form": form, "page": page})


@staff_required
@require_POST
def inbound_retry(request, message_id):
    message = get_object_or_404(InboundMessage.objects.visible_to(request.user), pk=message_id)
    processing.retry_inbound(message)
    messages.success(request, f"Message “{message.subject or '(no subject)'}” queued to be processed again.")
    return _back(request, reverse("mail:inbound_list"))


@staff_required
@require_GET
def inbound_download(request, message_id):
    message = get_object_or_404(InboundMessage.objects.visible_to(request.user), pk=message_id)
    if not message.raw:
        raise Http404
    return FileResponse(
        message.raw.open("rb"), as_attachment=True, filename=f"message-{message.pk}.eml", content_type="message/rfc822"
    )


# --- Outbox -----------------------------------------------------------------------------------


@staff_required
@require_GET
def outbound_list(request):
    form = forms.OutboundFilterForm(request.GET or None)
    rows = OutboundMessage.objects.visible_to(request.user).select_related("ticket", "mailbox")
    if form.is_valid() and form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mail/outbound_list.html", {"nav": "mail", "form": form, "page": page})


@staff_required
@require_POST
def outbound_retry(request, outbound_id):
    message = get_object_or_404(OutboundMessage.objects.visible_to(request.user), pk=outbound_id, status=OutboundStatus.FAILED)
    outbound.requeue(message)
    messages.success(request, f"“{message.subject}” queued to be sent again.")
    return _back(request, reverse("mail:outbound_list"))


# --- Email templates --------------------------------------------------------------------------


def _kind(kind: str) -> OutboundKind:
    if kind not in OutboundKind.values:
        raise Http404
    return OutboundKind(kind)


@staff_required
@require_GET
def template_list(request):
    edited = {t.kind: t for t in EmailTemplate.objects.visible_to(request.user).select_related("updated_by")}
    rows = [(kind, edited.get(kind.value)) for kind in OutboundKind]
    return render(request, "mail/template_list.html", {"nav": "mail", "rows": rows})


@admin_required
@require_http_methods(["GET", "POST"])
def template_edit(request, kind):
    kind = _kind(kind)
    subject, body = outbound.template_for(kind)
    form = forms.EmailTemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    preview = None
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "reset":
        services.reset_email_template(request.user, kind)
        messages.success(request, f"“{kind.label}” is back to Steward's default text.")
        return redirect("mail:template_edit", kind=kind.value)
    if request.method == "POST" and form.is_valid():
        if action == "preview":
            preview = outbound.preview_email(form.cleaned_data["subject"], form.cleaned_data["body"])
        else:
            try:
                services.save_email_template(request.user, kind, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"“{kind.label}” saved.")
                return redirect("mail:template_list")
    elif request.method == "GET":
        preview = outbound.preview_email(subject, body)
    context = {
        "nav": "mail",
        "kind": kind,
        "form": form,
        "preview": preview,
        "placeholders": outbound.PLACEHOLDERS,
        "customised": EmailTemplate.objects.filter(kind=kind).exists(),
    }
    return render(request, "mail/template_form.html", context)
