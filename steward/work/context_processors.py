from django.utils.functional import SimpleLazyObject

from steward.work import queries


def running_timer(request):
    """The signed-in technician's running timer for the top bar; looked up only when a template asks."""
    user = getattr(request, "user", None)
    return {"running_timer": SimpleLazyObject(lambda: queries.running_timer(user))}
