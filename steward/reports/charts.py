"""The hours dashboard's charts: pygal SVG rendered on the server and inlined in the page (no script)."""

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

from steward.work.choices import WorkType

BASE_STYLE = {
    "background": "transparent",
    "plot_background": "transparent",
    "foreground": "#39414f",
    "foreground_strong": "#1d2330",
    "foreground_subtle": "#d5dae2",
    "font_family": "system-ui, sans-serif",
    "title_font_size": 16,
    "label_font_size": 11,
    "major_label_font_size": 11,
    "legend_font_size": 12,
    "value_font_size": 10,
    "tooltip_font_size": 12,
}
# One colour per work type, the same in every chart: reactive is the warm one.
WORK_TYPE_COLOURS = {
    WorkType.REACTIVE: "#c2410c",
    WorkType.PROACTIVE: "#15803d",
    WorkType.PROJECT: "#2563eb",
    WorkType.ADMIN: "#6b7280",
}


def _config(chart_class, title, colours=(WORK_TYPE_COLOURS[WorkType.REACTIVE],), **options):
    settings = {
        "width": 900, "height": 360, "margin": 12, "legend_at_bottom": True, "truncate_label": 40,
        "print_zeroes": False, **options,
    }
    # js=[]: pygal would otherwise point the SVG at its tooltip script on a CDN.
    return chart_class(
        title=title, style=Style(colors=tuple(colours), **BASE_STYLE), js=[], disable_xml_declaration=True, **settings
    )


def _svg(chart):
    return mark_safe(chart.render(is_unicode=True))


def hours_by_work_type(rows, bucket, periods):
    """Stacked bars: hours of each work type per week or month (every one of the period)."""
    colours = [WORK_TYPE_COLOURS[work_type] for work_type in WorkType]
    chart = _config(pygal.StackedBar, f"Hours by work type per {bucket}", colours, x_label_rotation=-40,
                    show_minor_x_labels=False, x_labels_major_every=max(1, len(periods) // 13))
    chart.x_labels = periods
    hours = {(row[bucket], row["work_type"]): row["hours"] for row in rows}
    for work_type in WorkType:
        chart.add(work_type.label, [hours.get((period, work_type.value), 0) for period in periods])
    return _svg(chart)


def reactive_share(trend, bucket, periods):
    """A line: the share of all hours that went to reactive work, per week or month (gaps where nothing was logged)."""
    chart = _config(pygal.Line, "Reactive share of hours (%)", range=(0, 100), x_label_rotation=-40,
                    show_minor_x_labels=False, x_labels_major_every=max(1, len(periods) // 13), show_legend=False)
    chart.x_labels = periods
    share = {row[bucket]: row["reactive_share"] for row in trend}
    chart.add("Reactive share", [share.get(period) for period in periods])
    return _svg(chart)


def reactive_cost(rows):
    """Bars: what each client's reactive work cost (hours × their rate)."""
    chart = _config(pygal.Bar, "Reactive cost per client", x_label_rotation=-30, show_legend=False)
    chart.x_labels = [row["client"] for row in rows]
    chart.add("Cost", [row["cost"] for row in rows])
    return _svg(chart)


def top_reactive(rows, name, title):
    """Horizontal bars, largest at the top: reactive hours per category or software."""
    chart = _config(pygal.HorizontalBar, title, show_legend=False, width=520, height=max(200, 60 + 28 * len(rows)))
    ordered = list(reversed(rows))  # pygal draws the first value at the bottom
    chart.x_labels = [row[name] for row in ordered]
    chart.add("Reactive hours", [row["hours"] for row in ordered])
    return _svg(chart)
