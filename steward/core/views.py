from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.http import JsonResponse

from steward.core.health import check_health


@require_GET
@never_cache
def healthz(request):
    report = check_health()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
