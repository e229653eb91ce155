"""One view, full page or htmx partial (as NetBox does)."""

from django.shortcuts import render


def is_partial(request) -> bool:
    """True for an htmx request that wants only a fragment, not a boosted full-page load."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def render_page(request, template, partial_template, context, **kwargs):
    """Render the full page, or only ``partial_template`` when htmx asks for a fragment."""
    return render(request, partial_template if is_partial(request) else template, context, **kwargs)
