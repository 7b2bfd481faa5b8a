from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ops import health


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the evidence storage answer, else 503; `?full=1` adds workers and jobs.

    For load balancers and monitoring: JSON, no login, nothing about any agency's data.
    """
    healthy, body = health.report(full=request.GET.get("full") == "1")
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
