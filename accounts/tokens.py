"""One-time login links.

A link carries a signed (user id, last login) pair: it stops working as soon as the person
has logged in once (last_login changes), and after a maximum age in any case. People who
have never logged in (new invitees) get the longer invitation age.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing

SALT = "accounts.login-link"


def _login_stamp(user) -> str:
    return user.last_login.isoformat(timespec="seconds") if user.last_login else ""


def make_login_token(user) -> str:
    return signing.dumps({"u": user.pk, "l": _login_stamp(user)}, salt=SALT, compress=True)


def user_for_login_token(token: str):
    """Return the active user the token was made for, or None if invalid, expired or used."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.INVITATION_LINK_MAX_AGE)
        if payload.get("l"):
            signing.loads(token, salt=SALT, max_age=settings.LOGIN_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or _login_stamp(user) != payload.get("l"):
        return None
    return user
