"""The only module that imports WeasyPrint: HTML templates to A4 PDFs with local fonts.

The URL fetcher serves the application's own static files and nothing else: no text a user typed can make
WeasyPrint read a local file or fetch a URL. Chinese is set in the Noto CJK fonts installed with the
system packages (``scripts/system-deps.sh``), found by fontconfig, not fetched.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

BASE_URL = "https://creditportal.invalid/"


class ForbiddenResource(ValueError):
    """WeasyPrint asked for something outside the application's static files."""


def restricted_url_fetcher(url: str, timeout: int = 10, ssl_context=None, **_kwargs) -> dict:
    """Serve ``/static/...`` from the staticfiles finders; refuse every other URL (file:, http:, data: …)."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static_prefix) or ".." in parts.path:
        raise ForbiddenResource(f"PDF rendering may not load {url!r}")
    path = finders.find(parts.path[len(static_prefix):])
    if not path:
        raise ForbiddenResource(f"No static file {parts.path!r}")
    with open(path, "rb") as handle:
        data = handle.read()
    mime = "text/css" if path.endswith(".css") else None
    return {"string": data, "mime_type": mime, "redirected_url": url}


def render_pdf(*, template: str, context: dict, language: str = "zh-hans") -> bytes:
    """Render ``template`` with ``context`` (auto-escaped) to PDF bytes.

    Official documents are in Chinese whatever the language of the person who issued them (their English
    parallel text is written out in the template).
    """
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=restricted_url_fetcher).write_pdf()
