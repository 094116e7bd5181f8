"""Ordinary input never answers 500 (issue 16): every text a form accepts fits where it is stored.

Two checks. ``test_every_form_fits_its_columns`` reads the form classes: a text field stored in a model column
of the same name (or the column named in ``STORED_IN``) allows at most what the column holds.
``test_the_longest_value_in_every_form`` opens every page of the permission matrix as a caseworker, a supervisor
and the provincial authority's caseworker, fills every form on it (case pages' act forms included) with the
longest value each text field allows — its ``maxlength``, or 500 characters where the form sets none — in Chinese,
and sends it: a refusal with a reason is fine, an exception (a 500) is not.
"""

from __future__ import annotations

import inspect
from html.parser import HTMLParser
from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import reverse

from creditportal.choices import DepartmentKind
from creditportal.tests.factories import DepartmentFactory
from tests.test_permission_matrix import MATRIX, OK, _url, _user
from tests.test_permission_matrix import objects as objects  # noqa: F401  (the fixture the matrix builds)

pytestmark = pytest.mark.django_db

APPS = ("creditportal", "subjects", "catalog", "designations", "objections", "restoration")
FORM_MODULES = [f"{app}.forms" for app in APPS] + ["catalog.imports"]
#: Form fields stored under another name: "<module>.<Form>.<field>" → "<app>.<Model>.<field>".
STORED_IN = {
    "subjects.forms.RecordForm.basis_number": "subjects.BasisDocument.number",
    "subjects.forms.RecordForm.basis_issuer": "subjects.BasisDocument.issuing_authority",
    "designations.forms.CourtListForm.list_reference": "designations.Designation.court_list_reference",
    # The reason of every act goes into the history and the audit event (both text), never a pause's reason code.
    "creditportal.forms.ReasonMixin.reason": "creditportal.AuditEvent.reason",
    "creditportal.forms.ServiceForm.reason": "creditportal.AuditEvent.reason",
    # who receives one document: the reason is kept beside the decision (text), in the history and the event
    "creditportal.forms.DocumentRecipientForm.reason": "creditportal.IssuedDocument.to_subject_reason",
}
#: Forms whose values a model's own checks measure before anything is written (``full_clean`` in the service):
#: a catalog import's rows, reported row by row and column by column.
MEASURED_BY_THE_MODEL = ("catalog.imports.",)
UNBOUNDED = 500  # what a form without a limit is filled with (the reason fields' limit)
CHARACTER = "信"
EXCLUDED_ACTIONS = ("/logout", "/i18n/")


def _form_classes():
    for module_name in FORM_MODULES:
        module = import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield f"{module_name}.{name}", cls


def _columns(app_label: str) -> dict[str, list[models.Field]]:
    columns: dict[str, list[models.Field]] = {}
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                columns.setdefault(field.name, []).append(field)
    return columns


def _fields(cls) -> dict[str, forms.Field]:
    fields = dict(cls.base_fields)
    model = getattr(cls, "model", None)
    if model is not None and getattr(cls, "model_fields", None):  # ModelFieldsForm: the model's own fields
        from django.forms.models import fields_for_model

        fields = {**fields_for_model(model, fields=cls.model_fields), **fields}
    return fields


def test_every_form_fits_its_columns():
    too_long = []
    for path, cls in _form_classes():
        if path.startswith(MEASURED_BY_THE_MODEL):
            continue
        app = path.split(".", 1)[0]
        columns = _columns(app)
        for name, field in _fields(cls).items():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.HiddenInput):
                continue
            stored = STORED_IN.get(f"{path}.{name}")
            if stored:
                app_label, model_name, column = stored.split(".")
                targets = [apps.get_model(app_label, model_name)._meta.get_field(column)]
            else:
                model = getattr(cls, "model", None)
                targets = [model._meta.get_field(name)] if model and name in getattr(cls, "model_fields", ()) else []
                targets = targets or columns.get(name, [])
            for column in targets:
                limit = getattr(column, "max_length", None) if isinstance(column, models.CharField) else None
                if limit is not None and (field.max_length is None or field.max_length > limit):
                    too_long.append(f"{path}.{name} allows {field.max_length or 'any length'}, {column} holds {limit}")
    assert too_long == [], "\n".join(too_long)


class _Forms(HTMLParser):
    """The POST forms of a page with their fields as a browser would send them, filled with the longest value."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {"action": a.get("action") or "", "data": {}, "buttons": []}
                self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button"}:
                form["buttons"].append((name, a.get("value", ""), a.get("formaction")))
            elif kind == "hidden":
                form["data"][name] = a.get("value", "")
            elif kind in {"checkbox", "radio"}:
                if "checked" in a or name not in form["data"]:
                    form["data"][name] = a.get("value", "on")
            elif kind == "date":
                form["data"][name] = a.get("value") or "2026-10-12"
            elif kind == "datetime-local":
                form["data"][name] = a.get("value") or "2026-10-12T10:00"
            elif kind == "number":
                form["data"][name] = a.get("value") or a.get("min") or "1"
            elif kind != "file":
                form["data"][name] = CHARACTER * int(a.get("maxlength") or UNBOUNDED)
        elif tag == "textarea" and name:
            form["data"][name] = CHARACTER * int(a.get("maxlength") or UNBOUNDED)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if "selected" in a or (value and not form["data"].get(self._select)):
                form["data"][self._select] = value
        elif tag == "button" and name:
            form["buttons"].append((name, a.get("value", ""), a.get("formaction")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


ROLES = ("caseworker", "supervisor", "authority_caseworker")


def test_the_longest_value_in_every_form(client, settings, dept_a, dept_b, objects):  # noqa: F811
    """Each page's forms, sent once each with the longest text; every answer is a page, a redirect or a refusal."""
    settings.LANGUAGE_CODE = "zh-hans"
    authority = DepartmentFactory(code="HN-DRC", name="海南省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY)
    users = {role: _user(role, dept_a, authority) for role in ROLES}
    sent, failures = 0, []
    for entry, (arg, expected) in sorted(MATRIX.items()):
        name = entry.split("@")[0]
        if name in {"login", "metrics", "healthz"}:
            continue
        for role in ROLES:
            if expected.get(role) != OK:
                continue
            client.force_login(users[role])
            url = _url(name, arg, objects, dept_a, dept_b)
            page = client.get(url)
            if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
                continue
            parser = _Forms()
            parser.feed(page.content.decode())
            for form in parser.forms:
                targets = [(None, "", form["action"])] + [b for b in form["buttons"] if b[2]]
                for button, value, action in targets:
                    target = action or form["action"] or url
                    if any(part in target for part in EXCLUDED_ACTIONS):
                        continue
                    data = dict(form["data"], **({button: value} if button else {}))
                    try:
                        response = client.post(target, data)
                    except Exception as error:  # noqa: BLE001  (a 500: named, and the sweep goes on)
                        failures.append(f"{role} {entry}: POST {target}: {type(error).__name__}: {error}"[:500])
                        continue
                    sent += 1
                    if response.status_code >= 500:
                        failures.append(f"{role} {entry}: POST {target} answered {response.status_code}")
    assert sent > 40, "the sweep reached too few forms"
    assert failures == []


def test_an_objection_sustained_with_a_long_explanation_is_decided(client, dept_a, caseworker_a):
    """The reported case: deciding an objection sustained with an explanation of 80 characters or more
    answered 500 (the record's history reason, "异议#n成立：" and the explanation, was varchar(100))."""
    import datetime
    import zoneinfo

    from objections import services
    from objections.models import Objection
    from subjects import services as subject_services
    from subjects.tests.factories import OrganisationFactory
    from tests.case_data import make_catalog

    item, _standard = make_catalog(actor=caseworker_a, department=dept_a)
    company = OrganisationFactory(department=dept_a, name="海口椰风食品有限公司")
    record = subject_services.record_create(
        actor=caseworker_a,
        subject=company,
        catalog_item=item,
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕88号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 2),
        },
        reason="录入",
    )
    objection = services.objection_receive(
        actor=caseworker_a,
        subject=company,
        target="record",
        record=record,
        ground="error",
        grounds_text="违法次数有误",
        received_at=datetime.datetime(2026, 9, 25, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
        applicant="李明",
        label_now=True,
        reason="收到",
    )
    client.force_login(caseworker_a)
    response = client.post(
        reverse("objection_act", args=[objection.pk, "decide"]),
        {
            "decide-sustained": "yes",
            "decide-remedy": "correct",
            "decide-summary": "销售过期食品一次",
            "decide-reasons": "经核实" * 166,
            "decide-reason": "决定" * 250,
            "decide-expected_version": objection.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Objection.objects.get(pk=objection.pk).outcome == "sustained"
