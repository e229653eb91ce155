"""Forms of the technician's queue: its filters, bulk actions and saved views."""

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.urls import reverse

from steward.accounts.models import User
from steward.clients.queries import clients_for
from steward.desk import queries
from steward.desk.choices import Priority, Source, TicketStatus
from steward.desk.filters import DEFAULT_QUEUE_STATUSES, DEFAULT_SORT, SORTS
from steward.desk.models import SavedView

# Query parameters that hold filters (a saved view keeps these and ?sort=, never a page cursor).
FILTER_PARAMS = ("status", "priority", "client", "assignee", "queue", "category", "source", "q")
PAGE_PARAMS = ("after", "before")


@dataclass
class QueueChoices:
    """The pick lists of the queue's filters, read once per request (one query each)."""

    clients: list
    technicians: list
    queues: list
    categories: list

    @classmethod
    def for_user(cls, user):
        return cls(
            clients=list(clients_for(user).values_list("pk", "name")),
            technicians=[(u.pk, u.display_name) for u in User.objects.staff().only("pk", "first_name", "last_name", "username")],
            queues=list(queries.queues_for(user).values_list("pk", "name")),
            categories=[(c.pk, str(c)) for c in queries.categories_for(user)],
        )


def _id_or_keyword(value) -> bool:
    text = str(value)
    return text in ("me", "none") or (text.isdigit() and len(text) <= 18)


class QueueFilterForm(forms.Form):
    """The queue's GET parameters; a value that is not valid is reported and ignored, never a 500."""

    q = forms.CharField(label="Search subject or #number", required=False, max_length=200, strip=True)
    status = forms.MultipleChoiceField(label="Status", choices=TicketStatus.choices, required=False)
    priority = forms.TypedMultipleChoiceField(label="Priority", choices=Priority.choices, coerce=int, required=False)
    client = forms.TypedChoiceField(label="Client", coerce=int, required=False, empty_value=None)
    assignee = forms.ChoiceField(label="Assignee", required=False)
    queue = forms.TypedChoiceField(label="Queue", coerce=int, required=False, empty_value=None)
    category = forms.TypedChoiceField(label="Category", coerce=int, required=False, empty_value=None)
    source = forms.ChoiceField(label="Source", choices=[("", "Any source"), *Source.choices], required=False)
    sort = forms.ChoiceField(label="Sort by", choices=[(key, label) for key, (label, _) in SORTS.items()], required=False)

    def __init__(self, data, *, choices: QueueChoices | None, **kwargs):
        super().__init__(data, **kwargs)
        if choices is None:
            # Checked without the pick lists (the 30 s poll): an unknown id simply matches nothing.
            for name in ("client", "assignee", "queue", "category"):
                self.fields[name].valid_value = _id_or_keyword
        else:
            self.fields["client"].choices = [("", "Any client"), *choices.clients]
            self.fields["assignee"].choices = [
                ("", "Anyone"),
                ("me", "Me"),
                ("none", "Unassigned"),
                *[(str(pk), name) for pk, name in choices.technicians],
            ]
            self.fields["queue"].choices = [("", "Any queue"), *choices.queues]
            self.fields["category"].choices = [("", "Any category"), *choices.categories]
            # The sort menu sits above the table (swapped with it) but belongs to the filter form.
            self.fields["sort"].widget.attrs.update(
                {"form": "queue-filters", "hx-get": reverse("desk:queue"), "hx-include": "#queue-filters",
                 "hx-target": "#queue-list", "hx-push-url": "true"}
            )
        self.is_valid()

    def filters(self) -> dict:
        """Keyword arguments for filters.filter_tickets; the queue shows open tickets unless told otherwise."""
        data = self.cleaned_data
        return {
            "status": data.get("status") or list(DEFAULT_QUEUE_STATUSES),
            "priority": data.get("priority") or None,
            "client": data.get("client"),
            "assignee": data.get("assignee") or None,
            "queue": data.get("queue"),
            "category": data.get("category"),
            "source": data.get("source") or None,
            "q": data.get("q") or None,
        }

    @property
    def sort_key(self) -> str:
        return self.cleaned_data.get("sort") or DEFAULT_SORT

    @property
    def problems(self) -> list[str]:
        """What was ignored, in words: 'Ignored the status filter: …'."""
        problems = []
        for name, errors in self.errors.items():
            label = self.fields[name].label.lower() if name in self.fields else name
            problems.append(f"Ignored the {label} filter: {' '.join(errors)}")
        return problems

    def query_string(self, **changes) -> str:
        """The valid filters (and sort) as a query string, with ``changes`` applied; no page cursor."""
        query = QueryDict(mutable=True)
        for name in (*FILTER_PARAMS, "sort"):
            if name in self.cleaned_data and name not in self.errors:
                value = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
                value = [v for v in value if v not in ("", None)]
                if name == "sort" and value == [DEFAULT_SORT]:
                    continue
                if value:
                    query.setlist(name, value)
        for name, value in changes.items():
            if value in (None, "", []):
                query.pop(name, None)
            else:
                query.setlist(name, value if isinstance(value, list) else [value])
        return query.urlencode()

    def filter_signature(self) -> tuple:
        """The filters as a comparable value, to tell which saved view is on screen."""
        return tuple(sorted((key, tuple(sorted(map(str, value))) if isinstance(value, list) else str(value))
                            for key, value in self.filters().items() if value not in (None, "", [])))


class TicketNumbersField(forms.Field):
    """Ticket numbers from the row checkboxes; which of them the user may see is the view's business."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "'%(value)s' is not a ticket number."}

    def to_python(self, value):
        numbers = []
        for item in value or ():
            text = str(item).strip().lstrip("#")
            if not text.isdigit() or len(text) > 18:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": item})
            numbers.append(int(text))
        return list(dict.fromkeys(numbers))


class BulkActionForm(forms.Form):
    ASSIGN, STATUS, MERGE = "assign", "status", "merge"

    tickets = TicketNumbersField(error_messages={"required": "Select one or more tickets first (x or the checkboxes)."})
    action = forms.ChoiceField(choices=[(ASSIGN, "Assign"), (STATUS, "Change status"), (MERGE, "Merge")])
    assign_to = forms.ChoiceField(label="Assign to", required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Choose…"), *TicketStatus.choices], required=False)
    merge_into = forms.IntegerField(label="Merge into #", required=False, min_value=1)

    def __init__(self, data, *, choices: QueueChoices, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["assign_to"].choices = assign_choices(choices)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.ASSIGN and not data.get("assign_to"):
            self.add_error("assign_to", "Choose who gets the tickets.")
        if action == self.STATUS and not data.get("status"):
            self.add_error("status", "Choose the new status.")
        if action == self.MERGE:
            if not data.get("merge_into"):
                self.add_error("merge_into", "Give the number of the ticket to merge into.")
            elif len(data.get("tickets") or ()) < 2 and data["merge_into"] in (data.get("tickets") or ()):
                self.add_error("tickets", "Select at least two tickets to merge.")
        return data

    @property
    def messages(self) -> list[str]:
        return [" ".join(errors) for errors in self.errors.values()]


def assign_choices(choices: QueueChoices) -> list:
    return [("", "Choose…"), ("me", "Me"), ("none", "Nobody (unassign)"), *[(str(pk), name) for pk, name in choices.technicians]]


class SavedViewForm(forms.ModelForm):
    shared = forms.BooleanField(label="Share with the whole team", required=False)

    class Meta:
        model = SavedView
        fields = ("name", "query")
        labels = {"name": "Name of the view"}
        widgets = {"query": forms.HiddenInput}

    def __init__(self, *args, user, choices: QueueChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.choices = choices

    def clean_query(self):
        # Keep only valid filters and the sort, so a view is always a queue URL that works.
        query = QueryDict(self.cleaned_data.get("query") or "")
        return QueueFilterForm(query, choices=self.choices).query_string()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the view a name.")
        return name

    def clean(self):
        data = super().clean()
        owner = None if data.get("shared") else self.user
        name = data.get("name")
        if name and SavedView.objects.filter(owner=owner, name__iexact=name).exists():
            where = "a shared view" if owner is None else "one of your views"
            self.add_error("name", f"There is already {where} called '{name}'; choose another name.")
        return data

    def save(self, commit=True):
        self.instance.owner = None if self.cleaned_data.get("shared") else self.user
        return super().save(commit)
