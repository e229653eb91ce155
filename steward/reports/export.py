"""CSV downloads of the reports: the same rows the API returns, one column per field."""

import csv

from django.http import HttpResponse


def csv_response(report: dict, name: str, columns=None) -> HttpResponse:
    """The report's rows as a CSV attachment named after the report and its period.

    ``columns``: the header to write (else the rows' keys, or the grouping when there are no rows).
    """
    period = report["period"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{period["start"]}-{period["end"]}.csv"'
    columns = columns or list(dict.fromkeys(column for row in report["rows"] for column in row))
    if not columns:
        columns = [*report["group_by"], "hours", "entries"]
    writer = csv.DictWriter(response, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in report["rows"])
    return response


def _cell(value):
    # A name starting with = + - @ would run as a formula when the file is opened in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
