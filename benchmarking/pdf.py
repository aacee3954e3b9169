"""Rendering Django templates to PDF with WeasyPrint, fetching nothing but our static files."""

import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PDF = "application/pdf"

# A base URL that resolves nowhere: relative links in templates join onto it, and the
# fetcher serves only what falls under STATIC_URL from the app's own static files.
PDF_BASE_URL = "https://pdf.jambench.invalid/"


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
            if not url.startswith(prefix):
                raise ValueError(f"Refused to fetch {url}: only our own static files.")
            path = finders.find(url.removeprefix(prefix).split("?")[0])
            if path is None:
                raise ValueError(f"No static file for {url}")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher


def static_only_fetcher():
    return _fetcher_class()()


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {"static_url": settings.STATIC_URL, **context})
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=static_only_fetcher()).write_pdf()
