"""How django-axes names the account behind a login attempt."""

from django.conf import settings


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The address as we store it (trimmed, lower-cased), so every spelling shares one count.

    Logging in ignores letter case (``UserManager.get_by_natural_key``); if the lockout did
    not, each spelling of an address would get its own failures and its own lockout.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username
