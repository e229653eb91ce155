"""Forms of the time pages: a timesheet cell, a new row, capacity, absences, timer."""

import re

from django import forms

from steward.work.choices import AbsenceKind, WorkType

HOURS_HELP = "Hours like 1.5, 1:30, 1h30 or 90m; empty removes the time."


def parse_hours(text: str) -> int:
    """Minutes in a timesheet cell: a bare number is hours ("1.5", "1,5"), or "1:30", "1h30", "90m"."""
    value = re.sub(r"\s+", "", (text or "").lower())
    if not value:
        return 0
    if match := re.fullmatch(r"(\d{1,2}):([0-5]\d)", value):
        return int(match[1]) * 60 + int(match[2])
    if match := re.fullmatch(r"(\d{1,2})h(?:(\d{1,2})m?)?", value):
        return int(match[1]) * 60 + int(match[2] or 0)
    if match := re.fullmatch(r"(\d{1,4})m(?:in)?", value):
        return int(match[1])
    if match := re.fullmatch(r"(\d{1,2}(?:[.,]\d{1,2})?)h?", value):
        return round(float(match[1].replace(",", ".")) * 60)
    raise forms.ValidationError(f"Enter hours like 1.5 or 1:30 (not “{text}”).")


def format_minutes(minutes: int) -> str:
    """90 → "1:30", the way cells show and accept time."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    return f"{hours}:{rest:02d}"


class HoursField(forms.CharField):
    def clean(self, value):
        minutes = parse_hours(super().clean(value))
        if minutes > 24 * 60:
            raise forms.ValidationError("A day has at most 24 hours.")
        return minutes


class CellForm(forms.Form):
    row = forms.RegexField(regex=r"^(ticket-\d+|task-\d+|client-\d+-[a-z]+)$")
    day = forms.DateField()
    hours = HoursField(required=False, max_length=10)
    billable = forms.BooleanField(required=False)
    work_type = forms.ChoiceField(choices=WorkType.choices, required=False)


class AddRowForm(forms.Form):
    ticket = forms.CharField(required=False, max_length=20, label="Ticket number")
    task = forms.IntegerField(required=False, label="Project task")
    client = forms.IntegerField(required=False, label="Client")
    work_type = forms.ChoiceField(choices=[("", "Default"), *WorkType.choices], required=False, label="Work type")

    def clean_ticket(self):
        value = self.cleaned_data["ticket"].strip().lstrip("#").strip()
        if value and not value.isdigit():
            raise forms.ValidationError("Enter a ticket number, e.g. 1042.")
        return int(value) if value else None

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("ticket", "task") if data.get(name)]
        if len(chosen) > 1:
            raise forms.ValidationError("Pick a ticket or a task, not both.")
        if not chosen and not data.get("work_type"):
            self.add_error("work_type", "Pick a ticket, a task, or a work type (with or without a client).")
        return data


class BillableForm(forms.Form):
    row = CellForm.base_fields["row"]
    billable = forms.BooleanField(required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(max_length=500, label="What should be corrected?")


class CapacityForm(forms.Form):
    weekly_hours = forms.DecimalField(min_value=0, max_value=80, decimal_places=2, label="Weekly hours")
    work_days = forms.MultipleChoiceField(
        choices=[(str(day), name) for day, name in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], 1)],
        widget=forms.CheckboxSelectMultiple,
        label="Work days",
    )
    target_percent = forms.DecimalField(min_value=0, max_value=100, decimal_places=1, label="Target utilisation (%)")


class AbsenceForm(forms.Form):
    technician = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(choices=AbsenceKind.choices, initial=AbsenceKind.LEAVE)
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hours_per_day = forms.DecimalField(
        required=False, min_value=0, max_value=24, decimal_places=2, label="Hours away per day",
        help_text="Empty: whole days.",
    )
    note = forms.CharField(required=False, max_length=200)


class TimerStartForm(forms.Form):
    ticket = forms.IntegerField(required=False)
    task = forms.IntegerField(required=False)
    client = forms.IntegerField(required=False)
    work_type = forms.ChoiceField(choices=[("", "Default"), *WorkType.choices], required=False)
    note = forms.CharField(required=False, max_length=2000)


def add_domain_error(form, exc):
    """Show a service's refusal on the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
