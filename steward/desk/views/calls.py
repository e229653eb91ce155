"""Log a call: find the caller as you type, see their open tickets, file the call in one form."""

import re

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from steward.clients.models import Client, Contact
from steward.core.decorators import staff_required
from steward.core.exceptions import DomainError
from steward.core.htmx import is_partial
from steward.desk import calls
from steward.desk.choices import CallDirection, Impact, Urgency
from steward.desk.models import Category, Ticket

DURATION_RE = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,3}):(\d{2})\s*$")


def parse_duration(text: str) -> int | None:
    """'4:30' or '1:02:03' (clock) or '5' / '2.5' (minutes) → seconds; None when empty."""
    text = (text or "").strip().lower().removesuffix("min").strip()
    if not text:
        return None
    clock = DURATION_RE.match(text)
    if clock:
        hours, minutes, seconds = int(clock.group(1) or 0), int(clock.group(2)), int(clock.group(3))
        if seconds >= 60:
            raise forms.ValidationError("Seconds go up to 59, e.g. 4:30.")
        return hours * 3600 + minutes * 60 + seconds
    try:
        minutes = float(text.replace(",", "."))
    except ValueError:
        raise forms.ValidationError("Type minutes (5) or minutes:seconds (4:30).") from None
    if minutes < 0:
        raise forms.ValidationError("A call cannot last less than nothing.")
    return round(minutes * 60)


class LogCallForm(forms.Form):
    q = forms.CharField(label="Phone number or name", required=False, max_length=100)
    caller_number = forms.CharField(label="Caller's number", required=False, max_length=40)
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), required=False, widget=forms.HiddenInput)
    target = forms.CharField(required=False, widget=forms.HiddenInput)
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(), required=False, label="Client", empty_label="— pick the caller's company —"
    )
    new_first_name = forms.CharField(label="First name", required=False, max_length=100)
    new_last_name = forms.CharField(label="Last name", required=False, max_length=100)
    new_email = forms.EmailField(label="Email", required=False)
    subject = forms.CharField(required=False, max_length=255)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False, empty_label="—")
    impact = forms.TypedChoiceField(choices=Impact.choices, coerce=int, initial=Impact.LOW)
    urgency = forms.TypedChoiceField(choices=Urgency.choices, coerce=int, initial=Urgency.MEDIUM)
    direction = forms.ChoiceField(choices=CallDirection.choices, initial=CallDirection.INBOUND, widget=forms.RadioSelect)
    duration = forms.CharField(label="Duration", required=False, max_length=12, help_text="mm:ss or minutes")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(label="Show the call in the client's portal", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["contact"].queryset = Contact.objects.visible_to(user).select_related("client", "site")
        self.fields["client"].queryset = Client.objects.visible_to(user).filter(is_active=True).order_by("name")
        self.fields["category"].queryset = Category.objects.visible_to(user).select_related("parent")

    def clean_duration(self):
        return parse_duration(self.cleaned_data["duration"])

    def clean(self):
        data = super().clean()
        contact, target = data.get("contact"), (data.get("target") or "").strip().lstrip("#")
        data["ticket"] = None
        if target.isdigit():
            data["ticket"] = Ticket.objects.visible_to(self.user).filter(number=int(target)).first()
            if data["ticket"] is None:
                self.add_error(None, f"There is no ticket #{target}.")
        elif not (data.get("subject") or "").strip():
            self.add_error("subject", "A new ticket needs a subject.")
        if contact is None and data.get("client") is None:
            self.add_error("q", "Pick the caller from the matches, or pick their company below.")
        if contact is None and data.get("new_email") and not data.get("new_first_name"):
            self.add_error("new_first_name", "A new contact needs a first name.")
        if not data.get("caller_number") and re.fullmatch(r"[\d\s()+\-./]{6,}", data.get("q") or ""):
            data["caller_number"] = data["q"].strip()
        return data


def _caller_context(user, contact, target=""):
    return {"contact": contact, "open_tickets": calls.open_tickets_of(user, contact), "target": target}


@staff_required
def call_new(request):
    form = LogCallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_contact = None
        if data["contact"] is None and data["new_first_name"]:
            new_contact = calls.NewContact(data["new_first_name"], data["new_last_name"], data["new_email"])
        new_ticket = None
        if data["ticket"] is None:
            new_ticket = calls.NewTicket(
                subject=data["subject"], description=data["description"], category=data["category"],
                impact=data["impact"], urgency=data["urgency"],
            )
        try:
            logged = calls.log_call(
                request.user, caller_number=data["caller_number"], contact=data["contact"], client=data["client"],
                new_contact=new_contact, ticket=data["ticket"], new_ticket=new_ticket, direction=data["direction"],
                duration_seconds=data["duration"], notes=data["notes"], is_public=data["is_public"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            verb = "opened" if logged.created_ticket else "added to"
            messages.success(request, f"Call logged and {verb} #{logged.ticket.number}.")
            return redirect(f"/tickets/{logged.ticket.number}/")
    contact = form.cleaned_data.get("contact") if form.is_bound else None
    if not form.is_bound and request.GET.get("contact", "").isdigit():
        contact = Contact.objects.visible_to(request.user).select_related("client", "site").filter(
            pk=int(request.GET["contact"])
        ).first()
    caller = _caller_context(request.user, contact, request.POST.get("target", "")) if contact else None
    return render(request, "desk/call_new.html", {"form": form, "caller": caller, "nav": "desk"})


@require_GET
@staff_required
def call_matches(request):
    text = request.GET.get("q", "")
    contacts = calls.find_callers(request.user, text)
    context = {"contacts": contacts, "q": text.strip()}
    if not is_partial(request):
        return render(request, "desk/call_matches.html", context)
    return render(request, "desk/partials/_call_matches.html", context)


@require_GET
@staff_required
def call_caller(request, contact_id):
    contact = Contact.objects.visible_to(request.user).select_related("client", "site").filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    return render(request, "desk/partials/_call_caller.html", _caller_context(request.user, contact))


urls = [
    path("calls/new/", call_new, name="call_new"),
    path("calls/callers/", call_matches, name="call_matches"),
    path("calls/callers/<int:contact_id>/", call_caller, name="call_caller"),
]
