"""The hours dashboard's period picker and filters, shared by the page and its CSV downloads."""

import datetime as dt

from django import forms
from django.utils import timezone

from steward.accounts.models import User
from steward.clients.models import Client
from steward.reports import queries

PERIODS = (
    ("month", "This month"),
    ("3m", "Last 3 months"),
    ("12m", "Last 12 months"),
    ("custom", "Custom"),
)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day when it is shorter), plus one day."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last)) + dt.timedelta(days=1)


class HoursFilterForm(forms.Form):
    period = forms.ChoiceField(choices=PERIODS, required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")
    technician = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    client = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, user):
        super().__init__(data)
        # Pick lists: one query each, only what the user may see.
        self.fields["technician"].choices = [("", "All technicians")] + [
            (tech.pk, tech.display_name) for tech in User.objects.staff().only("pk", "first_name", "last_name", "username")
        ]
        self.fields["client"].choices = [("", "All clients")] + list(
            Client.objects.visible_to(user).order_by("name").values_list("pk", "name")
        )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        choice = data.get("period") or ("custom" if data.get("start") or data.get("end") else "12m")
        data["period"] = choice
        if choice == "month":
            data["start"], data["end"] = today.replace(day=1), today
        elif choice == "3m":
            data["start"], data["end"] = months_before(today, 3), today
        elif choice == "12m":
            data["start"], data["end"] = months_before(today, 12), today
        else:
            data["end"] = data.get("end") or today
            if not data.get("start"):
                self.add_error("start", "Pick the first day of the period.")
                return data
        try:
            queries.period(data["start"], data["end"])
        except queries.ReportError as error:
            self.add_error(error.field, error.message)
        return data

    def filters(self) -> dict:
        return {"technician": self.cleaned_data.get("technician"), "client": self.cleaned_data.get("client")}
