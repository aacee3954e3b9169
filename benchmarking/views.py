from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from .celery import app as celery_app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        return True
    except Exception:  # noqa: BLE001
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    status = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(status.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if ok else "unavailable" for name, ok in status.items()},
        },
        status=200 if healthy else 503,
    )


@login_not_required
@never_cache
@require_GET
def livez(request):
    """Liveness: the process answers requests, nothing else is checked (a container
    orchestrator restarts on failure here, and waits on /healthz/ for the services)."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, remembering the choice on the account for mails too."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response


def file_response(generated) -> HttpResponse:
    """A generated document ``(filename, content type, bytes)`` as a download."""
    filename, content_type, content = generated
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
