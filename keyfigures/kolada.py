"""A small client for Kolada's public REST API (v2), the key figures of Swedish
municipalities and regions.

Endpoints used: ``kpi?title=…`` and ``kpi/{id}`` (the catalogue), and
``data/kpi/{kpi}/municipality/{id}/year/{y1,y2,…}`` (values per year for women ``K``, men
``M`` and the total ``T``; Kolada's documentation once wrote men as ``F``, which is accepted).
Every call has a timeout, retries temporary failures (connection errors, 5xx) with a short
backoff, follows ``next_page`` and is cached. Errors become ``KoladaError`` with a message for
the user; nothing here writes to the database.
"""

import hashlib
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

DEFAULT_BASE_URL = "https://api.kolada.se/v2/"
TIMEOUT_SECONDS = (3.05, 10)
RETRIES = 2
BACKOFF_SECONDS = 0.5
MAX_PAGES = 20
# All attempts of one call together stay well inside a web request's time.
BUDGET_SECONDS = 20
CATALOGUE_CACHE_SECONDS = 24 * 3600
DATA_CACHE_SECONDS = 3600
GENDERS = {"K": "K", "M": "M", "F": "M", "T": "T"}


class KoladaError(Exception):
    """Kolada could not answer; the message says what to do."""


@dataclass(frozen=True)
class KpiInfo:
    id: str
    title: str
    description: str
    unit: str
    is_divided_by_gender: bool
    operating_area: str


@dataclass(frozen=True)
class DataPoint:
    kpi: str
    municipality: str
    year: int
    gender: str  # K, M or T
    value: float | None


def _base_url() -> str:
    return getattr(settings, "KOLADA_BASE_URL", DEFAULT_BASE_URL).rstrip("/") + "/"


def _not_data() -> KoladaError:
    return KoladaError(_("Kolada answered with something that is not data."))


def _entries(page: dict) -> list:
    values = page.get("values") or []
    if not isinstance(values, list):
        raise _not_data()
    return values


def _get(url: str, session=None) -> dict:
    """GET a Kolada URL as JSON, retrying temporary failures."""
    http = session or requests
    last_error = None
    started = time.monotonic()
    for attempt in range(RETRIES + 1):
        if attempt:
            if time.monotonic() - started + sum(TIMEOUT_SECONDS) > BUDGET_SECONDS:
                break
            time.sleep(BACKOFF_SECONDS * attempt)
        try:
            response = http.get(
                url, timeout=TIMEOUT_SECONDS, headers={"Accept": "application/json"}
            )
        except requests.Timeout as error:
            last_error = KoladaError(
                _("Kolada did not answer in time. Try again in a while; nothing was changed.")
            )
            last_error.__cause__ = error
            continue
        except requests.RequestException as error:
            last_error = KoladaError(
                _("Kolada could not be reached. Try again in a while; nothing was changed.")
            )
            last_error.__cause__ = error
            continue
        if response.status_code >= 500:
            last_error = KoladaError(
                _(
                    "Kolada has a problem on its side (error %(status)s). Try again later; "
                    "nothing was changed."
                )
                % {"status": response.status_code}
            )
            continue
        if response.status_code == 404:
            raise KoladaError(_("Kolada does not know this key figure or organisation."))
        if response.status_code >= 400:
            raise KoladaError(
                _("Kolada refused the question (error %(status)s).")
                % {"status": response.status_code}
            )
        try:
            data = response.json()
        except ValueError as error:
            raise _not_data() from error
        if not isinstance(data, dict):
            raise _not_data()
        return data
    raise last_error


def _pages(url: str, session=None):
    started = time.monotonic()
    for _page in range(MAX_PAGES):
        if time.monotonic() - started > BUDGET_SECONDS:
            raise KoladaError(
                _("Kolada did not answer in time. Try again in a while; nothing was changed.")
            )
        data = _get(url, session)
        yield data
        url = data.get("next_page")
        if not url:
            return


def _kpi(item: dict) -> KpiInfo:
    return KpiInfo(
        id=str(item.get("id", "")),
        title=str(item.get("title") or ""),
        description=str(item.get("description") or ""),
        unit=str(item.get("unit") or ""),
        is_divided_by_gender=bool(item.get("is_divided_by_gender")),
        operating_area=str(item.get("operating_area") or ""),
    )


def search_kpis(title: str, session=None) -> list[KpiInfo]:
    """Key figures whose title contains ``title`` (Kolada's own search)."""
    title = title.strip()
    if not title:
        return []
    key = f"kolada:kpi-search:{hashlib.sha256(title.lower().encode()).hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    url = f"{_base_url()}kpi?{requests.compat.urlencode({'title': title})}"
    try:
        found = [
            _kpi(item)
            for page in _pages(url, session)
            for item in _entries(page)
            if isinstance(item, dict) and item.get("id")
        ]
    except (TypeError, ValueError, AttributeError) as error:
        raise _not_data() from error
    cache.set(key, found, CATALOGUE_CACHE_SECONDS)
    return found


def get_kpi(kpi_id: str, session=None) -> KpiInfo:
    key = f"kolada:kpi:{hashlib.sha256(kpi_id.encode()).hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    values = _entries(_get(f"{_base_url()}kpi/{requests.utils.quote(kpi_id)}", session))
    if not values or not isinstance(values[0], dict):
        raise KoladaError(_("Kolada has no key figure with the id %(id)s.") % {"id": kpi_id})
    info = _kpi({**values[0], "id": values[0].get("id") or kpi_id})
    cache.set(key, info, CATALOGUE_CACHE_SECONDS)
    return info


def get_values(kpi_id: str, municipality_id: str, years, session=None) -> list[DataPoint]:
    """Values of one key figure for one municipality or region, per year and sex."""
    years = sorted(set(years))
    raw = f"{kpi_id}:{municipality_id}:{','.join(map(str, years))}"
    key = f"kolada:data:{hashlib.sha256(raw.encode()).hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    url = (
        f"{_base_url()}data/kpi/{requests.utils.quote(kpi_id)}/municipality/"
        f"{requests.utils.quote(municipality_id)}/year/{','.join(map(str, years))}"
    )
    points = []
    try:
        for page in _pages(url, session):
            for entry in _entries(page):
                for value in entry.get("values") or []:
                    gender = GENDERS.get(str(value.get("gender", "")).upper())
                    if gender is None:
                        continue
                    number = value.get("value")
                    points.append(
                        DataPoint(
                            kpi=str(entry.get("kpi", kpi_id)),
                            municipality=str(entry.get("municipality", municipality_id)),
                            year=int(entry["period"]),
                            gender=gender,
                            value=float(number) if number is not None else None,
                        )
                    )
    except (TypeError, ValueError, AttributeError, KeyError) as error:
        raise _not_data() from error
    cache.set(key, points, DATA_CACHE_SECONDS)
    return points
