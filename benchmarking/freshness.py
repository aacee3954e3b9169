"""Shared pages kept rendered until the data under them changes.

SKR's overview and the results pages look the same to everyone allowed to see them and are
expensive to draw (fifty clusters, three hundred organisations). Their rendered fragments are
cached under a *data token*: a random value that every write to one of our tables replaces.
Writes are seen where SQL is executed (a database execute wrapper on every connection), so a
queryset ``.update()``, a bulk operation, a management command and a Celery worker all count,
not only ``save()``. The token is replaced when a write statement runs (so a later read in
the same transaction, as in a test, misses) and again after its transaction commits: a reader
that takes the token after a commit never finds a fragment drawn before it, so the cache is
never staler than the moment between a commit and its replacement.

A fragment also says until when it holds by the clock (a meeting ending, midnight) and is
keyed by the language and by a stamp of the code and templates that drew it. The cache must be
shared by every process that writes (settings: Redis, or files for the embedded default).
"""

import datetime
import functools
import hashlib
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

TOKEN_KEY = "jambench:data-token"  # noqa: S105  # nosec B105  # a cache key, not a secret
# Belt and braces: no fragment outlives this, whatever the token says.
MAX_AGE = 15 * 60
# The project's own apps feed the cached pages; writes to the others' tables leave the token
# alone (sessions, login attempts, the audit log that accompanies our own writes), and so
# does a login's update of last_login, which no page shows.
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"\[]?(\w+)', re.IGNORECASE)
LOGIN = re.compile(r'\s*UPDATE\s+\S+\s+SET\s+[`"\[]?last_login[`"\]]?\s*=\s*\S+\s+WHERE', re.I)
# Stands for the CSRF token in cached HTML; each response gets its own token in its place.
CSRF_PLACEHOLDER = "jambench-csrf-token-placeholder"
ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def watched_tables() -> frozenset[str]:
    """Tables of the apps in this repository (a new app is watched without a word here)."""
    return frozenset(
        model._meta.db_table
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and "site-packages" not in Path(config.path).parts
        for model in config.get_models(include_auto_created=True)
    )


@functools.cache
def namespace() -> str:
    """Keys name the database: two sites (or a site and a benchmark) sharing one cache must
    not see each other's token or pages."""
    database = settings.DATABASES["default"]
    where = f"{database['ENGINE']}:{database.get('HOST', '')}:{database.get('PORT', '')}"
    return hashlib.sha256(f"{where}:{database['NAME']}".encode()).hexdigest()[:12]


def _token_key() -> str:
    return f"{TOKEN_KEY}:{namespace()}"


def _replace_token() -> None:
    cache.set(_token_key(), uuid.uuid4().hex, None)


def data_changed() -> None:
    """Give the data a new token: every fragment cached so far is out of date.

    An unreachable cache must not stop the write. Its fragments then still hang under the old
    token, so the replacement is retried in the background until the cache answers, and
    meanwhile this process draws every page itself. While a retry is pending a write does
    not wait on the cache itself: it only asks the retry for one more replacement.
    """
    if _ask_for_retry_if_pending():
        return
    try:
        _replace_token()
    except Exception:  # noqa: BLE001 - any failure of the cache backend
        logger.warning("Could not replace the data token; retrying", exc_info=True)
        _retry_replacement()


RETRY_SECONDS = 0.5
_retry_lock = threading.Lock()
_retrying = False  # set and cleared under the lock, not read off the thread's life
# Writes whose replacement of the token has not reached the cache; the retry ends only after
# a replacement that began after the last of them.
_unreplaced = 0


def replacement_pending() -> bool:
    """A write's replacement of the token has not reached the cache yet (in this process)."""
    return _retrying


def _ask_for_retry_if_pending() -> bool:
    global _unreplaced
    with _retry_lock:
        if _retrying:
            _unreplaced += 1
        return _retrying


def _retry_replacement() -> None:
    global _retrying, _unreplaced
    with _retry_lock:
        _unreplaced += 1
        if not _retrying:
            _retrying = True
            threading.Thread(
                target=_replace_when_the_cache_answers, name="data-token-retry", daemon=True
            ).start()


def _replace_when_the_cache_answers() -> None:
    global _retrying, _unreplaced
    while True:
        time.sleep(RETRY_SECONDS)
        with _retry_lock:
            covered = _unreplaced
        try:
            _replace_token()
        except Exception:  # noqa: BLE001 - still unreachable: try again
            logger.debug("The cache is still unreachable", exc_info=True)
            continue
        with _retry_lock:
            _unreplaced -= covered
            if _unreplaced == 0:  # no write came after this replacement began
                _retrying = False
                logger.info("The data token was replaced after the cache came back")
                return


def data_token() -> str | None:
    """The current token; None when the cache keeps nothing (then nothing can be cached)."""
    token = cache.get(_token_key())
    if token is None:
        cache.add(_token_key(), uuid.uuid4().hex, None)
        token = cache.get(_token_key())
    return token


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: a write to a watched table replaces the token now and after commit."""
    result = execute(sql, params, many, context)
    match = WRITE.match(sql) if isinstance(sql, str) else None
    if match and match.group(1) in watched_tables() and not LOGIN.match(sql):
        data_changed()
        connection = context["connection"]
        if connection.in_atomic_block:
            pending = [func for _sids, func, _robust in connection.run_on_commit]
            if data_changed not in pending:
                transaction.on_commit(data_changed, using=connection.alias)
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: every connection reports its writes."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


@functools.cache
def code_stamp() -> str:
    """Changes when a deployment changes what a fragment would look like (code, templates,
    translations): the cache may outlive the processes that filled it."""
    digest = hashlib.sha256()
    for pattern in ("*/*.py", "*/*/*.py", "templates/**/*.html", "locale/*/LC_MESSAGES/*.mo"):
        for path in sorted(ROOT.glob(pattern)):
            if ".venv" in path.parts:
                continue
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def next_midnight(now: datetime.datetime) -> datetime.datetime:
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def cached_fragment(
    name: str,
    parts: tuple,
    build: Callable[[], tuple[str, datetime.datetime | None]],
) -> str:
    """The fragment ``name`` for ``parts`` (everything besides the data and the language that
    it depends on), drawn by ``build`` when it is not cached for the current data token.
    ``build`` returns the HTML and the moment it stops holding by the clock (or None)."""
    if not settings.FRAGMENT_CACHE or replacement_pending():
        return build()[0]
    try:
        token = data_token()
    except Exception:  # an unreachable cache: draw it every time rather than fail the page
        logger.warning("Cache unavailable; drawing %s uncached", name, exc_info=True)
        token = None
    if token is None:
        return build()[0]
    key = ":".join(
        ["jambench:fragment", namespace(), name, *map(str, parts)]
        + [get_language(), code_stamp(), token]
    )
    now = timezone.now()
    hit = cache.get(key)
    if hit is not None:
        valid_until, html = hit
        if valid_until is None or now < valid_until:
            return html
    html, valid_until = build()
    timeout = MAX_AGE
    if valid_until is not None:
        timeout = max(1, min(MAX_AGE, int((valid_until - now).total_seconds()) + 1))
    cache.set(key, (valid_until, html), timeout)
    return html


def cached_content(
    template: str,
    parts: tuple,
    draw: Callable[[], tuple[dict, datetime.datetime | None]],
    *,
    request=None,
    partial: str = "content",
) -> str:
    """A partial of ``template`` (``content`` unless named), cached as above. ``draw`` returns
    its context and the moment it stops holding by the clock; it runs only when the cache has
    nothing. With ``request``, forms in the partial carry that request's CSRF token."""

    def build():
        context, valid_until = draw()
        if request is not None:
            context = {**context, "csrf_token": CSRF_PLACEHOLDER}
        return render_to_string(f"{template}#{partial}", context), valid_until

    html = cached_fragment(f"{template}#{partial}", parts, build)
    if request is not None:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308  # nosec B308, B703  # our own rendered template
