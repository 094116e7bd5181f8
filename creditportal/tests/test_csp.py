"""A Content Security Policy without inline script (issue 21, hardening; R-SEC-6): every response carries it, and no
template holds a script the policy would block (the browser journeys fail on any console error, a blocked script
included)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
def test_r_sec_6_every_page_forbids_inline_and_foreign_script(client, caseworker_a):
    client.force_login(caseworker_a)
    for url in (reverse("login"), reverse("dashboard"), reverse("subject_list"), reverse("catalog_public")):
        directives = _directives(client.get(url)["Content-Security-Policy"])
        assert directives["script-src"] == ["'self'"], url
        assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"] and directives["form-action"] == ["'self'"]
        assert "'unsafe-inline'" not in directives["style-src"]


def test_r_sec_6_no_template_holds_an_inline_script_or_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "/pdf/" not in str(path) and (inline.search(path.read_text()) or handler.search(path.read_text()))
    ]
    assert not found, f"inline script in {found}"
