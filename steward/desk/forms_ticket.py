"""Forms of the ticket page: inline header edits, the composer, quick time entry, links, new ticket, canned replies.

Forms only parse and validate input; the desk's services decide and record. Every
choice list comes from a ``visible_to`` queryset, so a forged id is a field error.
"""

import re

from django import forms

from steward.accounts.models import User
from steward.clients.models import Client, Contact, Site
from steward.desk import queries
from steward.desk.choices import Impact, Priority, Source, TicketStatus, TicketType, Urgency
from steward.desk.models import CannedReply, Category, Queue, Software
from steward.work.choices import WorkType


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; size limits are the attachment service's to state."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        # Empty files reach the service, which refuses them in the same words as the API.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def add_domain_error(form, exc) -> None:
    """Show a service's refusal on the field it names (or above the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- Inline header edits ------------------------------------------------------------

# Header fields a technician edits in place, with the label shown in the header.
INLINE_FIELDS = {
    "subject": "Subject",
    "requester": "Requester",
    "status": "Status",
    "priority": "Priority",
    "assignee": "Assignee",
    "queue": "Queue",
    "category": "Category",
    "software": "Affected software",
    "type": "Type",
    "tags": "Tags",
}
AUTO_PRIORITY = "auto"


def _contacts_of(user, client_id):
    return Contact.objects.visible_to(user).filter(client_id=client_id, is_active=True).order_by("first_name", "last_name")


def _technicians(user):
    return User.objects.visible_to(user).staff().order_by("first_name", "last_name", "username")


class InlineEditForm(forms.Form):
    """One header field of one ticket; ``version`` is the copy the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, field, user, ticket, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_name = field
        self.ticket = ticket
        self.fields.update(self._value_fields(field, user, ticket))

    def _value_fields(self, field, user, ticket):
        optional = {"required": False, "empty_label": "—"}
        if field == "subject":
            return {"subject": forms.CharField(max_length=255, initial=ticket.subject)}
        if field == "requester":
            return {
                "requester": forms.ModelChoiceField(
                    _contacts_of(user, ticket.client_id), initial=ticket.requester_id, **optional
                )
            }
        if field == "status":
            return {"status": forms.ChoiceField(choices=TicketStatus.choices, initial=ticket.status)}
        if field == "type":
            return {"type": forms.ChoiceField(choices=TicketType.choices, initial=ticket.type)}
        if field == "priority":
            priority_choices = [(AUTO_PRIORITY, "From impact × urgency"), *((str(v), l) for v, l in Priority.choices)]
            return {
                "impact": forms.TypedChoiceField(choices=Impact.choices, coerce=int, initial=ticket.impact),
                "urgency": forms.TypedChoiceField(choices=Urgency.choices, coerce=int, initial=ticket.urgency),
                "priority": forms.ChoiceField(
                    choices=priority_choices,
                    initial=str(ticket.priority) if ticket.priority_overridden else AUTO_PRIORITY,
                    help_text="A priority chosen by hand stays when impact or urgency change.",
                ),
            }
        if field == "assignee":
            return {"assignee": forms.ModelChoiceField(_technicians(user), initial=ticket.assignee_id, required=False, empty_label="Unassigned")}
        if field == "queue":
            return {"queue": forms.ModelChoiceField(queries.queues_for(user), initial=ticket.queue_id, **optional)}
        if field == "category":
            return {"category": forms.ModelChoiceField(queries.categories_for(user), initial=ticket.category_id, **optional)}
        if field == "software":
            return {"software": forms.ModelChoiceField(queries.software_for(user), initial=ticket.software_id, **optional)}
        if field == "tags":
            return {
                "tags": forms.CharField(
                    required=False,
                    max_length=500,
                    initial=", ".join(tag.name for tag in ticket.tags.all()),
                    help_text="Comma-separated, e.g. printer, onboarding",
                )
            }
        raise ValueError(f"{field} cannot be edited inline")

    def changes(self) -> dict:
        """The cleaned value(s) as ``update_ticket`` takes them."""
        data = self.cleaned_data
        if self.field_name == "priority":
            changes = {"impact": data["impact"], "urgency": data["urgency"]}
            if data["priority"] == AUTO_PRIORITY:
                changes["priority_overridden"] = False
            else:
                changes["priority"] = int(data["priority"])
            return changes
        if self.field_name == "tags":
            return {"tags": [name for name in data["tags"].split(",") if name.strip()]}
        return {self.field_name: data[self.field_name]}


# --- Composer -------------------------------------------------------------------------

class ComposerForm(forms.Form):
    KIND_CHOICES = [("reply", "Reply"), ("note", "Internal note")]
    THEN_CHOICES = [
        ("", "Send"),
        (TicketStatus.WAITING_ON_CUSTOMER, "Send and set Waiting on customer"),
        (TicketStatus.RESOLVED, "Send and resolve"),
    ]

    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="reply", widget=forms.RadioSelect)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}), label="Message")
    then_status = forms.ChoiceField(choices=THEN_CHOICES, required=False, label="After sending")
    attachments = MultipleFileField(label="Attach files")

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("attachments"):
            self.add_error("body", "Write a message or attach a file.")
        return data


# --- Quick time entry -------------------------------------------------------------------

DURATION_HELP = "e.g. 15, 15m, 1h30, 1:30 or 1.5h"


def parse_duration(text: str) -> int:
    """Minutes in a typed duration: "15", "15m", "1h", "1h30", "1h 30m", "1:30", "1.5h"."""
    value = re.sub(r"\s+", "", (text or "").lower())
    if match := re.fullmatch(r"(\d{1,2}):([0-5]\d)", value):
        return int(match[1]) * 60 + int(match[2])
    if match := re.fullmatch(r"(\d{1,2})h(?:(\d{1,3})(?:m|min|mins)?)?", value):
        return int(match[1]) * 60 + int(match[2] or 0)
    if match := re.fullmatch(r"(\d{1,2}[.,]\d{1,2})h", value):
        return round(float(match[1].replace(",", ".")) * 60)
    if match := re.fullmatch(r"(\d{1,4})(?:m|min|mins|minutes)?", value):
        return int(match[1])
    raise forms.ValidationError(f"Enter a duration like 15, 15m, 1h30 or 1:30 (not “{text}”).")


class DurationField(forms.CharField):
    def clean(self, value):
        minutes = parse_duration(super().clean(value))
        if not 1 <= minutes <= 24 * 60:
            raise forms.ValidationError("Duration must be between 1 minute and 24 hours.")
        return minutes


class TimeEntryForm(forms.Form):
    duration_minutes = DurationField(label="Duration", max_length=20, help_text=DURATION_HELP)
    work_type = forms.ChoiceField(choices=WorkType.choices, initial=WorkType.REACTIVE)
    billable = forms.BooleanField(required=False, initial=True)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


# --- Parent and merge -----------------------------------------------------------------

class TicketNumberField(forms.CharField):
    """A ticket number typed as 1042 or #1042."""

    def clean(self, value):
        value = (super().clean(value) or "").strip().lstrip("#").strip()
        if not value:
            return None
        if not value.isdigit() or len(value) > 18:
            raise forms.ValidationError("Enter a ticket number, e.g. 1042.")
        return int(value)


class ParentForm(forms.Form):
    parent = TicketNumberField(label="Parent ticket", required=False, max_length=20, help_text="Leave empty to detach.")


class MergeForm(forms.Form):
    target = TicketNumberField(label="Merge this ticket into", max_length=20)


# --- New ticket -------------------------------------------------------------------------

STAFF_SOURCES = [(Source.PHONE, "Phone"), (Source.WALK_IN, "Walk-in"), (Source.EMAIL, "Email"), (Source.PORTAL, "Portal")]


class NewTicketForm(forms.Form):
    client = forms.ModelChoiceField(Client.objects.none())
    requester = forms.ModelChoiceField(Contact.objects.none(), required=False, empty_label="—")
    site = forms.ModelChoiceField(Site.objects.none(), required=False, empty_label="The requester's site")
    subject = forms.CharField(max_length=255)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    type = forms.ChoiceField(choices=TicketType.choices, initial=TicketType.INCIDENT)
    impact = forms.TypedChoiceField(choices=Impact.choices, coerce=int, initial=Impact.LOW)
    urgency = forms.TypedChoiceField(choices=Urgency.choices, coerce=int, initial=Urgency.MEDIUM)
    category = forms.ModelChoiceField(Category.objects.none(), required=False, empty_label="—")
    software = forms.ModelChoiceField(Software.objects.none(), required=False, empty_label="—", label="Affected software")
    queue = forms.ModelChoiceField(Queue.objects.none(), required=False, empty_label="Default queue")
    assignee = forms.ModelChoiceField(User.objects.none(), required=False, empty_label="Unassigned")
    source = forms.ChoiceField(choices=STAFF_SOURCES, initial=Source.PHONE)
    attachments = MultipleFileField(label="Attach files")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.visible_to(user).filter(is_active=True).order_by("name")
        self.fields["category"].queryset = queries.categories_for(user)
        self.fields["software"].queryset = queries.software_for(user)
        self.fields["queue"].queryset = queries.queues_for(user)
        self.fields["assignee"].queryset = _technicians(user)
        # Requesters and sites are those of the chosen client, so one of another client is a field error.
        client_id = self.client_id()
        if client_id:
            self.fields["requester"].queryset = _contacts_of(user, client_id)
            self.fields["site"].queryset = Site.objects.visible_to(user).filter(client_id=client_id).order_by("name")

    def client_id(self):
        raw = self.data.get("client") if self.is_bound else self.initial.get("client")
        raw = getattr(raw, "pk", raw)
        return int(raw) if str(raw or "").isdigit() and len(str(raw)) <= 18 else None


# --- Canned replies -----------------------------------------------------------------------

class CannedReplyForm(forms.ModelForm):
    shared = forms.BooleanField(
        required=False, initial=True, help_text="Shared replies are offered to every technician; personal ones only to you."
    )

    class Meta:
        model = CannedReply
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "body": "Placeholders: {{ requester.first_name }}, {{ ticket.number }}, {{ technician.first_name }}, {{ client.name }}",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["shared"].initial = self.instance.owner_id is None
