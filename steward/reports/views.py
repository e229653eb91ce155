from django.http import HttpResponse
from django.shortcuts import render

from steward.core.decorators import staff_required
from steward.reports import charts, export, queries
from steward.reports.forms import HoursFilterForm


def _download_query(request, *group_by, **extra):
    params = request.GET.copy()
    if group_by:
        params.setlist("group_by", list(group_by))
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


@staff_required
def hours_dashboard(request):
    form = HoursFilterForm(request.GET or {"period": "12m"}, user=request.user)
    context = {"nav": "reports", "form": form, "report": None}
    if not form.is_valid():
        return render(request, "reports/hours.html", context, status=422)
    data = form.cleaned_data
    report = queries.hours_dashboard(request.user, data["start"], data["end"], form.filters())
    bucket = report["bucket"]
    if report["total_hours"]:
        report["charts"] = {
            "work_type": charts.hours_by_work_type(report["by_work_type"], bucket, report["periods"]),
            "trend": charts.reactive_share(report["trend"], bucket, report["periods"]),
            "cost": charts.reactive_cost(report["cost_by_client"][:15]) if report["cost_by_client"] else None,
            "categories": charts.top_reactive(report["categories"], "category", "Top categories by reactive hours")
            if report["categories"] else None,
            "software": charts.top_reactive(report["software"], "software", "Top software by reactive hours")
            if report["software"] else None,
        }
    context["report"] = report
    context["downloads"] = {
        "work_type": _download_query(request, bucket, "work_type"),
        "reactive_cost": _download_query(request, report="reactive_cost"),
        "category": _download_query(request, "category", work_type="reactive"),
        "software": _download_query(request, "software", work_type="reactive"),
        "interruptions": _download_query(request, report="interruptions"),
    }
    return render(request, "reports/hours.html", context)


# CSV downloads of the dashboard's sections that are not plain grouped hours: query and columns.
TABLES = {
    "reactive_cost": (queries.reactive_cost_by_client, ["client_id", "client", "hours", "entries", "rate", "cost"]),
    "interruptions": (
        queries.interruptions,
        ["technician_id", "technician", "project_days", "interruptions", "per_day", "hours_lost"],
    ),
}


@staff_required
def hours_export(request):
    form = HoursFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=422, content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    filters = {**form.filters(), "work_type": request.GET.get("work_type") or None}
    name = request.GET.get("report")
    if name in TABLES:
        query, columns = TABLES[name]
        rows = query(request.user, data["start"], data["end"], filters=filters)
        report = {"period": queries.period(data["start"], data["end"]).as_dict(), "rows": rows}
        return export.csv_response(report, name.replace("_", "-"), columns=columns)
    try:
        report = queries.hours_report(
            request.user, start=data["start"], end=data["end"], group_by=request.GET.getlist("group_by"),
            filters=filters,
        )
    except queries.ReportError as error:
        return HttpResponse(f"{error.field}: {error.message}", status=422, content_type="text/plain; charset=utf-8")
    return export.csv_response(report, "hours")
