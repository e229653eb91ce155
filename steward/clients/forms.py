"""Forms of the clients area. They parse input; the services decide what is valid and save."""

from django import forms

from steward.clients.models import Client, Contact, Contract, Site
from steward.clients.services import CLIENT_FIELDS, CONTACT_FIELDS, CONTRACT_FIELDS, SITE_FIELDS


class ServiceForm(forms.ModelForm):
    """A ModelForm that only parses: the clients services validate and save, with messages per field.

    Skipping the model validation of ModelForm keeps one set of rules (and messages) for the
    forms, the API and the CSV import.
    """

    # Set by forms of models with updated_at: the version the user started from.
    detect_stale = False
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.detect_stale or not self.instance.pk:
            del self.fields["loaded_at"]
        elif not self.is_bound:
            self.initial["loaded_at"] = self.instance.updated_at.isoformat()

    def _post_clean(self):
        pass

    def clean(self):
        data = super().clean()
        if "loaded_at" in self.fields and data.get("loaded_at") != self.instance.updated_at.isoformat():
            raise forms.ValidationError(
                "Someone else changed this record since you opened the form. Your changes are still below: "
                "open the record in another tab to see theirs, then save again.",
                code="stale",
            )
        return data

    def changes(self) -> dict:
        """The submitted values of the fields the service accepts."""
        return {name: value for name, value in self.cleaned_data.items() if name in self.service_fields}

    def add_service_error(self, exc) -> None:
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class ClientForm(ServiceForm):
    service_fields = CLIENT_FIELDS
    detect_stale = True
    email_domains = forms.CharField(
        required=False, help_text="Comma-separated, e.g. acme.com, acme.co.uk. Mail from these files under this client."
    )
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Client
        fields = (
            "name", "short_code", "email_domains", "phone", "website", "industry", "notes", "is_active",
            "send_acknowledgements",
        )
        labels = {"send_acknowledgements": "Acknowledge new requests by email"}
        help_texts = {
            "short_code": "2–16 capital letters, digits or dashes, e.g. ACME.",
            "send_acknowledgements": "Send this client's people a \"we have your request\" email when they open a ticket.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["email_domains"] = ", ".join(self.instance.email_domains or [])

    def clean_email_domains(self):
        text = self.cleaned_data["email_domains"] or ""
        return [part.strip() for part in text.replace(";", ",").replace(" ", ",").split(",") if part.strip()]

    def clean_short_code(self):
        return (self.cleaned_data["short_code"] or "").strip().upper()


class SiteForm(ServiceForm):
    service_fields = SITE_FIELDS

    class Meta:
        model = Site
        fields = SITE_FIELDS
        help_texts = {"timezone": "IANA name, e.g. Europe/London."}


class ContactForm(ServiceForm):
    service_fields = tuple(f for f in CONTACT_FIELDS if f != "portal_access")  # the portal invite grants access
    detect_stale = True

    class Meta:
        model = Contact
        fields = ("first_name", "last_name", "email", "phone", "mobile", "title", "site", "is_vip", "is_active", "notes")
        labels = {"is_vip": "VIP", "is_active": "Active"}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(client=client).order_by("name")
        self.fields["site"].empty_label = "—"


class ContractForm(ServiceForm):
    service_fields = CONTRACT_FIELDS

    class Meta:
        model = Contract
        fields = CONTRACT_FIELDS
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}), "ends_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"included_hours_per_month": "Included hours per month", "sla_plan": "SLA plan"}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=(("clients", "Clients"), ("contacts", "Contacts")), widget=forms.RadioSelect, initial="clients"
    )
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma- or semicolon-separated, first row = column names.")
