from django import template
from django.utils import timezone

from steward.work.forms import format_minutes

register = template.Library()


@register.filter
def hm(minutes):
    """90 → "1:30"; zero stays empty so a blank cell means no time."""
    return format_minutes(minutes)


@register.filter
def hours_hm(hours):
    """7.5 hours → "7:30"."""
    return format_minutes(round(float(hours or 0) * 60)) or "0:00"


@register.filter
def at(sequence, index):
    return sequence[index]


@register.filter
def elapsed(started_at):
    """How long ago ``started_at`` was, as "1:05" (hours:minutes)."""
    seconds = max(0, int((timezone.now() - started_at).total_seconds()))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}"
