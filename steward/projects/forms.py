"""Forms of the project pages; they parse input, the services decide what is allowed."""

from django import forms

from steward.accounts.choices import STAFF_ROLES
from steward.accounts.models import User
from steward.clients.models import Client
from steward.projects.choices import ProjectStatus, TaskStatus
from steward.projects.models import Phase, ProjectTemplate, Task
from steward.projects.queries import INTERNAL

DATE = forms.DateInput(attrs={"type": "date"})


def staff_users():
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("first_name", "last_name", "username")


class ProjectFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Open projects"), ("all", "All"), *ProjectStatus.choices])
    client = forms.ChoiceField(required=False)
    owner = forms.ModelChoiceField(required=False, queryset=User.objects.none(), empty_label="Anyone")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        clients = Client.objects.visible_to(user).order_by("name").values_list("pk", "name")
        self.fields["client"].choices = [("", "All clients"), (INTERNAL, "Internal"), *clients]
        self.fields["owner"].queryset = staff_users()


DEFAULT_RISK_THRESHOLD = 70


class ProjectForm(forms.Form):
    template = forms.ModelChoiceField(
        required=False, queryset=ProjectTemplate.objects.none(), empty_label="Blank project",
        help_text="Copies the template's phases, tasks, estimates and dependencies.",
    )
    name = forms.CharField(max_length=200)
    client = forms.ModelChoiceField(required=False, queryset=Client.objects.none(), empty_label="Internal project")
    owner = forms.ModelChoiceField(required=False, queryset=User.objects.none(), empty_label="Nobody yet")
    assignee = forms.ModelChoiceField(
        required=False, queryset=User.objects.none(), empty_label="Nobody yet",
        help_text="Assign every task from the template to this technician.",
    )
    status = forms.ChoiceField(choices=ProjectStatus.choices, initial=ProjectStatus.PLANNED)
    starts_on = forms.DateField(required=False, widget=DATE, label="Starts on")
    deadline = forms.DateField(required=False, widget=DATE)
    risk_threshold = forms.IntegerField(
        required=False, min_value=1, max_value=99, initial=70, label="Warn the owner below (%)",
        help_text="When the chance of meeting the deadline drops below this, the owner is emailed.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_risk_threshold(self):
        return self.cleaned_data["risk_threshold"] or DEFAULT_RISK_THRESHOLD

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.visible_to(user).order_by("name")
        self.fields["owner"].queryset = staff_users()
        self.fields["assignee"].queryset = staff_users()
        self.fields["template"].queryset = ProjectTemplate.objects.visible_to(user)
        if editing:
            del self.fields["template"], self.fields["assignee"]


class TaskForm(forms.Form):
    name = forms.CharField(max_length=200)
    phase = forms.ModelChoiceField(required=False, queryset=Phase.objects.none(), empty_label="No phase")
    assignee = forms.ModelChoiceField(required=False, queryset=User.objects.none(), empty_label="Nobody yet")
    estimate_hours = forms.DecimalField(required=False, min_value=0, max_digits=7, decimal_places=2, label="Estimate (h)")
    status = forms.ChoiceField(choices=TaskStatus.choices, initial=TaskStatus.TODO)
    starts_on = forms.DateField(required=False, widget=DATE, label="Start")
    due_on = forms.DateField(required=False, widget=DATE, label="Due")
    depends_on = forms.ModelMultipleChoiceField(
        required=False, queryset=Task.objects.none(), label="Depends on",
        help_text="Tasks that must be finished before this one starts.",
    )

    def __init__(self, *args, project, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.order_by("position", "id")
        self.fields["assignee"].queryset = staff_users()
        others = project.tasks.order_by("position", "id")
        self.fields["depends_on"].queryset = others.exclude(pk=task.pk) if task else others
        self.fields["depends_on"].widget.attrs["size"] = 4


class PhaseForm(forms.Form):
    name = forms.CharField(max_length=200)


class ReEstimateForm(forms.Form):
    remaining_hours = forms.DecimalField(min_value=0, max_digits=7, decimal_places=2, label="Hours still to do")


class LinkTicketForm(forms.Form):
    number = forms.IntegerField(min_value=1, label="Ticket #")
