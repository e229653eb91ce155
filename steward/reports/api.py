"""REST endpoint of the hours report (staff only: client-side users get an empty report)."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from steward.core.api import READ_ERRORS
from steward.reports import export, queries

router = Router(tags=["reports"])


class HoursQuery(Schema):
    start: dt.date | None = Field(None, description="First day (YYYY-MM-DD); default: 12 months before `end`.")
    end: dt.date | None = Field(None, description="Last day, included (YYYY-MM-DD); default: today.")
    group_by: list[str] = Field(
        ["work_type"], description=f"One or two of: {', '.join(queries.GROUPS)}. Repeat the parameter for two."
    )
    technician: int | None = Field(None, description="Only this technician's hours (user id).")
    client: int | None = Field(None, description="Only this client's hours (client id).")
    work_type: str | None = Field(None, description="Only this work type: reactive, proactive, project or admin.")
    billable: bool | None = Field(None, description="Only billable (true) or non-billable (false) hours.")
    format: str = Field("json", pattern="^(json|csv)$", description="json, or csv (also sent for Accept: text/csv).")


class HoursPeriod(Schema):
    start: dt.date
    end: dt.date


class HoursReportOut(Schema):
    period: HoursPeriod
    group_by: list[str]
    rows: list[dict] = Field(description="One row per group: the group's values, then `hours` and `entries`.")
    total_hours: float


@router.get(
    "/reports/hours",
    response={200: HoursReportOut, **READ_ERRORS},
    summary="Hours report: where the hours go",
    description=(
        "Hours and entry counts over a period, grouped by one or two of work_type, technician, client, category, "
        "software, week (ISO, e.g. 2026-W08) or month, in the provider's timezone. "
        "`format=csv` (or `Accept: text/csv`) answers CSV."
    ),
)
def hours_report(request, filters: Query[HoursQuery]):
    end = filters.end or timezone.localdate()
    start = filters.start or end - dt.timedelta(days=364)
    criteria = {name: getattr(filters, name) for name in queries.FILTERS}
    report = queries.hours_report(request.user, start=start, end=end, group_by=filters.group_by, filters=criteria)
    if filters.format == "csv" or "text/csv" in request.headers.get("Accept", ""):
        return export.csv_response(report, "hours")
    return report
