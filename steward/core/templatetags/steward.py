"""Small presentation helpers shared by every page: times, badges, durations."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def reltime(value):
    """'3 hours ago' with the exact time on hover and in the machine-readable attribute."""
    if not value:
        return "—"
    now = timezone.now()
    local = timezone.localtime(value)
    exact = date_format(local, "DATETIME_FORMAT")
    if value <= now:
        text = f"{timesince(value, now).split(',')[0]} ago"
    else:
        text = f"in {timesince(now, value).split(',')[0]}"
    if text.startswith("0\xa0minutes"):
        text = "just now"
    return format_html('<time datetime="{}" title="{}">{}</time>', local.isoformat(), exact, text)


@register.simple_tag
def status_badge(ticket):
    return format_html(
        '<span class="badge status-{}">{}</span>', ticket.status.replace("_", "-"), ticket.get_status_display()
    )


@register.simple_tag
def priority_badge(ticket):
    return format_html('<span class="badge prio-{}" title="Priority">P{}</span>', ticket.priority, ticket.priority)


@register.filter
def minutes(value):
    """90 → '1 h 30 min'."""
    if value in (None, ""):
        return "—"
    value = int(value)
    hours, mins = divmod(value, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


@register.filter
def inline_images(attachments):
    """An email's inline (cid:) images among ``attachments``: shown as pictures under the message."""
    return [a for a in attachments or () if getattr(a, "is_inline_image", False)]


@register.filter
def file_attachments(attachments):
    """The attachments listed as files: everything but the inline images shown as pictures."""
    return [a for a in attachments or () if not getattr(a, "is_inline_image", False)]
