"""Early warning: tell a project's owner when its deadline comes at risk, and list the projects at risk.

``check`` runs after every new forecast. It warns once when the chance of meeting the
deadline crosses below the project's threshold, and again only on a further sharp drop,
so an owner whose project stays at risk is not emailed on every refresh.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import OuterRef, Subquery
from huey.contrib.djhuey import db_task

from steward.core import events
from steward.projects.choices import OPEN_PROJECT_STATUSES, ProjectEvent
from steward.projects.models import Forecast, ForecastSettings, Project

logger = logging.getLogger(__name__)

# Above this share of the delay, reactive work (not the planned work itself) is named as the main cause.
REACTIVE_CAUSE_SHARE = 0.5


def check(project: Project, previous: Forecast | None, latest: Forecast) -> str | None:
    """Warn the owner if ``latest`` puts the deadline at risk; returns the reason given, or None."""
    chance = latest.probability_on_time
    if chance is None:
        return None
    before = previous.probability_on_time if previous is not None else None
    threshold = project.risk_threshold / 100
    crossed = chance < threshold and (before is None or before >= threshold)
    # Points are compared as shown to people (rounded percentages), so "82% → 67%" is a 15-point drop.
    fell = before is not None and round(before * 100) - round(chance * 100) >= ForecastSettings.current().sharp_drop_points
    if not (crossed or fell):
        return None
    reason = risk_reason(project, previous, latest)
    events.publish(ProjectEvent.DEADLINE_AT_RISK, project=project, forecast=latest, reason=reason)
    if project.owner_id is not None:
        transaction.on_commit(lambda: send_risk_warning_task(project.pk, latest.pk, reason))
    return reason


def risk_reason(project: Project, previous: Forecast | None, latest: Forecast) -> str:
    """The warning in words: what changed, the main cause, the bottleneck and the new P90."""
    name = f"{project.name} for {project.client.name}" if project.client_id else project.name
    deadline = _day(project.deadline) if project.deadline else "the deadline"
    now = percent(latest.probability_on_time)
    if previous is not None and previous.probability_on_time is not None:
        change = f"fell from {percent(previous.probability_on_time)} to {now}"
    else:
        change = f"is {now}, below the {project.risk_threshold}% you set"
    parts = [f"{name}: chance of meeting {deadline} {change}."]
    cause = main_cause(latest)
    if cause:
        parts.append(f"Main cause: {cause}.")
    if latest.p90_date:
        parts.append(f"P90 now {_day(latest.p90_date)}.")
    return " ".join(parts)


def main_cause(forecast: Forecast) -> str:
    """Reactive load or the planned work itself, with the bottleneck and the engine's own words about them."""
    who = forecast.bottleneck.display_name if forecast.bottleneck_id else ""
    share = forecast.reactive_delay_share
    if share is not None and share >= REACTIVE_CAUSE_SHARE:
        owner = f"{who}'s reactive load" if who else "reactive work"
        cause = f"{owner} ({percent(share)} of the delay)"
    elif who:
        cause = "the planned work left"
    else:
        return ""
    # The engine's explanation about the bottleneck says what is unusual (e.g. a reactive share far above normal).
    detail = next((text for text in forecast.explanations or () if who and who in text), "")
    if detail:
        cause = f"{cause}: {detail.rstrip('.')}"
    if who:
        cause = f"{cause}; bottleneck: {who}"
    return cause


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}"


@db_task(retries=3, retry_delay=300)
def send_risk_warning_task(project_id: int, forecast_id: int, reason: str):
    """Email the warning to the project's owner; runs after commit, so a mail failure never undoes a forecast."""
    project = Project.objects.select_related("owner").filter(pk=project_id).first()
    if project is None or project.owner is None or not project.owner.email:
        return
    forecast = Forecast.objects.filter(pk=forecast_id).first()
    lines = [reason, ""]
    if forecast is not None and forecast.explanations:
        lines += ["What the forecast assumed:", *(f"- {text}" for text in forecast.explanations), ""]
    lines.append(f"Open the project: {settings.SITE_URL}/projects/{project.pk}/")
    send_mail(
        subject=f"Deadline at risk: {project.name}",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[project.owner.email],
    )
    logger.info("deadline warning for project %s sent to its owner", project_id)


def projects_at_risk(user):
    """Open projects the user may see whose latest forecast is below their threshold, least likely first."""
    latest = Forecast.objects.filter(project=OuterRef("pk")).order_by("-computed_at", "-id")
    projects = (
        Project.objects.visible_to(user)
        .filter(status__in=OPEN_PROJECT_STATUSES)
        .annotate(latest_forecast_id=Subquery(latest.values("pk")[:1]))
        .exclude(latest_forecast_id=None)
        .select_related("client", "owner")
    )
    forecasts = Forecast.objects.select_related("bottleneck").in_bulk(
        [project.latest_forecast_id for project in projects]
    )
    rows = []
    for project in projects:
        forecast = forecasts[project.latest_forecast_id]
        chance = forecast.probability_on_time
        if chance is not None and chance < project.risk_threshold / 100:
            rows.append({"project": project, "forecast": forecast, "cause": main_cause(forecast)})
    return sorted(rows, key=lambda row: row["forecast"].probability_on_time)
