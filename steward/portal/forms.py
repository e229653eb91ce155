from django import forms
from django.conf import settings

from steward.accounts.choices import Role
from steward.desk import queries
from steward.portal import access

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; size and emptiness are judged by desk.services.store_attachment."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Attach at most {MAX_FILES} files at a time.")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _size(size: int) -> str:
    for unit, factor in (("MB", 1048576), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def attachments_field():
    return MultipleFileField(
        label="Attachments",
        help_text=f"Up to {MAX_FILES} files, at most {_size(settings.ATTACHMENT_MAX_BYTES)} each.",
    )


class SignInForm(forms.Form):
    login = forms.CharField(label="Username or email", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        user = access.authenticate_by_username_or_email(self.request, data["login"], data["password"])
        if user is None:
            raise forms.ValidationError(
                "That username or email and password do not match. Check them, or ask for a sign-in link below."
            )
        if user.is_client_side and access.portal_client(user) is None:
            raise forms.ValidationError("Your portal access is switched off. Ask your IT provider to invite you again.")
        self.user = user
        return data


class SignInLinkForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)


class RequestForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=255, help_text="A short summary, e.g. “Outlook will not start”.")
    description = forms.CharField(
        label="Description", required=False, max_length=20000, widget=forms.Textarea,
        help_text="What happened, since when, and what you have tried.",
    )
    category = forms.ModelChoiceField(label="Category", queryset=None, required=False, empty_label="Not sure")
    attachments = attachments_field()

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = queries.categories_for(user)
        self.fields["attachments"] = attachments_field()


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = attachments_field()

    def __init__(self, *args, reopening=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = attachments_field()
        if reopening:
            # A resolved request comes back only with a reason the technician can act on.
            self.fields["body"].label = "Why does it need more work?"
            self.fields["body"].required = True
            self.fields["body"].error_messages["required"] = "Say why you are reopening the request."

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("body") or "").strip() and not data.get("attachments"):
            self.add_error("body", "Write a reply or attach a file.")
        return data


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        label="Portal role",
        choices=[(Role.CLIENT_USER, "Client user – sees their own requests"), (Role.CLIENT_ADMIN, "Client admin – sees all of the company's requests")],
        initial=Role.CLIENT_USER,
        required=False,
    )

    def clean_role(self):
        return self.cleaned_data["role"] or Role.CLIENT_USER


def apply_domain_error(form, exc):
    """Show a service's refusal on the field it names, or above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
