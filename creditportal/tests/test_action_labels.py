"""Every action code the code base writes has a label a timeline shows (issue 16: ``objections.file.downloaded``
was shown raw on a Chinese page). The codes are read from the source: each literal ``action="…"`` (and the list
views' ``search_action``, ``export_action``, ``inquiry_action``), and each f-string code expanded from what it
is built of (a workflow's acts, the document kinds). An f-string code this test does not know fails it: say here
how it expands."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from catalog.workflow import STANDARD
from creditportal.audit import action_label
from creditportal.choices import DocumentKind
from designations.models import Statement
from designations.workflow import DESIGNATION
from objections.workflow import OBJECTION
from restoration.workflow import RESTORATION
from subjects.workflow import RECORD

ROOT = Path(__file__).resolve().parents[2]
APPS = (*settings.PROJECT_APPS, "demo")
LITERAL = re.compile(r'\b(?:action|search_action|export_action|inquiry_action)\s*=\s*"([a-z_]+(?:\.[a-z_]+){2,})"')
CONDITIONAL = re.compile(r'"([a-z_]+(?:\.[a-z_]+){2,})" if .+? else "([a-z_]+(?:\.[a-z_]+){2,})"')
FSTRING = re.compile(r'\baction\s*=\s*(f"[^"]*")')

#: How each f-string code expands: its source text → the codes it can produce.
EXPANSIONS = {
    'f"creditportal.document.{kind}.issued"': [f"creditportal.document.{k}.issued" for k in DocumentKind.values],
    'f"creditportal.document.{document.kind}.served"': [
        f"creditportal.document.{k}.served" for k in DocumentKind.values
    ],
    "f\"creditportal.deadline.{'reminded' if kind == 'reminder' else 'escalated'}\"": [
        "creditportal.deadline.reminded",
        "creditportal.deadline.escalated",
    ],
    'f"subjects.record.{act}"': [f"subjects.record.{name}" for name in RECORD.transitions],
    'f"designations.designation.{act}"': [f"designations.designation.{name}" for name in DESIGNATION.transitions],
    'f"designations.designation.{kind}_recorded"': [
        f"designations.designation.{kind}_recorded" for kind, _label in Statement._meta.get_field("kind").choices
    ],
    'f"objections.objection.{act}"': [f"objections.objection.{name}" for name in OBJECTION.transitions],
    'f"restoration.application.{act}"': [f"restoration.application.{name}" for name in RESTORATION.transitions],
    **{
        f'f"catalog.{{_kind(obj)}}.{act}"': [f"catalog.version.{act}", f"catalog.measures.{act}"]
        for act in ("submitted", "discarded", "approved", "returned", "superseded", "published")
    },
    'f"catalog.standard.{workflow.STANDARD.transitions[name].target}"': [
        f"catalog.standard.{t.target}" for t in STANDARD.transitions.values() if t.target
    ],
}


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield path, path.read_text()


def written_codes() -> set[str]:
    codes: set[str] = set()
    unknown = []
    for path, text in _sources():
        codes.update(LITERAL.findall(text))
        for pair in CONDITIONAL.findall(text):
            codes.update(pair)
        for fstring in FSTRING.findall(text):
            if fstring not in EXPANSIONS:
                unknown.append(f"{path.relative_to(ROOT)}: {fstring}")
            codes.update(EXPANSIONS.get(fstring, ()))
    assert not unknown, f"Action codes built at run time that this test cannot expand: {unknown}"
    return codes


def test_the_source_is_read():
    codes = written_codes()
    assert {"objections.file.downloaded", "subjects.record.withdraw", "creditportal.membership.changed"} <= codes


@pytest.mark.parametrize("code", sorted(written_codes()))
def test_every_action_code_has_a_chinese_label(code):
    with translation.override("zh-hans"):
        label = action_label(code)
        assert label, f"{code} has no timeline label"
        assert not re.search(r"[A-Za-z]{3}", label), f"{code}: {label!r} is not translated"
