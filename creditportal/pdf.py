"""The only module that imports WeasyPrint: HTML templates to A4 PDFs with local fonts.

The URL fetcher serves the application's own static files (stylesheets, images such as a seal, fonts) and
nothing else: no text a user typed can make WeasyPrint read a local file or fetch a URL. Chinese is set in
the Noto CJK fonts installed with the system packages (``scripts/system-deps.sh``), found by fontconfig, not
fetched.
"""

from __future__ import annotations

import functools
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

BASE_URL = "https://creditportal.invalid/"

#: What a document may load from the static files: stylesheets, images and fonts. Nothing executable.
ALLOWED_TYPES = frozenset(
    {
        "text/css",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/svg+xml",
        "image/webp",
        "font/woff",
        "font/woff2",
        "font/ttf",
        "font/otf",
    }
)


class ForbiddenResource(ValueError):
    """WeasyPrint asked for something outside the application's static files."""


def restricted_url_fetcher(url: str, headers=None):
    """WeasyPrint's fetch, narrowed to ``BASE_URL/static/…`` served from the staticfiles finders.

    Returns a ``weasyprint.urls.URLFetcherResponse`` (WeasyPrint 70 refuses anything else, a dict included).
    Everything else is refused before any I/O: ``file:``, ``data:``, ``http:``, ``https:`` to any other host,
    other paths of our own host (``/media/`` …), and ``..`` segments, also when percent-encoded.
    """
    from weasyprint.urls import URLFetcherResponse

    path = static_path(url)
    with open(path, "rb") as handle:
        body = handle.read()
    return URLFetcherResponse(url, body, {"Content-Type": _media_type(path)})


@functools.cache
def _fetcher_class():
    """WeasyPrint 70's fetcher API is a ``URLFetcher`` subclass (``weasyprint.urls.fetch`` reads its
    ``_fail_on_errors``). Built on first use so that importing this module does not import WeasyPrint."""
    from weasyprint.urls import URLFetcher

    class StaticFilesFetcher(URLFetcher):
        """A refused resource is logged by WeasyPrint and left out (``fail_on_errors`` off): a document never
        shows what it may not load."""

        def __init__(self):
            super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            return restricted_url_fetcher(url)

    return StaticFilesFetcher


def static_path(url: str) -> str:
    """The file behind an allowed static URL, or ForbiddenResource."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if (
        parts.scheme != "https"
        or f"{parts.scheme}://{parts.netloc}/" != BASE_URL
        or not path.startswith(static_prefix)
        or ".." in path.split("/")
        or "\\" in path
        or "\0" in path
    ):
        raise ForbiddenResource(f"PDF rendering may not load {url[:200]!r}")
    found = finders.find(path[len(static_prefix) :])
    if not found:
        raise ForbiddenResource(f"No static file {path!r}")
    _media_type(found)
    return found


def _media_type(path: str) -> str:
    media_type = mimetypes.guess_type(path)[0] or ""
    if media_type not in ALLOWED_TYPES:
        raise ForbiddenResource(f"PDF rendering loads stylesheets, images and fonts only, not {path!r}")
    return media_type


@functools.cache
def _font_config():
    """One font configuration per process: a new one per render keeps its fontconfig state alive and a worker
    grows about 0.23 MB a render without end (measured over 300 renders); reused, it stays flat and renders
    about four times faster (issue 12)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML string; relative URLs resolve against ``BASE_URL``, so ``/static/…`` loads."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()()).write_pdf(font_config=_font_config())


def render_pdf(*, template: str, context: dict, language: str = "zh-hans") -> bytes:
    """Render ``template`` with ``context`` (auto-escaped) to PDF bytes.

    Official documents are in Chinese whatever the language of the person who issued them (their English
    parallel text is written out in the template).
    """
    with translation.override(language):
        html = render_to_string(template, context)
    return html_to_pdf(html)
