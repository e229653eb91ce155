from django import forms

from steward.mail.choices import InboundStatus, OutboundStatus
from steward.mail.models import Mailbox
from steward.mail.services import SECRET_FIELDS

SECRET_LABELS = {
    "imap_password": "IMAP password",
    "oauth_client_secret": "OAuth client secret",
    "oauth_refresh_token": "OAuth refresh token",
    "smtp_password": "SMTP password",
    "webhook_secret": "Webhook secret",
}

# The form in sections, so a long settings page stays readable.
SECTIONS = (
    ("Mailbox", ("name", "address", "kind", "is_active", "default_queue", "default_client", "send_acknowledgements")),
    (
        "Incoming mail (IMAP)",
        ("imap_host", "imap_port", "imap_security", "imap_auth", "imap_username", "imap_password", "imap_folder",
         "after_import", "move_to_folder"),
    ),
    ("OAuth2 (Microsoft 365, Google Workspace)", ("oauth_provider", "oauth_tenant", "oauth_client_id", "oauth_client_secret", "oauth_refresh_token")),
    ("Outgoing mail (SMTP); leave the host empty to use the server's default", ("smtp_host", "smtp_port", "smtp_security", "smtp_username", "smtp_password")),
    ("Webhook", ("webhook_secret",)),
)


class MailboxForm(forms.ModelForm):
    """Mailbox settings; secrets are never shown again, and left blank they keep their stored value."""

    class Meta:
        model = Mailbox
        fields = [name for _, names in SECTIONS for name in names if name not in SECRET_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        for name in SECRET_FIELDS:
            has_value = editing and bool(getattr(self.instance, name))
            self.fields[name] = forms.CharField(
                label=SECRET_LABELS[name],
                required=False,
                strip=False,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text="Stored; leave blank to keep it." if has_value else "",
            )
        self.fields["address"].help_text = "The support address customers write to; replies are sent from it."

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def changes(self) -> dict:
        return dict(self.cleaned_data)

    def _post_clean(self):
        # The service validates the whole mailbox once the secrets are merged in; the
        # ModelForm's own model validation would run without them.
        pass


class InboundFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "All")] + list(InboundStatus.choices), required=False)
    q = forms.CharField(required=False, label="Sender or subject")


class OutboundFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "All")] + list(OutboundStatus.choices), required=False)


class EmailTemplateForm(forms.Form):
    subject = forms.CharField(max_length=255)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}))
