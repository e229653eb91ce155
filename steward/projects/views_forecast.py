import datetime as dt
import re
from decimal import Decimal

import pygal
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from pygal.style import Style

from steward.accounts.models import User
from steward.core.decorators import staff_required
from steward.core.exceptions import DomainError
from steward.core.htmx import is_partial, render_page
from steward.projects import early_warning, forecasting, scenarios
from steward.projects.choices import OPEN_PROJECT_STATUSES, TaskStatus
from steward.projects.forecast.engine import CAPACITY_URL
from steward.projects.models import Project, Scenario, Task

# "Time → Capacity (/time/capacity/)" in an explanation becomes a link; only paths of this site.
PLACE_WITH_PATH = re.compile(r"([A-Z]\w*(?: [A-Z]\w*)* → [A-Z]\w*(?: [A-Z]\w*)*) \((/[^\s()]*)\)")
# Places named without their path.
FIX_PLACES = {"Time → Capacity": CAPACITY_URL}
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
CHART_STYLE = Style(
    background="transparent", plot_background="transparent", colors=("#2f6f4f", "#b3412f"),
    font_family="inherit", title_font_size=14, label_font_size=11, legend_font_size=11,
)


# --- Forecast panel and projects at risk ---------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def forecast_panel(request, project_id: int):
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("client"), pk=project_id)
    forecast = forecasting.latest_forecast(project)
    # A closed project gets no forecast: do not rerun the whole portfolio on every view of it.
    if request.method == "POST" or (forecast is None and project.status in OPEN_PROJECT_STATUSES):
        forecasting.refresh_forecasts()
        forecast = forecasting.latest_forecast(project)
    if request.method == "POST" and not is_partial(request):
        return redirect(f"/projects/{project.pk}/")
    context = {"project": project, "forecast": forecast, "nav": "projects"}
    if forecast is not None:
        context |= {
            "explanations": [explanation_html(text) for text in forecast.explanations or ()],
            "chart": distribution_chart(project, forecast.distribution),
            "weeks": weekly_distribution(project, forecast.distribution),
            "risk": risk_level(project, forecast.probability_on_time),
        }
    return render_page(request, "projects/forecast_page.html", "projects/_forecast.html", context)


def risk_level(project, chance) -> str:
    if chance is None:
        return "unknown"
    if chance < project.risk_threshold / 100:
        return "bad"
    return "warn" if chance < (100 + project.risk_threshold) / 200 else "good"


def explanation_html(text: str):
    """The explanation as HTML, with the places it names to fix things as links."""
    html, last = [], 0
    for match in PLACE_WITH_PATH.finditer(text):
        html.append(escape(text[last : match.start()]))
        html.append(format_html('<a href="{}">{}</a>', match[2], match[1]))
        last = match.end()
    rest = escape(text[last:])
    for place, url in FIX_PLACES.items():
        rest = rest.replace(escape(place), format_html('<a href="{}">{}</a>', url, place))
    return mark_safe("".join(html) + rest)


def weekly_distribution(project, distribution) -> list[dict]:
    """Share of simulations finishing each week (from Monday), split at the deadline."""
    weeks = {}
    for day, share in distribution or ():
        day = dt.date.fromisoformat(day)
        week = weeks.setdefault(day - dt.timedelta(days=day.weekday()), {"on_time": 0.0, "late": 0.0})
        week["late" if project.deadline and day > project.deadline else "on_time"] += share
    return [{"week": week, **shares} for week, shares in sorted(weeks.items())]


def distribution_chart(project, distribution) -> str:
    weeks = weekly_distribution(project, distribution)
    if not weeks:
        return ""
    deadline = f" (deadline {project.deadline:%-d %b %Y})" if project.deadline else ""
    chart = pygal.StackedBar(
        title=f"When {project.name} finishes{deadline}", style=CHART_STYLE, js=[], height=300,
        disable_xml_declaration=True, x_label_rotation=40, show_minor_x_labels=False, legend_at_bottom=True,
        value_formatter=lambda share: f"{share:.0%}", truncate_label=-1,
    )
    chart.x_labels = [f"{row['week']:%-d %b}" for row in weeks]
    chart.x_labels_major = chart.x_labels[:: max(1, len(weeks) // 8)]
    if project.deadline:
        chart.add("By the deadline", [row["on_time"] or None for row in weeks])
        chart.add("After the deadline", [row["late"] or None for row in weeks])
    else:
        chart.add("Share of simulations", [row["on_time"] or None for row in weeks])
    # pygal always embeds its config for a tooltip script we do not load; the chart needs no JS.
    return mark_safe(SCRIPT.sub("", chart.render(is_unicode=True)))


@staff_required
def at_risk(request):
    context = {"rows": early_warning.projects_at_risk(request.user), "nav": "projects"}
    return render_page(request, "projects/at_risk_page.html", "projects/at_risk.html", context)


# --- What-if ---------------------------------------------------------------------------------


class WhatIfForm(forms.Form):
    reactive_percent = forms.IntegerField(
        label="Reduce reactive load by (%)", required=False, min_value=1, max_value=95
    )
    reactive_technician = forms.ChoiceField(label="Whose reactive load", required=False)
    extra_hours = forms.DecimalField(
        label="Add hours per week", required=False, min_value=Decimal("0.5"), max_value=80, decimal_places=1
    )
    extra_for = forms.ChoiceField(label="Given to", required=False)
    extra_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(label="Move the deadline to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reassign_task = forms.ChoiceField(label="Reassign task", required=False)
    reassign_to = forms.ChoiceField(label="Reassign to", required=False)
    name = forms.CharField(label="Scenario name", required=False, max_length=200)

    def __init__(self, *args, project=None, technicians=(), tasks=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.projects = list(projects)
        people = [(str(user.pk), user.display_name) for user in technicians]
        self.fields["reactive_technician"].choices = [("", "everyone"), *people]
        self.fields["extra_for"].choices = [("", "—"), *people, (scenarios.CONTRACTOR, "a new contractor")]
        self.fields["reassign_task"].choices = [("", "—"), *((str(task.pk), _task_label(task)) for task in tasks)]
        self.fields["reassign_to"].choices = [("", "—"), *people, (scenarios.CONTRACTOR, "a contractor")]
        if project is None:
            del self.fields["deadline"]
        for rank, other in enumerate(self.projects, start=1):
            self.fields[f"order_{other.pk}"] = forms.IntegerField(
                label=other.name, required=False, min_value=1, initial=rank
            )

    @property
    def priority_fields(self):
        return [self[f"order_{other.pk}"] for other in self.projects]

    def clean(self):
        data = super().clean()
        if data.get("extra_hours") and not data.get("extra_for"):
            self.add_error("extra_for", "Pick who gets the extra hours.")
        if data.get("reassign_task") and not data.get("reassign_to"):
            self.add_error("reassign_to", "Pick who takes the task over.")
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {}
        if data.get("reactive_percent"):
            share = data["reactive_percent"] / 100
            who = data.get("reactive_technician")
            changes["reactive_reduction"] = {"share": share, "technician": int(who)} if who else share
        if data.get("extra_hours") and data.get("extra_for"):
            who = data["extra_for"]
            changes["extra_capacity"] = [{
                "technician": None if who == scenarios.CONTRACTOR else int(who),
                "name": "Contractor", "hours_per_week": float(data["extra_hours"]),
                "from": (data.get("extra_from") or timezone.localdate()).isoformat(),
            }]
        if self.project is not None and data.get("deadline") and data["deadline"] != self.project.deadline:
            changes["deadlines"] = {self.project.pk: data["deadline"].isoformat()}
        current = [other.pk for other in self.projects]
        # A blank position keeps the project where it was; ties keep the current order.
        wanted = sorted(current, key=lambda pk: (data.get(f"order_{pk}") or current.index(pk) + 1, current.index(pk)))
        if wanted != current:
            changes["priority_order"] = wanted
        if data.get("reassign_task") and data.get("reassign_to"):
            to = data["reassign_to"]
            changes["reassign"] = {int(data["reassign_task"]): to if to == scenarios.CONTRACTOR else int(to)}
        return changes


def _task_label(task) -> str:
    who = task.assignee.display_name if task.assignee else "unassigned"
    return f"{task.project.name}: {task.name} ({who})"


def _what_if_form(request, project, data=None):
    projects = scenarios.open_projects(request.user)
    tasks = Task.objects.visible_to(request.user).exclude(status=TaskStatus.DONE).filter(
        project__in=projects if project is None else [project]
    ).select_related("project", "assignee")
    initial = {"deadline": project.deadline} if project is not None else None
    return WhatIfForm(
        data, initial=initial, project=project, technicians=User.objects.staff().order_by("first_name", "username"),
        tasks=tasks, projects=projects,
    )


def _what_if_context(request, project, form, **extra):
    saved = Scenario.objects.visible_to(request.user).select_related("created_by", "applied_by")
    saved = saved.filter(project=project) if project is not None else saved.filter(Q(project=None))
    return {"project": project, "form": form, "scenarios": saved, "nav": "projects", **extra}


def _render_what_if(request, project, form, **extra):
    context = _what_if_context(request, project, form, **extra)
    return render_page(request, "projects/what_if.html", "projects/what_if_panel.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def what_if(request, project_id: int | None = None):
    project = None
    if project_id is not None:
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)
    if request.method == "GET":
        return _render_what_if(request, project, _what_if_form(request, project))
    form = _what_if_form(request, project, request.POST)
    extra = {}
    if form.is_valid():
        try:
            changes = form.changes()
            extra["rows"] = _with_explanations(scenarios.compare(request.user, changes, project))
            if "save" in request.POST:
                if not form.cleaned_data["name"].strip():
                    raise scenarios.ScenarioError("Give the scenario a name to save it.", field="name")
                saved = scenarios.save_scenario(request.user, name=form.cleaned_data["name"], changes=changes, project=project)
                extra["notice"] = f"Saved “{saved.name}”."
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return _render_what_if(request, project, form, **extra)


def _with_explanations(rows):
    for row in rows:
        row["explanations"] = [explanation_html(text) for text in row["scenario"].explanations]
    return rows


def _scenario(request, scenario_id):
    return get_object_or_404(Scenario.objects.visible_to(request.user).select_related("project"), pk=scenario_id)


@staff_required
@require_POST
def rerun_scenario(request, scenario_id: int):
    scenario = _scenario(request, scenario_id)
    extra = {"rerun": scenario}
    try:
        extra["rows"] = _with_explanations(scenarios.compare(request.user, scenario.changes, scenario.project))
    except DomainError as exc:
        extra["problem"] = exc.message
    return _render_what_if(request, scenario.project, _what_if_form(request, scenario.project), **extra)


@staff_required
@require_POST
def apply_scenario(request, scenario_id: int):
    scenario = _scenario(request, scenario_id)
    extra = {}
    try:
        extra["not_applied"] = scenarios.apply_scenario(scenario, request.user)
        extra["notice"] = f"Applied “{scenario.name}” to the plan; the forecasts are being recomputed."
    except DomainError as exc:
        extra["problem"] = exc.message
    if not is_partial(request):
        messages.info(request, extra.get("notice") or extra["problem"])
        for sentence in extra.get("not_applied", ()):
            messages.warning(request, sentence)
        return redirect(_what_if_url(scenario.project))
    return _render_what_if(request, scenario.project, _what_if_form(request, scenario.project), **extra)


@staff_required
@require_POST
def delete_scenario(request, scenario_id: int):
    scenario = _scenario(request, scenario_id)
    project = scenario.project
    extra = {}
    try:
        scenarios.delete_scenario(scenario, request.user)
        extra["notice"] = f"Deleted “{scenario.name}”."
    except DomainError as exc:
        extra["problem"] = exc.message
    if not is_partial(request):
        return redirect(_what_if_url(project))
    return _render_what_if(request, project, _what_if_form(request, project), **extra)


def _what_if_url(project) -> str:
    return f"/projects/{project.pk}/what-if/" if project is not None else "/projects/what-if/"
