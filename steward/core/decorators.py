"""View decorators shared by the staff-side apps."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect


def staff_required(view=None, *, client_side_url=None):
    """Signed-in staff only. Signed-out visitors go to sign in; a client's people get 404
    (as if the page did not exist), or are sent to ``client_side_url`` (their portal) when given."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_staff_member:
                if client_side_url:
                    return redirect(client_side_url)
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorate(view) if view is not None else decorate
