"""The PDF renderer's URL fetcher, with real WeasyPrint 70 renders read back with pypdf.

Allowed: the application's static files (a stylesheet that visibly changes the text, a seal image, the
portal stylesheet). Refused, and absent from the PDF: ``file:``, ``http:``, ``https:`` to another host,
``data:``, other paths of our own host, and ``..`` traversal (also percent-encoded).
"""

import base64
import io

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from creditportal import pdf

STYLED = "STYLESHEET-LOADED"
FORBIDDEN = "FORBIDDEN-LOADED"


@pytest.fixture
def static_dir(tmp_path):
    """A static directory of our own (stylesheet + seal image), and forbidden files beside it."""
    root = tmp_path / "static"
    (root / "probe").mkdir(parents=True)
    (root / "probe" / "probe.css").write_text(f'.probe::before {{ content: "{STYLED} "; }}')
    Image.new("RGB", (40, 40), "red").save(root / "probe" / "seal.png")
    (root / "probe" / "seal.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" '
        'fill="none" stroke="red" stroke-width="3"/><text x="8" y="25" font-size="9">SVG-SEAL</text></svg>'
    )
    (tmp_path / "evil.css").write_text(f'.probe::before {{ content: "{FORBIDDEN} "; }}')
    Image.new("RGB", (40, 40), "blue").save(tmp_path / "evil.png")
    (root / "probe" / "script.js").write_text("alert(1)")
    with override_settings(STATICFILES_DIRS=[root, *settings.STATICFILES_DIRS]):
        yield tmp_path


def _render(head: str = "", body: str = "") -> PdfReader:
    html = f'<html><head>{head}</head><body><p class="probe">text</p>{body}</body></html>'
    return PdfReader(io.BytesIO(pdf.html_to_pdf(html)))


def _text(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages)


def _images(reader: PdfReader) -> int:
    return sum(len(page.images) for page in reader.pages)


def test_a_static_stylesheet_and_a_seal_image_load_in_a_real_render(static_dir):
    reader = _render(
        '<link rel="stylesheet" href="/static/probe/probe.css">', '<img src="/static/probe/seal.png" alt="seal">'
    )
    assert STYLED in _text(reader)
    assert _images(reader) == 1


def test_an_svg_seal_loads(static_dir):
    reader = _render(body='<img src="/static/probe/seal.svg" alt="seal">')
    assert "SVG-SEAL" in _text(reader)


def test_the_portal_stylesheet_loads_with_weasyprint_70():
    """Was: AssertionError "URL fetcher must return either a dict or a URLFetcherResponse instance"."""
    reader = _render('<link rel="stylesheet" href="/static/css/portal.css">', "<p>海口市市场监督管理局</p>")
    assert "text" in _text(reader)
    response = pdf.restricted_url_fetcher(pdf.BASE_URL + "static/css/portal.css")
    assert response.content_type == "text/css" and b"creditportal" in response.read()


def _forbidden_stylesheets(tmp):
    evil = tmp / "evil.css"
    return [
        f"file://{evil}",
        "http://127.0.0.1:9/evil.css",
        "https://example.com/evil.css",
        "https://creditportal.invalid.example.com/static/probe/probe.css",
        "data:text/css;base64," + base64.b64encode(evil.read_bytes()).decode(),
        "/static/probe/%2e%2e/%2e%2e/evil.css",
        "/static/probe/..%2f..%2fevil.css",
        "/static/../evil.css",
        "/media/evil.css",
    ]


def test_forbidden_stylesheets_are_not_applied(static_dir):
    for href in _forbidden_stylesheets(static_dir):
        text = _text(_render(f'<link rel="stylesheet" href="{href}">'))
        assert FORBIDDEN not in text and STYLED not in text, href


def test_forbidden_images_are_absent(static_dir):
    evil = static_dir / "evil.png"
    sources = [
        f"file://{evil}",
        "http://127.0.0.1:9/evil.png",
        "https://example.com/evil.png",
        "data:image/png;base64," + base64.b64encode(evil.read_bytes()).decode(),
        "/static/probe/%2e%2e/%2e%2e/evil.png",
        "/static/probe/script.js",
    ]
    for src in sources:
        assert _images(_render(body=f'<img src="{src}" alt="x">')) == 0, src


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://creditportal.invalid/static/css/portal.css",  # our path, but not our scheme
        "https://example.com/static/css/portal.css",
        "https://user@creditportal.invalid/static/css/portal.css",
        "data:text/css,p{color:red}",
        "https://creditportal.invalid/static/../../etc/passwd",
        "https://creditportal.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://creditportal.invalid/media/consents/a.pdf",
        "https://creditportal.invalid/static/css/missing.css",
    ],
)
def test_the_fetcher_raises_for_everything_but_static_files(url):
    with pytest.raises(pdf.ForbiddenResource):
        pdf.restricted_url_fetcher(url)


def test_the_fetcher_serves_only_stylesheets_images_and_fonts(static_dir):
    with pytest.raises(pdf.ForbiddenResource):
        pdf.restricted_url_fetcher(pdf.BASE_URL + "static/probe/script.js")
    assert pdf.restricted_url_fetcher(pdf.BASE_URL + "static/probe/seal.png").content_type == "image/png"
