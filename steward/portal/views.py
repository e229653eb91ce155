from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.accounts.models import User
from steward.clients.models import Client, Contact
from steward.core.exceptions import DomainError
from steward.core.htmx import render_page
from steward.core.pagination import keyset_page
from steward.desk import services as desk_services
from steward.desk.choices import Source, TicketStatus
from steward.portal import access, branding, queries, services
from steward.portal.forms import InviteForm, ReplyForm, RequestForm, SignInForm, SignInLinkForm, apply_domain_error
from steward.portal.tokens import SIGN_IN_LINK_MINUTES, sign_in_tokens

PAGE_SIZE = 25
ACCESS_OFF = "Your portal access is switched off. Ask your IT provider to invite you again."


def portal_page(view):
    """Client users with portal access only: others sign in, staff go to the desk."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if user.is_staff_member:
            return redirect("/")
        request.portal_client = access.portal_client(user)
        if request.portal_client is None:
            logout(request)
            messages.error(request, ACCESS_OFF)
            return redirect("portal:login")
        return view(request, *args, **kwargs)

    return wrapper


def _render(request, template, context, partial_template=None, status=200):
    client = getattr(request, "portal_client", None)
    bar, bar_text = branding.bar_colours(client.brand_color if client else None)
    logo_url = None
    if client is not None and client.logo:
        logo_url = f"{reverse('portal:client_logo', args=[client.pk])}?v={int(client.updated_at.timestamp())}"
    context = {"portal_client": client, "bar_colour": bar, "bar_text": bar_text, "logo_url": logo_url, **context}
    return render_page(request, template, partial_template or template, context, status=status)


def _landing(user) -> str:
    return "/" if user.is_staff_member else reverse("portal:home")


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# --- Signing in ---------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request):
    user = request.user
    if user.is_authenticated and (user.is_staff_member or access.portal_client(user)):
        return redirect(_landing(user))
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        login(request, form.user)
        return redirect("/" if form.user.is_staff_member else _safe_next(request, reverse("portal:home")))
    context = {"form": form, "link_form": SignInLinkForm(), "next": _safe_next(request, ""), "minutes": SIGN_IN_LINK_MINUTES}
    return _render(request, "portal/sign_in.html", context)


@never_cache
@require_POST
def send_sign_in_link(request):
    form = SignInLinkForm(request.POST)
    if not form.is_valid():
        context = {"form": SignInForm(request), "link_form": form, "next": "", "minutes": SIGN_IN_LINK_MINUTES}
        return _render(request, "portal/sign_in.html", context)
    services.send_sign_in_links(form.cleaned_data["email"])
    # The same answer whether or not the address has an account.
    return _render(request, "portal/link_sent.html", {"email": form.cleaned_data["email"], "minutes": SIGN_IN_LINK_MINUTES})


def _user_from_uid(uidb64):
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.select_related("contact").filter(pk=pk).first()


@never_cache
@require_http_methods(["GET", "POST"])
def link_sign_in(request, uidb64, token):
    if request.user.is_authenticated:
        return redirect(_landing(request.user))
    user = _user_from_uid(uidb64)
    valid = user is not None and sign_in_tokens.check_token(user, token) and access.portal_client(user) is not None
    # Signing in takes a press of the button: mail scanners that open links must not use up the link.
    if valid and request.method == "POST":
        login(request, user)
        return redirect("portal:home")
    return _render(request, "portal/link_sign_in.html", {"valid": valid, "minutes": SIGN_IN_LINK_MINUTES})


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation's link: choose a password, then land in the portal signed in."""

    template_name = "portal/set_password.html"
    post_reset_login = True
    success_url = reverse_lazy("portal:home")

    def dispatch(self, *args, **kwargs):
        if self.request.user.is_authenticated:
            return redirect(_landing(self.request.user))
        return super().dispatch(*args, **kwargs)

    def render_to_response(self, context, **kwargs):
        return _render(self.request, self.template_name, context)


sign_out = auth_views.LogoutView.as_view(next_page="portal:login")


# --- Requests -----------------------------------------------------------------


@portal_page
@require_GET
def request_list(request, company=False):
    user = request.user
    if company and not user.is_client_admin:
        raise Http404
    state = request.GET.get("state", "all")
    state = state if state in dict(queries.STATES) else "all"
    q = request.GET.get("q", "").strip()[:200]
    tickets = queries.requests_for(user, company=company, state=state, q=q)
    try:
        page = keyset_page(tickets, key="updated_at", cursor=request.GET.get("cursor"), limit=PAGE_SIZE)
    except DomainError as exc:
        messages.error(request, exc.message)
        page = keyset_page(tickets, key="updated_at", cursor=None, limit=PAGE_SIZE)
    filters = {k: v for k, v in (("state", state), ("q", q)) if v and (k != "state" or v != "all")}
    context = {
        "nav": "company" if company else "mine",
        "company": company,
        "heading": f"All requests of {request.portal_client.name}" if company else "My requests",
        "page": page,
        "state": state,
        "q": q,
        "states": queries.STATES,
        "filtered": bool(filters),
        "first_query": urlencode(filters),
        "next_query": urlencode({**filters, "cursor": page.next_cursor}) if page.next_cursor else "",
        "paged": bool(request.GET.get("cursor")),
    }
    return _render(request, "portal/request_list.html", context, "portal/partials/_request_rows.html")


@portal_page
@require_http_methods(["GET", "POST"])
def request_new(request):
    user = request.user
    posted = request.method == "POST"
    form = RequestForm(user, data=request.POST if posted else None, files=request.FILES if posted else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ticket = desk_services.open_ticket(
                user,
                client=request.portal_client,
                requester=user.contact,
                subject=data["subject"],
                description=data["description"],
                category=data["category"],
                attachments=data["attachments"],
                source=Source.PORTAL,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Request #{ticket.number} is open. You can follow it and reply here.")
            return redirect("portal:request_detail", number=ticket.number)
    files_lost = posted and bool(request.FILES) and not form.is_valid()
    return _render(request, "portal/request_new.html", {"nav": "new", "form": form, "files_lost": files_lost})


@portal_page
@require_http_methods(["GET", "POST"])
def request_detail(request, number):
    user = request.user
    ticket = queries.request_for(user, number)
    if ticket is None:
        raise Http404
    reopening = ticket.status == TicketStatus.RESOLVED
    posted = request.method == "POST"
    form = ReplyForm(data=request.POST if posted else None, files=request.FILES if posted else None, reopening=reopening)
    if form.is_valid():
        data = form.cleaned_data
        try:
            # A reply to a resolved request reopens it; a closed one refuses (the service decides both).
            desk_services.add_message(ticket, user, body=data["body"], attachments=data["attachments"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, "Request reopened. We will pick it up again." if reopening else "Reply sent.")
            return redirect("portal:request_detail", number=ticket.number)
    context = {
        "nav": "company" if ticket.requester_id != user.contact_id else "mine",
        "ticket": ticket,
        "timeline": queries.public_timeline(user, ticket),
        "request_files": queries.request_attachments(user, ticket),
        "form": form,
        "reopening": reopening,
        "closed": ticket.status == TicketStatus.CLOSED,
        "files_lost": posted and bool(request.FILES) and not form.is_valid(),
    }
    return _render(request, "portal/request_detail.html", context)


# --- Branding -----------------------------------------------------------------

IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def _image_type(head: bytes) -> str | None:
    """The image type the file's first bytes show; None for anything that is not an image we serve."""
    for signature, content_type in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if b"<svg" in head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower():
        return "image/svg+xml"
    return None


@require_GET
def client_logo(request, client_id):
    client = get_object_or_404(Client.objects.visible_to(request.user), pk=client_id)
    if not client.logo:
        raise Http404
    try:
        logo = client.logo.open("rb")
    except OSError:
        raise Http404 from None
    content_type = _image_type(logo.read(2048))
    if content_type is None:
        logo.close()
        raise Http404
    logo.seek(0)
    response = FileResponse(logo, content_type=content_type)
    # An SVG opened on its own must not run scripts with Steward's origin.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- Invitations (staff) --------------------------------------------------------


def invite_contact(request, contact_id):
    user = request.user
    if not (user.is_authenticated and user.is_staff_member):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    contact = get_object_or_404(Contact.objects.visible_to(user), pk=contact_id)
    referer = request.headers.get("referer", "")
    back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()) else f"/contacts/{contact.pk}/"
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose 'Client user' or 'Client admin' as the portal role.")
        return redirect(back)
    try:
        _, created = services.invite_contact(user, contact, role=form.cleaned_data["role"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        verb = "Invited" if created else "Invited again:"
        messages.success(request, f"{verb} {contact.full_name} to the portal; the invitation went to {contact.email}.")
    return redirect(back)
